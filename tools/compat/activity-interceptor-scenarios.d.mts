// Types of activity-interceptor-scenarios.mjs (plain JS so that node runs it too).
import type { ActivityFunction } from "../../src/common/index.js";
import type { ActivityInboundCallsInterceptorFactory, ActivityInterceptorsFactory } from "../../src/worker/index.js";

export declare function makeActivityWorkerParts(sdk: {
  Context: { current(): unknown };
  ApplicationFailure: { nonRetryable(message: string, type: string): Error };
}): {
  record: Record<string, unknown>[];
  interceptors: { activityInbound: ActivityInboundCallsInterceptorFactory[]; activity: ActivityInterceptorsFactory[] };
  activities: Record<string, ActivityFunction>;
};
