/**
 * Workflow `metricMeter` on the dev server: records reach core's Prometheus scrape with the
 * official tags (namespace, taskQueue from the worker; workflowType and the getMetricTags
 * interceptors' tags from the workflow; the record's own tags), once per record even when
 * every activation replays the run from history (no workflow cache), and a negative value
 * fails the workflow task with the official message.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { NativeConnection, Runtime, Worker } from "../../src/worker/index.js";
import { client, fixture, uid } from "./helpers.js";
import { testServer } from "../helpers/dev-server.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";

const FILE = fixture("workflow-metrics.ts");

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** Samples of `name` (Prometheus text format) as [labels, value]. */
async function samples(port: number, name: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of m[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[l[1]!] = l[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

const port = freePort();
let runtime: Runtime;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uid("wf-metrics");

beforeAll(async () => {
  runtime = Runtime.create({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } }, logging: { forward: false } } });
  connection = await NativeConnection.connect({ address: (await testServer()).address, runtime });
  // No cache: every activation replays the run first, so a record made before a timer is seen
  // again in replay and must not be counted twice.
  worker = await Worker.create({ connection, taskQueue, workflowsPath: FILE, interceptors: { workflowModules: [FILE] }, maxCachedWorkflows: 0, shutdownSignals: [] });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await runtime?.shutdown();
});

test("counter, histogram and gauge records reach the scrape once each, with the worker's and the workflow's tags", async () => {
  const c = await client();
  const handle = await c.workflow.start("metered", { taskQueue, workflowId: uid("metered") });
  expect(await handle.result()).toBe("metered");
  // service_name is core's own label; namespace and taskQueue the worker's (official tag names).
  const base = { service_name: "temporal-core-sdk", namespace: "default", taskQueue, workflowType: "metered", tenant: "acme" };
  const counts = await samples(port, "wf_test_events");
  expect(counts.find((s) => s.labels.phase === "start")).toEqual({ labels: { ...base, phase: "start" }, value: 1 });
  expect(counts.find((s) => s.labels.phase === "end")).toEqual({ labels: { ...base, phase: "end" }, value: 2 });
  const histogramCount = (await samples(port, "wf_test_latency_count")).find((s) => s.labels.taskQueue === taskQueue);
  expect(histogramCount).toEqual({ labels: base, value: 1 });
  const gauge = (await samples(port, "wf_test_depth")).find((s) => s.labels.taskQueue === taskQueue);
  expect(gauge).toEqual({ labels: base, value: 7 });
});

test("a negative value fails the workflow task with the official message", async () => {
  const c = await client();
  const handle = await c.workflow.start("negative", { taskQueue, workflowId: uid("negative") });
  const until = Date.now() + 15_000;
  let message: string | undefined;
  while (Date.now() < until && message === undefined) {
    const history = await handle.fetchHistory();
    const failed = history.events.find((e) => e.eventType === EventType.WORKFLOW_TASK_FAILED);
    if (failed?.attributes.case === "workflowTaskFailedEventAttributes") message = failed.attributes.value.failure?.message;
    else await Bun.sleep(100);
  }
  expect(message).toBe("MetricCounter value must be non-negative (got -1)");
  await handle.terminate("test done");
});
