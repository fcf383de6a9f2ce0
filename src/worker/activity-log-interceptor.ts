/**
 * `ActivityInboundLogInterceptor` and `appendDefaultInterceptors`, deprecated in
 * @temporalio/worker 1.24 and kept there (and here) so code written for older releases keeps
 * working: the worker now logs activity lifecycle events itself, and attributes are customised
 * with an outbound `getLogAttributes` interceptor.
 */
import type { Context } from "../activity/context.js";
import type { Logger } from "../common/index.js";
import { Runtime } from "../runtime/index.js";
import { activityLogAttributes } from "./activity.js";
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next, WorkerInterceptors } from "./interceptors.js";

const LEVELS = ["trace", "debug", "info", "warn", "error"] as const;

/**
 * @deprecated As official. Does nothing when made without a logger (or with the Runtime's) and
 * not subclassed; otherwise it sends the activity's `Context.log` lines to `logger`, with
 * `sdkComponent: 'activity'` and `logAttributes()` (a subclass may override it).
 */
export class ActivityInboundLogInterceptor implements ActivityInboundCallsInterceptor {
  protected readonly logger: Logger;

  constructor(
    protected readonly ctx: Context,
    logger?: Logger,
  ) {
    const runtimeLogger = Runtime.instance().logger;
    this.logger = logger ?? runtimeLogger;
    if (this.logger === runtimeLogger && Object.getPrototypeOf(this) === ActivityInboundLogInterceptor.prototype) return;
    const target = this.logger;
    ctx.log = Object.fromEntries(
      LEVELS.map((level) => [level, (message: string, attrs?: Record<string, unknown>) => target[level](message, { sdkComponent: "activity", ...this.logAttributes(), ...attrs })]),
    ) as unknown as Context["log"];
  }

  protected logAttributes(): Record<string, unknown> {
    return activityLogAttributes(this.ctx.info);
  }

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, "execute">): Promise<unknown> {
    return next(input);
  }
}

/**
 * @deprecated As official: not needed any more. With a logger other than the Runtime's, returns
 * `interceptors` with an `ActivityInboundLogInterceptor` for it first in `activityInbound` (and
 * only the `activity`, `activityInbound` and `workflowModules` entries, as official).
 */
export function appendDefaultInterceptors(interceptors: WorkerInterceptors, logger?: Logger): WorkerInterceptors {
  if (!logger || logger === Runtime.instance().logger) return interceptors;
  return {
    activityInbound: [(ctx) => new ActivityInboundLogInterceptor(ctx, logger), ...(interceptors.activityInbound ?? [])],
    activity: interceptors.activity,
    workflowModules: interceptors.workflowModules,
  };
}
