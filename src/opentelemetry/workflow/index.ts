/**
 * Workflow interceptors that trace workflow code (the official package's `lib/workflow`):
 * `RunWorkflow`, `HandleSignal`, `HandleQuery`, `ValidateUpdate`, `HandleUpdate` spans around
 * the inbound calls, `StartActivity`, `StartChildWorkflow`, `SignalWorkflow`, `ContinueAsNew`
 * spans around the outbound ones, the trace context in the `_tracer-data` header of every
 * command that has headers, and trace ids on workflow log lines.
 *
 * Spans are made by OpenTelemetry's SDK inside the workflow: ids come from Math.random (the
 * run's seeded PRNG in the sandbox) and times from Date.now (workflow time), so a replay makes
 * the same spans; they leave the workflow through the `exporter` sink (./span-exporter.ts).
 * List `temporal-bun-sdk/opentelemetry/workflow-interceptors` (or a module exporting
 * `interceptors()` built from these classes) in `interceptors.workflowModules`.
 */
import "./runtime.js"; // first: OpenTelemetry reads `performance` when it loads
import * as otel from "@opentelemetry/api";
import * as tracing from "@opentelemetry/sdk-trace-base";
import {
  ContinueAsNew,
  type ActivityInput,
  type ContinueAsNewInput,
  type DisposeInput,
  type GetLogAttributesInput,
  type GetMetricTagsInput,
  type LocalActivityInput,
  type Next,
  type QueryInput,
  type SignalInput,
  type SignalWorkflowInput,
  type StartChildWorkflowExecutionInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
  workflowInfo,
} from "../../workflow/index.js";
import { maybeGetActivator } from "../../workflow/activator.js";
import { extractContextFromHeaders, headersWithContext, instrument, instrumentSync, UPDATE_ID_ATTR_KEY } from "../instrumentation.js";
import { ContextManager } from "./context-manager.js";
import { SpanName, SPAN_DELIMITER } from "./definitions.js";
import { SpanExporter } from "./span-exporter.js";

export * from "./definitions.js";

/**
 * The official SDK's internal flags 3–6 (OpenTelemetryInterceptorsTracesInboundSignals,
 * …TracesLocalActivities, …AvoidsExtraYields, …InstrumentsAllMethods). An official worker
 * replaying a history without them re-inserts the yields and skips the spans of its older
 * interceptor versions; these interceptors always behave as the newest, so every task they
 * run in (outside replay) records all four, and official replayers take the same paths.
 */
const OTEL_SDK_FLAGS = [3, 4, 5, 6] as const;

function recordFlags(): void {
  const activator = maybeGetActivator();
  if (activator === undefined || activator.isReplaying) return;
  for (const flag of OTEL_SDK_FLAGS) activator.knownFlags.add(flag);
}

// Module state is per run: the bundle is instantiated for each run (sandbox.ts).
let tracer: otel.Tracer | undefined;
let contextManager: ContextManager | undefined;

function getTracer(): otel.Tracer {
  contextManager ??= new ContextManager();
  if (tracer === undefined) {
    const provider = new tracing.BasicTracerProvider();
    provider.addSpanProcessor(new tracing.SimpleSpanProcessor(new SpanExporter()));
    // Registers the API globals on this run's globalThis (the bundle's own @opentelemetry/api
    // copy): W3C trace context and baggage propagators, and the context manager above.
    provider.register({ contextManager });
    tracer = provider.getTracer("@temporalio/interceptor-workflow");
  }
  return tracer;
}

/** Traces the inbound calls: the workflow function, signals, queries and updates. */
export class OpenTelemetryInboundInterceptor implements WorkflowInboundCallsInterceptor {
  protected readonly tracer = getTracer();

  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, "execute">): Promise<unknown> {
    recordFlags();
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.WORKFLOW_EXECUTE}${SPAN_DELIMITER}${workflowInfo().workflowType}`,
      fn: () => next(input),
      context: extractContextFromHeaders(input.headers),
      acceptableErrors: (err) => err instanceof ContinueAsNew,
    });
  }

  async handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, "handleSignal">): Promise<void> {
    recordFlags();
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.WORKFLOW_HANDLE_SIGNAL}${SPAN_DELIMITER}${input.signalName}`,
      fn: () => next(input),
      context: extractContextFromHeaders(input.headers),
    });
  }

  async handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, "handleUpdate">): Promise<unknown> {
    recordFlags();
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.WORKFLOW_HANDLE_UPDATE}${SPAN_DELIMITER}${input.name}`,
      fn: (span) => {
        span.setAttribute(UPDATE_ID_ATTR_KEY, input.updateId);
        return next(input);
      },
      context: extractContextFromHeaders(input.headers),
    });
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, "validateUpdate">): void {
    recordFlags();
    instrumentSync({
      tracer: this.tracer,
      spanName: `${SpanName.WORKFLOW_VALIDATE_UPDATE}${SPAN_DELIMITER}${input.name}`,
      fn: (span) => {
        span.setAttribute(UPDATE_ID_ATTR_KEY, input.updateId);
        return next(input);
      },
      context: extractContextFromHeaders(input.headers),
    });
  }

  async handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, "handleQuery">): Promise<unknown> {
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.WORKFLOW_HANDLE_QUERY}${SPAN_DELIMITER}${input.queryName}`,
      fn: () => next(input),
      context: extractContextFromHeaders(input.headers),
    });
  }
}

/** Traces the outbound calls that carry headers, writing the span's context into them. */
export class OpenTelemetryOutboundInterceptor implements WorkflowOutboundCallsInterceptor {
  protected readonly tracer = getTracer();

  async scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, "scheduleActivity">): Promise<unknown> {
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.ACTIVITY_START}${SPAN_DELIMITER}${input.activityType}`,
      fn: async () => next({ ...input, headers: headersWithContext(input.headers) }),
    });
  }

  async scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, "scheduleLocalActivity">): Promise<unknown> {
    recordFlags();
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.ACTIVITY_START}${SPAN_DELIMITER}${input.activityType}`,
      fn: async () => next({ ...input, headers: headersWithContext(input.headers) }),
    });
  }

  async startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, "startChildWorkflowExecution">,
  ): Promise<[Promise<string>, Promise<unknown>]> {
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.CHILD_WORKFLOW_START}${SPAN_DELIMITER}${input.workflowType}`,
      fn: async () => next({ ...input, headers: headersWithContext(input.headers) }),
    });
  }

  async continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, "continueAsNew">): Promise<never> {
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.CONTINUE_AS_NEW}${SPAN_DELIMITER}${input.options.workflowType}`,
      fn: async () => next({ ...input, headers: headersWithContext(input.headers) }),
      acceptableErrors: (err) => err instanceof ContinueAsNew,
    });
  }

  async signalWorkflow(input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, "signalWorkflow">): Promise<void> {
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.WORKFLOW_SIGNAL}${SPAN_DELIMITER}${input.signalName}`,
      fn: async () => next({ ...input, headers: headersWithContext(input.headers) }),
    });
  }

  getLogAttributes(input: GetLogAttributesInput, next: Next<WorkflowOutboundCallsInterceptor, "getLogAttributes">): Record<string, unknown> {
    const spanContext = otel.trace.getSpan(otel.context.active())?.spanContext();
    if (spanContext && otel.isSpanContextValid(spanContext)) {
      return next({ trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${spanContext.traceFlags.toString(16)}`, ...input });
    }
    return next(input);
  }

  getMetricTags(input: GetMetricTagsInput, next: Next<WorkflowOutboundCallsInterceptor, "getMetricTags">): GetMetricTagsInput {
    return next(input);
  }
}

/** Stops the run's context storage when the run leaves the worker's cache. */
export class OpenTelemetryInternalsInterceptor implements WorkflowInternalsInterceptor {
  async dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, "dispose">): Promise<void> {
    contextManager?.disable();
    next(input);
  }
}
