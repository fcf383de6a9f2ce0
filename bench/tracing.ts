/**
 * The cost of tracing: worker CPU per workflow with and without the OpenTelemetry interceptors,
 * temporal-bun-sdk (temporal-bun-sdk/opentelemetry) against the official SDK 1.24 on Node
 * (@temporalio/interceptors-opentelemetry 1.24.0), same run, same dev server.
 *
 *   bun bench/tracing.ts [N]          # N hello workflows (1 activity each) per round, default 200
 *
 * Four worker kinds (bun/node × tracing off/on), each run in ROUNDS rounds, interleaved; each
 * round is a fresh worker subprocess (bench/tracing/{bun-worker.ts,node-worker.mjs}) on its own
 * task queue, with bench/peer's identical worker options. After one warm-up workflow, N
 * workflows are started at once and awaited; the worker's CPU time over that run
 * (/proc/<pid>/stat utime + stime) divided by N is the figure. With tracing, the driver's
 * client has the tracing client interceptor too (so the workflows carry a trace header, as in
 * production); spans go to a processor that only counts them (the worker prints the count,
 * checked: 3 per workflow, RunWorkflow, StartActivity and RunActivity; the client's
 * StartWorkflow span is the driver's).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import * as otel from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { Client } from "../src/client/index.js";
import { OpenTelemetryWorkflowClientInterceptor } from "../src/opentelemetry/index.js";
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { OFFICIAL_VERSION, ensureOfficialSdk } from "../tools/official-sdk.js";

const N = Number(process.argv[2] ?? 200);
const ROUNDS = 2;
const CLK_TCK = 100;
const here = new URL("./tracing/", import.meta.url).pathname;
type Sdk = "bun" | "node";
interface Kind {
  sdk: Sdk;
  tracing: boolean;
}
const label = (k: Kind) => `${k.sdk === "bun" ? "temporal-bun-sdk" : "official"} ${k.tracing ? "tracing" : "no tracing"}`;

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

const sameOptions = (sdk: Sdk) => {
  const same = { maxCachedWorkflows: 1000, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100, stickyQueueScheduleToStartTimeout: "10s" };
  return sdk === "bun" ? { ...same, maxConcurrentWorkflowTaskPolls: 10, maxConcurrentActivityTaskPolls: 10 } : same;
};

const sdkDir = await ensureOfficialSdk();
otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const driverTracer = new BasicTracerProvider().getTracer("bench-driver"); // spans sampled, not exported
const env = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error" } });
const plain = env.client;
const traced = new Client({ connection: env.connection, namespace: env.namespace, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: driverTracer })] } });

interface Result {
  kind: Kind;
  cpuMsPerWf: number;
  wallS: number;
  spans: number;
}

async function round(kind: Kind, index: number): Promise<Result> {
  const taskQueue = `tracing-${kind.sdk}-${kind.tracing ? "on" : "off"}-${index}-${crypto.randomUUID()}`;
  const [cmd, script] = kind.sdk === "bun" ? [process.execPath, `${here}bun-worker.ts`] : ["node", `${here}node-worker.mjs`];
  const child: ChildProcess = spawn(cmd, [script], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PEER_ADDRESS: env.address, PEER_TASK_QUEUE: taskQueue, PEER_NODE_SDK_DIR: sdkDir, PEER_OPTIONS: JSON.stringify(sameOptions(kind.sdk)), TRACING: kind.tracing ? "1" : "0" },
  });
  const pid = child.pid!;
  const stderr: string[] = [];
  child.stderr!.on("data", (d) => stderr.push(String(d)));
  let spans = -1;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.trim() === "PEER_READY") resolve();
      else if (line.startsWith("SPANS ")) spans = Number(line.slice(6));
      else process.stdout.write(`  [${kind.sdk}] ${line}\n`);
    });
    exited.then((code) => reject(new Error(`${label(kind)} worker exited (${code}) before ready:\n${stderr.join("")}`)));
  });
  try {
    await ready;
    await sleep(2000);
    const client = kind.tracing ? traced : plain;
    const run = async (i: number) => {
      const r = await client.workflow.execute("hello", { taskQueue, workflowId: `${taskQueue}-${i}`, args: [`w${i}`], workflowExecutionTimeout: "120s" });
      if (r !== `Hello, w${i}!`) throw new Error(`${label(kind)}: unexpected result ${JSON.stringify(r)}`);
    };
    await run(-1);
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: N }, (_, i) => run(i)));
    const wallS = (performance.now() - t0) / 1000;
    const cpuMsPerWf = ((cpuSeconds(pid) - cpu0) * 1000) / N;
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000)]);
    return { kind, cpuMsPerWf, wallS, spans };
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  }
}

const nodeVersion = await new Promise<string>((resolve) => {
  const p = spawn("node", ["--version"]);
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.on("exit", () => resolve(out.trim()));
});
console.log(`tracing benchmark: ${N} hello workflows (1 activity each) per round, ${ROUNDS} rounds per kind; Bun ${Bun.version} vs official ${OFFICIAL_VERSION} on Node ${nodeVersion}; server ${env.address}`);
const kinds: Kind[] = [
  { sdk: "bun", tracing: false },
  { sdk: "node", tracing: false },
  { sdk: "bun", tracing: true },
  { sdk: "node", tracing: true },
];
const results: Result[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of kinds) {
      const res = await round(kind, r);
      results.push(res);
      console.log(`  ${label(kind).padEnd(30)} round ${r + 1}: ${res.cpuMsPerWf.toFixed(2)} ms CPU/workflow, ${(N / res.wallS).toFixed(0)} wf/s${kind.tracing ? `, ${res.spans} spans exported by the worker` : ""}`);
      // RunWorkflow + StartActivity + RunActivity per workflow (the warm-up one included).
      if (kind.tracing && res.spans !== 3 * (N + 1)) throw new Error(`${label(kind)}: ${res.spans} spans, expected ${3 * (N + 1)}`);
    }
  }
} finally {
  await env.teardown();
}

const best = (k: Kind) => Math.min(...results.filter((r) => r.kind.sdk === k.sdk && r.kind.tracing === k.tracing).map((r) => r.cpuMsPerWf));
const all = (k: Kind) => results.filter((r) => r.kind.sdk === k.sdk && r.kind.tracing === k.tracing).map((r) => r.cpuMsPerWf.toFixed(2)).join(", ");
console.log(`\nworker CPU per workflow (ms; best of ${ROUNDS} rounds, all rounds in brackets)`);
console.log(`| | no tracing | tracing | tracing cost | ratio on/off |`);
console.log(`|---|---|---|---|---|`);
for (const sdk of ["bun", "node"] as const) {
  const off = best({ sdk, tracing: false });
  const on = best({ sdk, tracing: true });
  console.log(`| ${sdk === "bun" ? "temporal-bun-sdk (Bun)" : `official ${OFFICIAL_VERSION} (Node)`} | ${off.toFixed(2)} (${all({ sdk, tracing: false })}) | ${on.toFixed(2)} (${all({ sdk, tracing: true })}) | +${(on - off).toFixed(2)} | ${(on / off).toFixed(2)} |`);
}
const ratio = (t: boolean) => best({ sdk: "bun", tracing: t }) / best({ sdk: "node", tracing: t });
console.log(`ours/official: ${ratio(false).toFixed(2)} without tracing, ${ratio(true).toFixed(2)} with tracing; tracing cost ours/official: ${((best({ sdk: "bun", tracing: true }) - best({ sdk: "bun", tracing: false })) / (best({ sdk: "node", tracing: true }) - best({ sdk: "node", tracing: false }))).toFixed(2)}`);
process.exit(0);
