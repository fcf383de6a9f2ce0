/**
 * The span exporter of workflow code: each finished span leaves the workflow through the
 * `exporter` sink (proxySinks), so the worker hands it to the real exporter after the
 * activation — and not while the run replays history, unless the sink asks for it
 * (makeWorkflowExporter does not), so replays do not export spans twice.
 */
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type * as tracing from "@opentelemetry/sdk-trace-base";
import { proxySinks } from "../../workflow/index.js";
import type { OpenTelemetrySinks, SerializableSpan } from "./definitions.js";

export class SpanExporter implements tracing.SpanExporter {
  private exporter?: OpenTelemetrySinks["exporter"];

  export(spans: tracing.ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter ??= proxySinks<OpenTelemetrySinks>().exporter;
    this.exporter.export(spans.map((span) => this.makeSerializable(span)));
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}

  makeSerializable(span: tracing.ReadableSpan): SerializableSpan {
    const { traceState, ...spanContext } = span.spanContext();
    return {
      name: span.name,
      kind: span.kind,
      spanContext: { ...spanContext, traceState: traceState?.serialize() },
      parentSpanId: span.parentSpanId,
      startTime: span.startTime,
      endTime: span.endTime,
      status: span.status,
      attributes: span.attributes,
      links: span.links,
      events: span.events,
      duration: span.duration,
      ended: span.ended,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
      instrumentationLibrary: span.instrumentationLibrary,
    };
  }
}
