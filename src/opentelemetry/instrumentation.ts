/**
 * Helpers shared by the client, activity and workflow interceptors of
 * `temporal-bun-sdk/opentelemetry` (the equivalent of @temporalio/interceptors-opentelemetry
 * 1.24's `instrumentation` module): the trace header, the span attribute keys, and running a
 * function inside a span.
 *
 * This module is also bundled into workflow code (through ./workflow), where `@opentelemetry/api`
 * is the bundle's own copy (registered per run, see ./workflow/index.ts) while src/common is the
 * host's module (bundler.ts maps it), so the header payload is made by the same default payload
 * converter on both sides.
 */
import * as otel from "@opentelemetry/api";
import { ApplicationFailure, ApplicationFailureCategory, defaultPayloadConverter, type Headers } from "../common/index.js";

/**
 * The header carrying the trace context, as the official package: one payload (json/plain) of
 * the W3C propagation carrier (`{ traceparent, tracestate? }`), so a context written by an
 * official client or worker is read here and the other way round.
 */
export const TRACE_HEADER = "_tracer-data";
/** Span attribute: the workflow run id (the official key, without the `temporal` prefix). */
export const RUN_ID_ATTR_KEY = "run_id";
export const WORKFLOW_ID_ATTR_KEY = "temporalWorkflowId";
export const ACTIVITY_ID_ATTR_KEY = "temporalActivityId";
export const UPDATE_ID_ATTR_KEY = "temporalUpdateId";
export const TERMINATE_REASON_ATTR_KEY = "temporalTerminateReason";
export const NEXUS_SERVICE_ATTR_KEY = "temporalNexusService";
export const NEXUS_OPERATION_ATTR_KEY = "temporalNexusOperation";
export const NEXUS_ENDPOINT_ATTR_KEY = "temporalNexusEndpoint";

/** The context carried by `headers[TRACE_HEADER]`, or undefined without that header. */
export function extractContextFromHeaders(headers: Headers): otel.Context | undefined {
  const payload = headers[TRACE_HEADER];
  if (payload === undefined) return undefined;
  const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(payload);
  return otel.propagation.extract(otel.context.active(), carrier, otel.defaultTextMapGetter);
}

/** The context carried by Nexus headers (plain strings: the carrier itself), or undefined when there are none. */
export function extractContextFromNexusHeaders(headers: Record<string, string>): otel.Context | undefined {
  if (Object.keys(headers).length === 0) return undefined;
  return otel.propagation.extract(otel.context.active(), headers, otel.defaultTextMapGetter);
}

/** `headers` plus the active context under TRACE_HEADER (a new object; `headers` is not changed). */
export function headersWithContext(headers: Headers): Headers {
  const carrier: Record<string, string> = {};
  otel.propagation.inject(otel.context.active(), carrier, otel.defaultTextMapSetter);
  return { ...headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier)! };
}

/** Nexus headers plus the active context's carrier entries. */
export function nexusHeadersWithContext(headers: Record<string, string>): Record<string, string> {
  const carrier: Record<string, string> = {};
  otel.propagation.inject(otel.context.active(), carrier, otel.defaultTextMapSetter);
  return { ...headers, ...carrier };
}

export interface InstrumentOptions<T> {
  tracer: otel.Tracer;
  spanName: string;
  fn: (span: otel.Span) => Promise<T>;
  /** The parent context (e.g. extracted from headers); the active one without it. */
  context?: otel.Context;
  /** Errors that end the span with status OK (ContinueAsNew, CompleteAsyncError). */
  acceptableErrors?: (err: unknown) => boolean;
}

export type InstrumentOptionsSync<T> = Omit<InstrumentOptions<T>, "fn"> & { fn: (span: otel.Span) => T };

/**
 * Records a failure on the span: ERROR with the message and an exception event, except benign
 * application failures (status left UNSET, as official) and acceptable errors (OK).
 */
function recordError(err: unknown, span: otel.Span, acceptableErrors?: (err: unknown) => boolean): void {
  if (acceptableErrors?.(err)) {
    span.setStatus({ code: otel.SpanStatusCode.OK });
    return;
  }
  const benign = err instanceof ApplicationFailure && err.category === ApplicationFailureCategory.BENIGN;
  const message = err != null && typeof (err as { message?: unknown }).message === "string" ? (err as Error).message : String(err);
  span.setStatus({ code: benign ? otel.SpanStatusCode.UNSET : otel.SpanStatusCode.ERROR, message });
  span.recordException(err as otel.Exception);
}

/** Runs `fn` in a new active span that ends when `fn` settles (OK, or the error recorded). */
export async function instrument<T>({ tracer, spanName, fn, context, acceptableErrors }: InstrumentOptions<T>): Promise<T> {
  const run = () =>
    tracer.startActiveSpan(spanName, async (span) => {
      try {
        const result = await fn(span);
        span.setStatus({ code: otel.SpanStatusCode.OK });
        return result;
      } catch (err) {
        recordError(err, span, acceptableErrors);
        throw err;
      } finally {
        span.end();
      }
    });
  return context ? await otel.context.with(context, run) : await run();
}

/** The synchronous form of `instrument` (update validators). */
export function instrumentSync<T>({ tracer, spanName, fn, context, acceptableErrors }: InstrumentOptionsSync<T>): T {
  const run = () =>
    tracer.startActiveSpan(spanName, (span) => {
      try {
        const result = fn(span);
        span.setStatus({ code: otel.SpanStatusCode.OK });
        return result;
      } catch (err) {
        recordError(err, span, acceptableErrors);
        throw err;
      } finally {
        span.end();
      }
    });
  return context ? otel.context.with(context, run) : run();
}
