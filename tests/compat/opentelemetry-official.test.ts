/**
 * One trace across the two SDKs: an official 1.24 Client on Node with
 * @temporalio/interceptors-opentelemetry's client interceptor starts a workflow that our worker
 * runs with temporal-bun-sdk/opentelemetry, and the workflow's activity runs on an official
 * Worker on Node with the official activity interceptors. The client's StartWorkflow span, our
 * RunWorkflow and StartActivity spans and the official RunActivity span share one trace id and
 * chain parent to child: the `_tracer-data` header is read and written the same way by both.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import * as otel from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { Resource } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { join } from "node:path";
import { Client } from "../../src/client/index.js";
import { Worker } from "../../src/worker/index.js";
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from "../../src/opentelemetry/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { testEnv } from "../helpers/dev-server.js";
import { uid } from "../e2e/helpers.js";
import { replayOnOfficial, startOfficialWorker } from "./official-worker.js";

// Imports `temporal-bun-sdk/workflow`: the official replayer runs the same file.
const WORKFLOWS = new URL("./fixtures/otel-workflows.ts", import.meta.url).pathname;
const OFFICIAL_INTERCEPTORS = (dir: string) => join(dir, "node_modules/@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js");
const NODE_SIDE = new URL("./fixtures/otel-official.mjs", import.meta.url).pathname;

interface NodeSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  status: number;
  service: string;
}

const exporter = new InMemorySpanExporter();
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;
let sdkDir: string;

beforeAll(async () => {
  otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  sdkDir = await ensureOfficialSdk();
  const env = await testEnv();
  taskQueue = uid("otel-cross");
  worker = await Worker.create({
    connection: env.connection,
    taskQueue,
    workflowsPath: WORKFLOWS,
    interceptors: { workflowModules: ["temporal-bun-sdk/opentelemetry/workflow-interceptors"] },
    sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exporter), new Resource({ "service.name": "bun-worker" })) },
    shutdownSignals: [],
  });
  running = worker.run();
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
});

/** Runs the Node side to completion (its stdin is a pipe from here: it exits if this process dies). */
async function runOfficialSide(workflowId: string, activityQueue: string): Promise<{ result: string; spans: NodeSpan[] }> {
  const env = await testEnv();
  const child = spawn("node", [NODE_SIDE], {
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      OTEL_SDK_DIR: sdkDir,
      OTEL_ADDRESS: env.address,
      OTEL_NAMESPACE: env.namespace,
      OTEL_WORKFLOW_QUEUE: taskQueue,
      OTEL_ACTIVITY_QUEUE: activityQueue,
      OTEL_WORKFLOW_ID: workflowId,
      OTEL_WORKFLOW_TYPE: "crossTraced",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  try {
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`the official side exited with ${code}:\n${stderr}`);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  return JSON.parse(stdout.trim().split("\n").pop()!) as { result: string; spans: NodeSpan[] };
}

describe("one trace: official client (Node) → our workflow → official activity (Node)", () => {
  test("trace id and parent links across the SDKs", async () => {
    const workflowId = uid("otel-cross");
    const { result, spans: nodeSpans } = await runOfficialSide(workflowId, uid("otel-cross-activities"));
    expect(result).toBe("Hello from node, cross");

    const start = nodeSpans.find((s) => s.name === "StartWorkflow:crossTraced")!;
    const runActivity = nodeSpans.find((s) => s.name === "RunActivity:greet")!;
    expect(start).toBeDefined();
    expect(runActivity).toBeDefined();
    expect(start.attributes).toMatchObject({ temporalWorkflowId: workflowId });

    // Our workflow's spans arrive through the sink after the activations.
    let ours = exporter.getFinishedSpans();
    for (const until = Date.now() + 10_000; !ours.some((s) => s.name === "RunWorkflow:crossTraced") && Date.now() < until; ours = exporter.getFinishedSpans()) await Bun.sleep(50);
    const run = ours.find((s) => s.name === "RunWorkflow:crossTraced")!;
    const startActivity = ours.find((s) => s.name === "StartActivity:greet")!;
    expect(run).toBeDefined();
    expect(startActivity).toBeDefined();

    // One trace id, from the official client through our workflow to the official activity.
    expect(run.spanContext().traceId).toBe(start.traceId);
    expect(startActivity.spanContext().traceId).toBe(start.traceId);
    expect(runActivity.traceId).toBe(start.traceId);
    // Parent links: client start → our RunWorkflow → our StartActivity → official RunActivity.
    expect(run.parentSpanId).toBe(start.spanId);
    expect(startActivity.parentSpanId).toBe(run.spanContext().spanId);
    expect(runActivity.parentSpanId).toBe(startActivity.spanContext().spanId);
    expect(runActivity.attributes).toMatchObject({ temporalActivityId: "1", temporalWorkflowId: workflowId });
    expect(run.attributes).toMatchObject({ workflowId, workflowType: "crossTraced" });
    expect(run.resource.attributes["service.name"]).toBe("bun-worker");
    expect(start.service).toBe("official-node");

    // Our history (with the OpenTelemetry SDK flags our interceptors record) replays on the
    // official replayer with the official workflow interceptors.
    const history = await (await testEnv()).client.workflow.getHandle(workflowId).fetchHistory();
    const flags = history.events.flatMap((e) => (e.attributes.case === "workflowTaskCompletedEventAttributes" ? (e.attributes.value.sdkMetadata?.langUsedFlags ?? []) : []));
    expect(flags).toEqual(expect.arrayContaining([3, 4, 5, 6]));
    expect(await replayOnOfficial(sdkDir, WORKFLOWS, [{ workflowId, history }], { COMPAT_WORKFLOW_INTERCEPTOR_MODULES: OFFICIAL_INTERCEPTORS(sdkDir) })).toEqual([{ workflowId }]);
  }, 120_000);
});

describe("one trace: our client → a workflow on the official worker (Node) → our activity", () => {
  test("the official workflow interceptors read our header and write one our activity reads", async () => {
    const provider = new BasicTracerProvider();
    const clientExporter = new InMemorySpanExporter();
    provider.addSpanProcessor(new SimpleSpanProcessor(clientExporter));
    const tracer = provider.getTracer("cross");
    const env = await testEnv();
    const official = await startOfficialWorker(sdkDir, new URL("./fixtures/otel-workflows.ts", import.meta.url).pathname, "otel", {
      COMPAT_WORKFLOW_INTERCEPTOR_MODULES: OFFICIAL_INTERCEPTORS(sdkDir),
    });
    const activityQueue = uid("otel-our-activities");
    const activityWorker = await Worker.create({
      connection: env.connection,
      taskQueue: activityQueue,
      activities: { greet: async (name: string) => `Hello from bun, ${name}` },
      interceptors: { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }) })] },
      shutdownSignals: [],
    });
    const activityRun = activityWorker.run();
    try {
      const client = new Client({ connection: env.connection, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] } });
      const workflowId = uid("otel-reverse");
      expect(await client.workflow.execute("crossTraced", { taskQueue: official.taskQueue, workflowId, args: [activityQueue, "reverse"] })).toBe("Hello from bun, reverse");
      const spans = clientExporter.getFinishedSpans();
      const start = spans.find((s) => s.name === "StartWorkflow:crossTraced")!;
      const runActivity = spans.find((s) => s.name === "RunActivity:greet")!;
      expect(start).toBeDefined();
      expect(runActivity).toBeDefined();
      // The official workflow's spans are not collected here (they stay in its worker), but our
      // activity's span is in our client's trace, under a span the official workflow made.
      expect(runActivity.spanContext().traceId).toBe(start.spanContext().traceId);
      expect(runActivity.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spans.map((s) => s.spanContext().spanId)).not.toContain(runActivity.parentSpanId);
      expect(runActivity.attributes).toMatchObject({ temporalWorkflowId: workflowId, temporalActivityId: "1" });

      // The official history (made with the official tracing interceptors) replays on our
      // replayer with ours, exporting nothing.
      const replayed = new InMemorySpanExporter();
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory(
        {
          workflowsPath: WORKFLOWS,
          interceptors: { workflowModules: ["temporal-bun-sdk/opentelemetry/workflow-interceptors"] },
          sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(replayed), Resource.empty()) },
        },
        history,
        workflowId,
      );
      expect(replayed.getFinishedSpans()).toEqual([]);
    } finally {
      activityWorker.shutdown();
      await activityRun;
      await official.stop();
    }
  }, 180_000);
});

