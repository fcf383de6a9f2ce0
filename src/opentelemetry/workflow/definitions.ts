/**
 * Span names and the sink interface of the workflow span exporter, as
 * @temporalio/interceptors-opentelemetry 1.24 defines them (same names and values, so spans
 * from our workers and official workers look the same in a trace).
 */
import type * as otel from "@opentelemetry/api";
import type { InstrumentationLibrary } from "@opentelemetry/core";
import type * as tracing from "@opentelemetry/sdk-trace-base";
import type { Sink, Sinks } from "../../workflow/index.js";

/** A SpanContext whose traceState is its serialized string (a TraceState object would not survive the sink's structured clone). */
export type SerializableSpanContext = Omit<otel.SpanContext, "traceState"> & { traceState?: string };

/** A finished workflow span as it leaves the workflow through the `exporter` sink. */
export interface SerializableSpan {
  readonly name: string;
  readonly kind: otel.SpanKind;
  readonly spanContext: SerializableSpanContext;
  readonly parentSpanId?: string;
  readonly startTime: otel.HrTime;
  readonly endTime: otel.HrTime;
  readonly status: otel.SpanStatus;
  readonly attributes: otel.Attributes;
  readonly links: otel.Link[];
  readonly events: tracing.TimedEvent[];
  readonly duration: otel.HrTime;
  readonly ended: boolean;
  readonly droppedAttributesCount: number;
  readonly droppedLinksCount: number;
  readonly droppedEventsCount: number;
  readonly instrumentationLibrary: InstrumentationLibrary;
}

export interface OpenTelemetryWorkflowExporter extends Sink {
  export(span: SerializableSpan[]): void;
}

/** The sinks the workflow interceptors use: inject `exporter` with makeWorkflowExporter. */
export interface OpenTelemetrySinks extends Sinks {
  exporter: OpenTelemetryWorkflowExporter;
}

export enum SpanName {
  /** A client starts a workflow. */
  WORKFLOW_START = "StartWorkflow",
  /** A workflow is signalled (by a client, or by another workflow: SignalExternalWorkflow commands use this name too). */
  WORKFLOW_SIGNAL = "SignalWorkflow",
  WORKFLOW_SIGNAL_WITH_START = "SignalWithStartWorkflow",
  WORKFLOW_QUERY = "QueryWorkflow",
  WORKFLOW_START_UPDATE = "StartWorkflowUpdate",
  WORKFLOW_UPDATE_WITH_START = "UpdateWithStartWorkflow",
  /** The workflow handles a signal / query / update, validates an update. */
  WORKFLOW_HANDLE_SIGNAL = "HandleSignal",
  WORKFLOW_HANDLE_QUERY = "HandleQuery",
  WORKFLOW_HANDLE_UPDATE = "HandleUpdate",
  WORKFLOW_VALIDATE_UPDATE = "ValidateUpdate",
  WORKFLOW_TERMINATE = "TerminateWorkflow",
  WORKFLOW_CANCEL = "CancelWorkflow",
  WORKFLOW_DESCRIBE = "DescribeWorkflow",
  /** The workflow function runs. */
  WORKFLOW_EXECUTE = "RunWorkflow",
  CHILD_WORKFLOW_START = "StartChildWorkflow",
  ACTIVITY_START = "StartActivity",
  ACTIVITY_EXECUTE = "RunActivity",
  CONTINUE_AS_NEW = "ContinueAsNew",
  NEXUS_OPERATION_START = "StartNexusOperation",
  NEXUS_START_OPERATION_EXECUTE = "RunStartNexusOperation",
  NEXUS_CANCEL_OPERATION_EXECUTE = "RunCancelNexusOperation",
}

/** Between the span kind and the type/name it concerns: `RunWorkflow:myWorkflow`. */
export const SPAN_DELIMITER = ":";
