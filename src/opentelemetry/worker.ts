/**
 * The worker side of `temporal-bun-sdk/opentelemetry`: the activity interceptors (a
 * `RunActivity` span per attempt, child of the span whose context the activity's
 * `_tracer-data` header carries; trace ids on the activity's log lines) and
 * `makeWorkflowExporter`, the sink through which workflow spans reach a real span processor
 * or exporter.
 */
import * as otel from "@opentelemetry/api";
import { createTraceState } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Context as ActivityContext } from "../activity/index.js";
import { CompleteAsyncError } from "../common/index.js";
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityOutboundCallsInterceptor,
  GetLogAttributesInput,
  GetMetricTagsInput,
  InjectedSink,
  Next,
} from "../worker/index.js";
import { ACTIVITY_ID_ATTR_KEY, extractContextFromHeaders, instrument, RUN_ID_ATTR_KEY, WORKFLOW_ID_ATTR_KEY } from "./instrumentation.js";
import { SpanName, SPAN_DELIMITER, type OpenTelemetryWorkflowExporter, type SerializableSpan } from "./workflow/definitions.js";

export interface InterceptorOptions {
  /** The tracer to make spans with; the global provider's `@temporalio/interceptor-activity` tracer without it. */
  readonly tracer?: otel.Tracer;
}

/** A `RunActivity:<type>` span around each activity attempt. */
export class OpenTelemetryActivityInboundInterceptor implements ActivityInboundCallsInterceptor {
  protected readonly tracer: otel.Tracer;

  constructor(
    protected readonly ctx: ActivityContext,
    options?: InterceptorOptions,
  ) {
    this.tracer = options?.tracer ?? otel.trace.getTracer("@temporalio/interceptor-activity");
  }

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, "execute">): Promise<unknown> {
    const info = this.ctx.info;
    return await instrument({
      tracer: this.tracer,
      spanName: `${SpanName.ACTIVITY_EXECUTE}${SPAN_DELIMITER}${info.activityType}`,
      fn: async (span) => {
        span.setAttribute(ACTIVITY_ID_ATTR_KEY, info.activityId);
        // Every activity here runs for a workflow (there are no standalone activities yet).
        span.setAttribute(WORKFLOW_ID_ATTR_KEY, info.workflowExecution.workflowId);
        span.setAttribute(RUN_ID_ATTR_KEY, info.workflowExecution.runId);
        return await next(input);
      },
      context: extractContextFromHeaders(input.headers),
      // Completing asynchronously is not a failure of the attempt.
      acceptableErrors: (err) => err instanceof CompleteAsyncError,
    });
  }
}

/** Adds `trace_id`, `span_id` and `trace_flags` of the active span to the activity's log lines. */
export class OpenTelemetryActivityOutboundInterceptor implements ActivityOutboundCallsInterceptor {
  constructor(protected readonly ctx: ActivityContext) {}

  getLogAttributes(input: GetLogAttributesInput, next: Next<ActivityOutboundCallsInterceptor, "getLogAttributes">): Record<string, unknown> {
    const spanContext = otel.trace.getSpan(otel.context.active())?.spanContext();
    if (spanContext && otel.isSpanContextValid(spanContext)) {
      return next({ trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${spanContext.traceFlags.toString(16)}`, ...input });
    }
    return next(input);
  }

  getMetricTags(input: GetMetricTagsInput, next: Next<ActivityOutboundCallsInterceptor, "getMetricTags">): GetMetricTagsInput {
    return next(input);
  }
}

/**
 * The `exporter` sink of the workflow interceptors (`sinks: { exporter: makeWorkflowExporter(…) }`):
 * each span the workflow finished becomes a ReadableSpan with `resource`, its attributes
 * extended with the run's WorkflowInfo (as official), handed to the processor's `onEnd` or,
 * for an exporter (deprecated form), to `export`. Not called while a run replays history.
 *
 * @deprecated form: passing a `SpanExporter`; pass a `SpanProcessor` so async resource attributes are handled.
 */
export function makeWorkflowExporter(spanExporter: SpanExporter, resource: Resource): InjectedSink<OpenTelemetryWorkflowExporter>;
export function makeWorkflowExporter(spanProcessor: SpanProcessor, resource: Resource): InjectedSink<OpenTelemetryWorkflowExporter>;
export function makeWorkflowExporter(processorOrExporter: SpanProcessor | SpanExporter, resource: Resource): InjectedSink<OpenTelemetryWorkflowExporter> {
  // Checked here, at worker setup, rather than at the first span, inside a sink call.
  const ok = (v: unknown, fn: string) => typeof v === "object" && v !== null && typeof (v as Record<string, unknown>)[fn] === "function";
  if (!ok(processorOrExporter, "onEnd") && !ok(processorOrExporter, "export")) {
    throw new TypeError(`makeWorkflowExporter: expected a SpanProcessor (with onEnd) or a SpanExporter (with export), got ${describe(processorOrExporter)}`);
  }
  if (typeof resource !== "object" || resource === null) throw new TypeError(`makeWorkflowExporter: expected a Resource, got ${describe(resource)}`);
  const processor = isSpanProcessor(processorOrExporter) ? processorOrExporter : undefined;
  return {
    export: {
      fn: (info, spanData) => {
        const spans = spanData.map((serialized) => {
          Object.assign(serialized.attributes, info);
          return extractReadableSpan(serialized, resource);
        });
        if (processor) {
          for (const span of spans) processor.onEnd(span);
        } else {
          // As official: the export result is not waited for.
          (processorOrExporter as SpanExporter).export(spans, () => undefined);
        }
      },
    },
  };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an object with keys [${Object.keys(v).join(", ")}]`;
  return `${typeof v} ${String(v)}`;
}

function isSpanProcessor(obj: SpanProcessor | SpanExporter): obj is SpanProcessor {
  return "onEnd" in obj && typeof obj.onEnd === "function";
}

/** A span from the workflow's sink back into a ReadableSpan (the traceState rebuilt from its string). */
function extractReadableSpan(serializable: SerializableSpan, resource: Resource): ReadableSpan {
  const {
    spanContext: { traceState, ...rest },
    ...fields
  } = serializable;
  const spanContext: otel.SpanContext = { ...rest, traceState: traceState ? createTraceState(traceState) : undefined };
  return { spanContext: () => spanContext, resource, ...fields };
}
