/**
 * Activity interceptors on our worker against the official @temporalio/worker 1.24's: the same
 * interceptors and activities (tools/compat/activity-interceptor-scenarios.mjs: an
 * `activityInbound` factory and two `activity` factories changing args, result, log attributes
 * and metric tags; a call blocked by throwing; a retried activity) run on an activity-only worker
 * of each SDK — the official one in node (tools/compat/node-activity-worker.mjs) — for the same
 * workflow (ours). What the hooks saw, in order (factories, execute inputs and results,
 * getLogAttributes and getMetricTags inputs), what the workflow got, and the log lines about the
 * activities must be the same, except KNOWN_DIFFERENCES, each a row of docs/compatibility.md.
 * Run alone: `bun test tests/compat/activity-interceptors-official.test.ts` (needs node and npm
 * once, for tools/official-sdk.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { Context } from "../../src/activity/index.js";
import { ApplicationFailure } from "../../src/common/index.js";
import { Worker } from "../../src/worker/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { makeActivityWorkerParts } from "../../tools/compat/activity-interceptor-scenarios.mjs";
import { captureWorkerLog, env, startWorker, uid, type LogLine, type RunningWorker } from "../e2e/helpers.js";

const NODE_WORKER = new URL("../../tools/compat/node-activity-worker.mjs", import.meta.url).pathname;
const FILE = "activity-interceptor-workflows.ts";

/**
 * docs/compatibility.md, "the worker's `Activity failed` log line": the official line's `error`
 * is the thrown Error itself (here as its JSON, own enumerable fields only), ours its
 * `Name: message`.
 */
const KNOWN_DIFFERENCES = [
  'lines.4.meta.error: official {"type":"PolicyViolation","nonRetryable":true,"details":[]}, ours "ApplicationFailure: blocked guarded by policy"',
  'lines.6.meta.error: official {}, ours "Error: attempt 1 fails"',
];

/** Ids, run ids, task queues and task tokens by placeholders. */
function normalize(value: unknown, names: Record<string, string>): unknown {
  if (typeof value === "string") {
    let s = value;
    for (const [from, to] of Object.entries(names)) s = s.replaceAll(from, to);
    return s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>");
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, names));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "taskToken" && v !== undefined ? "<taskToken>" : k === "durationMs" ? "<ms>" : normalize(v, names)]));
  }
  return value;
}

function differences(official: unknown, ours: unknown, path = ""): string[] {
  if (Array.isArray(official) && Array.isArray(ours) && official.length === ours.length) return official.flatMap((x, i) => differences(x, ours[i], `${path}.${i}`));
  if (official !== null && ours !== null && typeof official === "object" && typeof ours === "object" && !Array.isArray(official) && !Array.isArray(ours)) {
    const a = official as Record<string, unknown>;
    const b = ours as Record<string, unknown>;
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(official) === JSON.stringify(ours) ? [] : [`${path}: official ${JSON.stringify(official)}, ours ${JSON.stringify(ours)}`];
}

let workflows: RunningWorker;
let node: ChildProcess | undefined;
let log: { lines: LogLine[]; restore: () => void };

beforeAll(async () => {
  log = await captureWorkerLog();
  workflows = await startWorker(FILE);
});

afterAll(async () => {
  log.restore();
  node?.kill("SIGKILL");
  await workflows?.stop();
});

/** The activity lines of one workflow's activities (what both SDKs log about them). */
function activityLines(lines: LogLine[], workflowId: string): LogLine[] {
  return lines
    .filter((l) => l.meta?.workflowId === workflowId && ["greeting", "Activity started", "Activity completed", "Activity failed"].includes(l.message))
    .map((l) => ({ level: l.level, message: l.message, meta: l.meta }));
}

test("the same interceptors see the same inputs, in the same order, and change the same things on both SDKs' workers", async () => {
  const e = await env();
  const c = e.client;
  const sdkDir = await ensureOfficialSdk();

  // The official activity worker (node).
  const officialQueue = uid("ai-official");
  node = spawn("node", [NODE_WORKER], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, COMPAT_SDK_DIR: sdkDir, COMPAT_ADDRESS: e.address, COMPAT_NAMESPACE: e.namespace, COMPAT_TASK_QUEUE: officialQueue },
  });
  let stderr = "";
  node.stderr!.on("data", (d) => (stderr += d));
  const out: string[] = [];
  const rl = createInterface({ input: node.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    rl.on("line", (l) => {
      out.push(l);
      if (l === "ready") resolve();
    });
    node!.once("exit", (code) => reject(new Error(`the official worker exited with ${code}:\n${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => node!.once("exit", () => resolve()));
  await ready;

  // Ours, with the same parts.
  const ours = makeActivityWorkerParts({ Context, ApplicationFailure });
  const ourQueue = uid("ai-ours");
  const worker = await Worker.create({ connection: e.connection, taskQueue: ourQueue, activities: ours.activities, interceptors: ours.interceptors, shutdownSignals: [] });
  const running = worker.run();
  let officialResult: unknown;
  let ourResult: unknown;
  const officialId = uid("ai-wf-official");
  const ourId = uid("ai-wf-ours");
  try {
    officialResult = await c.workflow.execute("remoteOn", { workflowId: officialId, taskQueue: workflows.taskQueue, args: [officialQueue, "zoe"] });
    ourResult = await c.workflow.execute("remoteOn", { workflowId: ourId, taskQueue: workflows.taskQueue, args: [ourQueue, "zoe"] });
  } finally {
    worker.shutdown();
    await running;
    node.stdin!.write("stop\n");
    await exited;
  }
  const official = JSON.parse(out.at(-1)!) as { record: unknown[]; lines: LogLine[] };

  expect(ourResult).toEqual(["hello ZOE #1 [B]", { causeType: "PolicyViolation", causeMessage: "blocked guarded by policy", message: "Activity task failed" }, "attempt 2 [B]"]);
  const officialNames = { [officialId]: "<workflowId>", [officialQueue]: "<activityQueue>", [workflows.taskQueue]: "<workflowQueue>" };
  const ourNames = { [ourId]: "<workflowId>", [ourQueue]: "<activityQueue>", [workflows.taskQueue]: "<workflowQueue>" };
  const found = [
    ...differences(normalize(officialResult, officialNames), normalize(ourResult, ourNames), "result"),
    ...differences(normalize(official.record, officialNames), normalize(ours.record, ourNames), "record"),
    ...differences(normalize(activityLines(official.lines, officialId), officialNames), normalize(activityLines(log.lines, ourId), ourNames), "lines"),
  ];
  expect(found).toEqual(KNOWN_DIFFERENCES);
  // Not vacuous: the lines compared are there, with the interceptors' attributes, and the records hold every hook.
  const ourLines = activityLines(log.lines, ourId);
  expect(ourLines.map((l) => l.message)).toContain("greeting");
  expect(ourLines.map((l) => l.message)).toContain("Activity failed");
  expect(ourLines.find((l) => l.message === "greeting")!.meta).toMatchObject({ tenant: "acme", layer: "B", tenantSeenByB: "acme", sdkComponent: "activity" });
  const events = new Set((ours.record as { event: string }[]).map((r) => r.event));
  expect([...events].sort()).toEqual(["execute", "executed", "factory", "fn", "getLogAttributes", "getMetricTags"]);
}, 120_000);
