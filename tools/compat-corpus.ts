/**
 * Mixed-fleet check: do histories recorded by one SDK replay on the other?
 *
 *   bun tools/compat-corpus.ts [count=100] [--no-write]
 *
 * 1. Installs the official SDK 1.24 from npm into the cache (tools/official-sdk.ts) and starts a
 *    dev server (src/testing TestWorkflowEnvironment.createLocal), or uses TEMPORAL_ADDRESS.
 * 2. Records `count` histories with the official SDK on Node (tools/compat/node-worker.mjs, a
 *    Worker of @temporalio/worker) and `count` with ours on Bun (a Worker of src/worker, in this
 *    process), at the same time, for the same workflows (tools/compat/workflows.ts, one source)
 *    with the same inputs and signals (tools/compat/corpus.ts).
 * 3. Replays the official corpus on ours (Worker.runReplayHistories, here) and ours on the
 *    official SDK (Worker.runReplayHistories on Node), prints both counts, and exits non-zero
 *    if any history fails to replay.
 * 4. Writes the official corpus to tests/compat/corpus/official-1.24.0.jsonl (unless
 *    --no-write), which tests/compat/corpus.test.ts replays on every test run.
 *
 * Everything started here (dev server, Node worker, our worker) is stopped on every exit path,
 * SIGINT and SIGTERM included.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { Worker } from "../src/worker/index.js";
import { ensureOfficialSdk, OFFICIAL_VERSION } from "./official-sdk.js";
import * as activities from "./compat/activities.mjs";
import { WORKFLOWS_PATH, readCorpus, recordRuns, writeCorpus, type RecordedHistory } from "./compat/corpus.js";

const args = process.argv.slice(2);
const write = !args.includes("--no-write");
const count = Number(args.find((a) => !a.startsWith("--")) ?? 100);
if (!Number.isInteger(count) || count < 1) throw new TypeError(`count must be a positive integer, got ${JSON.stringify(args[0])}`);

const NODE_WORKER = new URL("./compat/node-worker.mjs", import.meta.url).pathname;
const CORPUS_FILE = new URL(`../tests/compat/corpus/official-${OFFICIAL_VERSION}.jsonl`, import.meta.url).pathname;

// ---------------------------------------------------------------- cleanup on every exit path
const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping everything this script started …`);
    void cleanup().finally(() => process.exit(130));
  });
}

function killChild(child: ChildProcess, name: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.error(`${name} did not exit 15 s after SIGTERM; killing it`);
      child.kill("SIGKILL");
    }, 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * The official worker on Node; resolves once it printed COMPAT_READY (its workflow code is
 * bundled), with a promise that rejects if the worker exits before it is stopped.
 */
async function startNodeWorker(sdkDir: string, address: string, namespace: string, taskQueue: string): Promise<{ exited: Promise<never> }> {
  const child = spawn("node", [NODE_WORKER, "run"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, COMPAT_SDK_DIR: sdkDir, COMPAT_ADDRESS: address, COMPAT_NAMESPACE: namespace, COMPAT_TASK_QUEUE: taskQueue },
  });
  let stopping = false;
  cleanups.push(() => {
    stopping = true;
    return killChild(child, "the official worker");
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 200) stderr.shift();
  });
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.trim() === "COMPAT_READY") resolve();
    });
    child.once("exit", (code, signal) => reject(new Error(`the official worker exited (${code ?? signal}) before it was ready:\n${stderr.join("")}`)));
  });
  const exited = new Promise<never>((_, reject) => {
    child.once("exit", (code, signal) => {
      if (!stopping) reject(new Error(`the official worker exited (${code ?? signal}) while recording:\n${stderr.join("")}`));
    });
  });
  exited.catch(() => undefined); // observed by the race in main()
  return { exited };
}

/** Rejects after `ms`: nothing here may wait forever (a lost workflow, a stuck worker). */
function deadline(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    cleanups.push(() => clearTimeout(timer));
  });
}

/** Replays `file` on the official SDK (Node); returns the workflow ids that failed, with the error. */
function replayOnOfficial(sdkDir: string, file: string): { total: number; failures: { workflowId: string; error: string }[] } {
  const r = spawnSync("node", [NODE_WORKER, "replay", file], { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, COMPAT_SDK_DIR: sdkDir } });
  if (r.status !== 0) throw new Error(`replay on the official SDK failed (exit ${r.status}):\n${r.stderr}`);
  const results = r.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { workflowId: string; error?: string });
  return { total: results.length, failures: results.filter((x) => x.error !== undefined) as { workflowId: string; error: string }[] };
}

/** Replays `histories` on ours; returns the failures. */
async function replayOnOurs(histories: RecordedHistory[]): Promise<{ total: number; failures: { workflowId: string; error: string }[] }> {
  const failures: { workflowId: string; error: string }[] = [];
  let total = 0;
  const input = histories.map((h) => ({ workflowId: h.workflowId, history: h.history }));
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, input)) {
    total++;
    if (result.error) failures.push({ workflowId: result.workflowId, error: `${result.error.name}: ${result.error.message}` });
  }
  return { total, failures };
}

function report(label: string, r: { total: number; failures: { workflowId: string; error: string }[] }, expected: number): boolean {
  console.log(`${label}: ${r.total - r.failures.length}/${expected} replay clean`);
  for (const f of r.failures.slice(0, 10)) console.log(`  ${f.workflowId}: ${f.error.split("\n")[0]}`);
  if (r.failures.length > 10) console.log(`  … and ${r.failures.length - 10} more`);
  return r.failures.length === 0 && r.total === expected;
}

async function main(): Promise<number> {
  const started = performance.now();
  const sdkDir = await ensureOfficialSdk();

  const external = process.env.TEMPORAL_ADDRESS;
  const env = external
    ? await TestWorkflowEnvironment.createFromExistingServer({ address: external })
    : await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error" } });
  cleanups.push(() => env.teardown());
  console.log(`server ${env.address} (${external ? "TEMPORAL_ADDRESS" : "dev server started here"})`);

  const tag = `${Date.now().toString(36)}-${process.pid}`;
  const officialQueue = `compat-official-${tag}`;
  const oursQueue = `compat-ours-${tag}`;

  const tNode = performance.now();
  const nodeWorker = await startNodeWorker(sdkDir, env.address, env.namespace, officialQueue);
  console.log(`official worker ready in ${((performance.now() - tNode) / 1000).toFixed(1)} s (webpack bundling included)`);

  const worker = await Worker.create({
    connection: env.connection,
    namespace: env.namespace,
    taskQueue: oursQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities,
    shutdownSignals: [],
  });
  const running = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await running.catch(() => undefined);
  });

  const tRecord = performance.now();
  const [official, ours] = await Promise.race([
    Promise.all([
      recordRuns(env.client, officialQueue, `compat-official-${tag}`, count),
      recordRuns(env.client, oursQueue, `compat-ours-${tag}`, count),
    ]),
    nodeWorker.exited,
    running.then(() => Promise.reject(new Error("our worker stopped while recording"))),
    deadline(300_000, "recording"),
  ]);
  console.log(`recorded ${official.length} histories with the official SDK ${OFFICIAL_VERSION} (Node) and ${ours.length} with ours (Bun) in ${((performance.now() - tRecord) / 1000).toFixed(1)} s`);

  const dir = mkdtempSync(join(tmpdir(), "compat-corpus-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const oursFile = join(dir, "ours.jsonl");
  writeCorpus(oursFile, ours);
  const officialFile = write ? CORPUS_FILE : join(dir, "official.jsonl");
  writeCorpus(officialFile, official);

  // The file is what the test replays: replay what was written, read back.
  const officialOnOurs = await replayOnOurs(readCorpus(officialFile));
  const oursOnOfficial = replayOnOfficial(sdkDir, oursFile);
  const ok1 = report("official→ours", officialOnOurs, count);
  const ok2 = report("ours→official", oursOnOfficial, count);

  const size = statSync(officialFile).size;
  console.log(`${write ? "wrote" : "checked (not written)"} ${officialFile}: ${count} histories, ${(size / 1024).toFixed(0)} KiB`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return ok1 && ok2 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(err);
} finally {
  await cleanup();
}
process.exit(code);
