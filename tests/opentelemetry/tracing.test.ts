/**
 * temporal-bun-sdk/opentelemetry on the dev server, spans caught by OpenTelemetry's in-memory
 * exporter: the span tree of a workflow with an activity, a signalled child and a signal from
 * the client (names, parents, trace ids, attributes), workflow spans exported once although
 * every activation replays the run from history (no workflow cache), replay of the history with
 * the interceptors, continue-as-new, and the trace ids on workflow and activity log lines.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as otel from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { Resource } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { Client } from "../../src/client/index.js";
import { Worker, bundleWorkflowCode } from "../../src/worker/index.js";
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from "../../src/opentelemetry/index.js";
import { TRACE_HEADER } from "../../src/opentelemetry/instrumentation.js";
import { testEnv } from "../helpers/dev-server.js";
import { captureWorkerLog, uid } from "../e2e/helpers.js";

const WORKFLOWS = new URL("./fixtures/traced-workflows.ts", import.meta.url).pathname;
// The package specifier a user lists (resolved through package.json "exports").
const MODULE = "temporal-bun-sdk/opentelemetry/workflow-interceptors";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ resource: new Resource({ "service.name": "bun-test" }) });
provider.addSpanProcessor(new SimpleSpanProcessor(exporter));
const tracer = provider.getTracer("test");

let client: Client;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;
let log: Awaited<ReturnType<typeof captureWorkerLog>>;
const activityLogAttrs: Record<string, unknown>[] = [];

beforeAll(async () => {
  // What NodeSDK / provider.register() do in an application: a context manager (so the active
  // span follows awaits) and the W3C propagator, process-wide.
  otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  log = await captureWorkerLog();
  const env = await testEnv();
  client = new Client({ connection: env.connection, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] } });
  taskQueue = uid("otel");
  worker = await Worker.create({
    connection: env.connection,
    taskQueue,
    workflowsPath: WORKFLOWS,
    // No cache: every activation replays the run from the start, so a workflow span exported
    // during replay would show up twice.
    maxCachedWorkflows: 0,
    activities: {
      async greet(name: string) {
        const { log: activityLog } = await import("../../src/activity/index.js");
        activityLog.info("greeting");
        return `Hello, ${name}`;
      },
    },
    interceptors: {
      workflowModules: [MODULE],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
        // Innermost: records what the OpenTelemetry outbound interceptor added to the log attributes.
        () => ({ outbound: { getLogAttributes: (attrs, next) => (activityLogAttrs.push(attrs), next(attrs)) } }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exporter), new Resource({ "service.name": "bun-worker" })) },
    shutdownSignals: [],
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  log?.restore();
});

const byName = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]); // exactly one
  return found[0]!;
};
const id = (s: ReadableSpan) => s.spanContext().spanId;
const trace = (s: ReadableSpan) => s.spanContext().traceId;

async function waitForSpans(pred: (spans: ReadableSpan[]) => boolean, what: string): Promise<ReadableSpan[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (pred(spans)) return spans;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; spans: ${spans.map((s) => s.name).join(", ")}`);
    await Bun.sleep(50);
  }
}

describe("OpenTelemetry tracing on the dev server", () => {
  test("the trace header is the official one", () => {
    expect(TRACE_HEADER).toBe("_tracer-data");
  });

  test("span tree of a workflow with an activity, a signalled child and a client signal", async () => {
    exporter.reset();
    const workflowId = uid("traced");
    const handle = await client.workflow.start("traced", { taskQueue, workflowId, args: [workflowId] });
    // The child has run when its RunWorkflow span is exported; then signal the parent.
    await waitForSpans((s) => s.some((x) => x.name === "RunWorkflow:tracedChild"), "the child's RunWorkflow span");
    await handle.signal("go", "client");
    expect(await handle.result()).toBe(`Hello, ${workflowId} / Hello, child of ${workflowId} / go from client`);
    const spans = await waitForSpans((s) => s.some((x) => x.name === "RunWorkflow:traced"), "RunWorkflow:traced");

    const start = byName(spans, "StartWorkflow:traced");
    const run = byName(spans, "RunWorkflow:traced");
    const startActivity = spans.filter((s) => s.name === "StartActivity:greet");
    const runActivity = spans.filter((s) => s.name === "RunActivity:greet");
    const startChild = byName(spans, "StartChildWorkflow:tracedChild");
    const runChild = byName(spans, "RunWorkflow:tracedChild");
    const signalChild = byName(spans, "SignalWorkflow:childGo");
    const handleChildSignal = byName(spans, "HandleSignal:childGo");
    const clientSignal = byName(spans, "SignalWorkflow:go");
    const handleSignal = byName(spans, "HandleSignal:go");
    // Two activities: the parent's and the child's, each scheduled and run once.
    expect(startActivity).toHaveLength(2);
    expect(runActivity).toHaveLength(2);

    // One trace from the client's start down to the child's activity.
    for (const s of [run, ...startActivity, ...runActivity, startChild, runChild, signalChild, handleChildSignal]) expect(trace(s)).toBe(trace(start));
    expect(start.parentSpanId).toBeUndefined();
    expect(run.parentSpanId).toBe(id(start));
    const parentActivity = startActivity.find((s) => s.parentSpanId === id(run))!;
    const childActivity = startActivity.find((s) => s.parentSpanId === id(runChild))!;
    expect(parentActivity).toBeDefined();
    expect(childActivity).toBeDefined();
    expect(runActivity.map((s) => s.parentSpanId).sort()).toEqual([id(parentActivity), id(childActivity)].sort());
    expect(startChild.parentSpanId).toBe(id(run));
    expect(runChild.parentSpanId).toBe(id(startChild));
    expect(signalChild.parentSpanId).toBe(id(run));
    expect(handleChildSignal.parentSpanId).toBe(id(signalChild));
    // The client's signal starts its own trace (no active span around it); the handler joins it.
    expect(clientSignal.parentSpanId).toBeUndefined();
    expect(handleSignal.parentSpanId).toBe(id(clientSignal));
    expect(trace(handleSignal)).toBe(trace(clientSignal));

    // Attributes: the official keys on client and activity spans, WorkflowInfo on workflow spans.
    const runId = handle.firstExecutionRunId;
    expect(start.attributes).toEqual({ temporalWorkflowId: workflowId, run_id: runId });
    expect(clientSignal.attributes).toEqual({ temporalWorkflowId: workflowId });
    const parentRun = runActivity.find((s) => s.parentSpanId === id(parentActivity))!;
    expect(parentRun.attributes).toEqual({ temporalActivityId: "1", temporalWorkflowId: workflowId, run_id: runId });
    expect(run.attributes).toMatchObject({ workflowId, runId, workflowType: "traced", taskQueue });
    expect(runChild.attributes).toMatchObject({ workflowId: `${workflowId}-child`, workflowType: "tracedChild" });
    expect(run.resource.attributes["service.name"]).toBe("bun-worker");
    expect(start.resource.attributes["service.name"]).toBe("bun-test");
    // Status and kinds as official: OK, INTERNAL.
    for (const s of spans) {
      expect(s.status.code).toBe(otel.SpanStatusCode.OK);
      expect(s.kind).toBe(otel.SpanKind.INTERNAL);
      expect(s.ended).toBe(true);
    }
    // Workflow span times are workflow time: within the run, start before end.
    const hr = (t: otel.HrTime) => t[0] * 1e3 + t[1] / 1e6;
    expect(hr(run.startTime)).toBeLessThanOrEqual(hr(run.endTime));
    expect(hr(run.startTime)).toBeGreaterThanOrEqual(hr(start.startTime) - 1000);

    // The activity's log line carries the RunActivity span's ids.
    const attrs = activityLogAttrs.find((a) => a.trace_id === trace(parentRun) && a.span_id === id(parentRun));
    expect(attrs).toMatchObject({ trace_flags: "01", activityType: "greet" });
    // The workflow's log line carries the RunWorkflow span's ids (getLogAttributes).
    const line = log.lines.find((l) => l.message === "waiting for go" && l.meta?.workflowId === workflowId);
    expect(line?.meta).toMatchObject({ trace_id: trace(start), span_id: id(run), trace_flags: "01" });

    // The history replays with the interceptors (span ids from the run's seeded PRNG, times from workflow time).
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, workflowInterceptorModules: [MODULE] });
    exporter.reset();
    await Worker.runReplayHistory({ workflowBundle: bundle, sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exporter), Resource.empty()) } }, await handle.fetchHistory(), workflowId);
    // Nothing exported while replaying.
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  test("continue-as-new: a ContinueAsNew span, the next run's RunWorkflow in the same trace", async () => {
    exporter.reset();
    const handle = await client.workflow.start("tracedLoop", { taskQueue, workflowId: uid("loop"), args: [0] });
    expect(await handle.result()).toBe(1);
    const spans = await waitForSpans((s) => s.filter((x) => x.name === "RunWorkflow:tracedLoop").length === 2, "two RunWorkflow:tracedLoop spans");
    const start = byName(spans, "StartWorkflow:tracedLoop");
    const can = byName(spans, "ContinueAsNew:tracedLoop");
    const runs = spans.filter((s) => s.name === "RunWorkflow:tracedLoop");
    const first = runs.find((s) => s.parentSpanId === id(start))!;
    const second = runs.find((s) => s.parentSpanId === id(can))!;
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(can.parentSpanId).toBe(id(first));
    for (const s of runs) expect(trace(s)).toBe(trace(start));
    // ContinueAsNew is not an error of the run.
    expect(first.status.code).toBe(otel.SpanStatusCode.OK);
  });

  test("updates and queries: client spans, ValidateUpdate and HandleUpdate in the client's trace, a rejected update's validator span", async () => {
    exporter.reset();
    const workflowId = uid("updates");
    const handle = await client.workflow.start("tracedUpdates", { taskQueue, workflowId });
    expect(await handle.executeUpdate("bump", { args: [1], updateId: "first" })).toBe(1);
    const refused = await handle.executeUpdate("bump", { args: [-1], updateId: "refused" }).catch((err: unknown) => err);
    expect((refused as Error).message).toBe("Workflow Update failed");
    expect(((refused as Error).cause as Error).message).toBe("negative");
    expect(await handle.query("count")).toBe(1);
    expect(await handle.executeUpdate("bump", { args: [2], updateId: "second" })).toBe(3);
    expect(await handle.result()).toBe(3);
    const spans = await waitForSpans((s) => s.some((x) => x.name === "RunWorkflow:tracedUpdates"), "RunWorkflow:tracedUpdates");

    const clientUpdates = spans.filter((s) => s.name === "StartWorkflowUpdate:bump");
    expect(clientUpdates.map((s) => s.attributes.temporalUpdateId).sort()).toEqual(["first", "refused", "second"]);
    for (const s of clientUpdates) expect(s.attributes).toMatchObject({ temporalWorkflowId: workflowId, run_id: handle.firstExecutionRunId });
    const byUpdate = (name: string, updateId: string) => spans.filter((s) => s.name === name && s.attributes.temporalUpdateId === updateId);
    for (const updateId of ["first", "refused", "second"]) {
      const clientSpan = clientUpdates.find((s) => s.attributes.temporalUpdateId === updateId)!;
      const [validate] = byUpdate("ValidateUpdate:bump", updateId);
      expect(validate?.parentSpanId).toBe(id(clientSpan));
      expect(trace(validate!)).toBe(trace(clientSpan));
      const handled = byUpdate("HandleUpdate:bump", updateId);
      if (updateId === "refused") {
        // The validator threw: its span is an error, and the handler never ran.
        expect(validate!.status).toEqual({ code: otel.SpanStatusCode.ERROR, message: "negative" });
        expect(validate!.events.map((e) => e.name)).toEqual(["exception"]);
        expect(handled).toEqual([]);
        // The client's startUpdate returns the rejection as the outcome (the error is thrown by
        // the handle afterwards), so its span is OK, as official.
        expect(clientSpan.status.code).toBe(otel.SpanStatusCode.OK);
      } else {
        expect(handled).toHaveLength(1);
        expect(handled[0]!.parentSpanId).toBe(id(clientSpan));
      }
    }
    const query = byName(spans, "QueryWorkflow:count");
    expect(query.attributes).toEqual({ temporalWorkflowId: workflowId });
    // The query's handler span (made while answering the query) is exported once, in the client's trace.
    const handleQuery = byName(spans, "HandleQuery:count");
    expect(handleQuery.parentSpanId).toBe(id(query));
    expect(trace(handleQuery)).toBe(trace(query));
  });
});

