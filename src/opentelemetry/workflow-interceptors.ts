/**
 * A workflow interceptor module (not a workflow): list it in
 * `WorkerOptions.interceptors.workflowModules` (or bundleWorkflowCode's
 * `workflowInterceptorModules`) as `temporal-bun-sdk/opentelemetry/workflow-interceptors`,
 * the counterpart of `@temporalio/interceptors-opentelemetry/lib/workflow-interceptors`.
 */
import type { WorkflowInterceptors } from "../workflow/index.js";
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from "./workflow/index.js";

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
