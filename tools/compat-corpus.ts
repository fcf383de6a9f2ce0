/**
 * Mixed-fleet check: do histories recorded by one SDK replay on the other?
 *
 *   bun tools/compat-corpus.ts [count=150] [--no-write]
 *
 * 1. Installs the official SDK 1.24 from npm into the cache (tools/official-sdk.ts) and starts a
 *    dev server (src/testing TestWorkflowEnvironment.createLocal), or uses TEMPORAL_ADDRESS.
 * 2. Records `count` histories with the official SDK on Node (tools/compat/node-worker.mjs, a
 *    Worker of @temporalio/worker) and `count` with ours on Bun (a Worker of src/worker, in this
 *    process), at the same time, for the same workflows (tools/compat/workflows.ts, one source)
 *    with the same inputs and signals (tools/compat/corpus.ts).
 *    And `count` more on one task queue that both SDKs serve without sticky caches
 *    (maxCachedWorkflows 0), so the workflow tasks of each run alternate between them and each
 *    replays what the other wrote: the mixed fleet itself. Child workflows run on their
 *    parent's task queue, so on the mixed queue a parent of one SDK has children run by either;
 *    the histories of the children are recorded (and replayed, and checked) with their parents'.
 *    And the child workflow shapes once more on each SDK's queue with their children on the other
 *    SDK's queue (memo `compatChildTaskQueue`): every child runs on the other SDK than its parent.
 * 3. Replays the official corpus on ours (Worker.runReplayHistories, here) and ours on the
 *    official SDK (Worker.runReplayHistories on Node), and the mixed and split histories on both; checks
 *    that no workflow task of the mixed queue failed and that both SDKs completed some; compares
 *    the child-start commands of the runs that draw nothing (childOptions) between the SDKs,
 *    field by field as the server recorded them; prints the counts, and exits non-zero if
 *    anything failed.
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
import { CHILD_STARTING_TYPES, WORKFLOWS_PATH, isCorpusRun, readCorpus, recordRuns, writeCorpus, type RecordedHistory } from "./compat/corpus.js";
import { toJson } from "@bufbuild/protobuf";
import { HistoryEventSchema, type HistoryEvent } from "../src/proto/temporal/api/history/v1/message_pb.js";
import { WorkflowTaskFailedCause } from "../src/proto/temporal/api/enums/v1/failed_cause_pb.js";
import { EventType } from "../src/proto/temporal/api/enums/v1/event_type_pb.js";

const USAGE = `usage: bun tools/compat-corpus.ts [count=150] [--no-write]
  count        runs per recording (official, ours, mixed queue); children come on top. 150: about
               8 runs of each of the 19 corpus workflows, enough for tests/compat/corpus.test.ts
               to find each kind of event the shapes are there for
  --no-write   check only: do not overwrite tests/compat/corpus/official-<version>.jsonl
  env: TEMPORAL_ADDRESS (use that server instead of starting a dev server),
       COMPAT_RUN_TIMEOUT (each run's workflowExecutionTimeout, default "2 minutes")`;
const args = process.argv.slice(2);
// An unknown flag must not start a recording that overwrites the committed corpus.
const unknown = args.filter((a) => a.startsWith("-") && a !== "--no-write");
if (unknown.length > 0) {
  console.log(USAGE);
  process.exit(unknown.every((a) => a === "--help" || a === "-h") ? 0 : 2);
}
const write = !args.includes("--no-write");
const countArg = args.find((a) => !a.startsWith("-"));
const count = Number(countArg ?? 150);
if (!Number.isInteger(count) || count < 1) throw new TypeError(`count must be a positive integer, got ${JSON.stringify(countArg)}`);

const NODE_WORKER = new URL("./compat/node-worker.mjs", import.meta.url).pathname;
/** Worker identities, to tell who completed each workflow task on the mixed queue. */
const OFFICIAL_IDENTITY = `compat-official@${process.pid}`;
const OURS_IDENTITY = `compat-ours@${process.pid}`;
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
async function startNodeWorker(
  sdkDir: string,
  address: string,
  namespace: string,
  taskQueue: string,
  extra: { identity: string; maxCached?: number },
): Promise<{ exited: Promise<never> }> {
  const env: Record<string, string | undefined> = { ...process.env, COMPAT_SDK_DIR: sdkDir, COMPAT_ADDRESS: address, COMPAT_NAMESPACE: namespace, COMPAT_TASK_QUEUE: taskQueue };
  env.COMPAT_IDENTITY = extra.identity;
  if (extra.maxCached !== undefined) env.COMPAT_MAX_CACHED = String(extra.maxCached);
  const child = spawn("node", [NODE_WORKER, "run"], { stdio: ["ignore", "pipe", "pipe"], env });
  let stopping = false;
  cleanups.push(() => {
    stopping = true;
    return killChild(child, "the official worker");
  });
  const stderr: string[] = [];
  // Its errors (core's included, logged by its DefaultLogger on stderr) are shown, so both SDKs'
  // workers are heard alike.
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderr.push(`${line}\n`);
    if (stderr.length > 200) stderr.shift();
    if (line.includes("[ERROR]")) console.error(`official worker: ${line}`);
  });
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.trim() === "COMPAT_READY") resolve();
      // Core's own log lines (printed by core on stdout, not through the SDK's logger): errors
      // are shown, so both SDKs' workers are heard alike.
      else if (line.includes("ERROR")) console.error(`official worker: ${line}`);
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

/**
 * Workflow task failures that are no SDK's doing: a reset, and the server refusing a completion
 * because new events (a signal) arrived while the task ran (UnhandledCommand; the task is redone).
 */
const BENIGN_TASK_FAILURES = new Set([WorkflowTaskFailedCause.RESET_WORKFLOW, WorkflowTaskFailedCause.UNHANDLED_COMMAND]);
/** How runs close that the server closes itself, failing a task still in flight with FORCE_CLOSE_COMMAND. */
const CLOSED_BY_SERVER = new Set([EventType.WORKFLOW_EXECUTION_TIMED_OUT, EventType.WORKFLOW_EXECUTION_TERMINATED]);

/**
 * Also no SDK's doing: the server closing a run (its execution timeout, as the children of
 * `childFailures` that run past theirs; a termination) while one of its workflow tasks was in
 * flight writes that task's failure itself (identity "history-service", FORCE_CLOSE_COMMAND).
 */
function isBenignTaskFailure(h: RecordedHistory, cause: WorkflowTaskFailedCause, identity: string): boolean {
  if (BENIGN_TASK_FAILURES.has(cause)) return true;
  return cause === WorkflowTaskFailedCause.FORCE_CLOSE_COMMAND && identity === "history-service" && CLOSED_BY_SERVER.has(h.history.events.at(-1)!.eventType);
}

/**
 * The mixed queue: every history must have been built without a workflow task failing (a task
 * failure there is one SDK refusing what the other wrote, e.g. a nondeterminism error), and
 * tasks must have been completed by both SDKs.
 */
function reportMixed(histories: RecordedHistory[], expected: number): boolean {
  let official = 0;
  let ours = 0;
  const failures: { workflowId: string; error: string }[] = [];
  for (const h of histories) {
    for (const e of h.history.events) {
      const a = e.attributes;
      if (a.case === "workflowTaskCompletedEventAttributes") {
        if (a.value.identity === OFFICIAL_IDENTITY) official++;
        else if (a.value.identity === OURS_IDENTITY) ours++;
      } else if (a.case === "workflowTaskFailedEventAttributes" && !isBenignTaskFailure(h, a.value.cause, a.value.identity)) {
        failures.push({
          workflowId: `${h.workflowId}${h.parentWorkflowId === undefined ? "" : ` (${h.workflowType}, child of ${h.parentWorkflowId})`}`,
          error: `${a.value.identity}: ${WorkflowTaskFailedCause[a.value.cause]}: ${a.value.failure?.message ?? "(no failure)"}`,
        });
        break;
      }
    }
  }
  const ok = report("mixed queue (both SDKs, no sticky cache; children included)", { total: histories.length, failures }, expected);
  console.log(`  workflow tasks completed: ${official} by the official SDK, ${ours} by ours`);
  // Children started by the other SDK than the one that started their parent show the fleets
  // handing work across.
  const startedBy = startedByMap(histories);
  const children = histories.filter((h) => !isCorpusRun(h) && startedBy.has(h.workflowId) && startedBy.has(h.parentWorkflowId!));
  const across = children.filter((h) => startedBy.get(h.workflowId) !== startedBy.get(h.parentWorkflowId!));
  const oursUnderOfficial = across.filter((h) => startedBy.get(h.workflowId) === OURS_IDENTITY).length;
  console.log(
    `  children started by the other SDK than their parent: ${across.length} of ${children.length} (${oursUnderOfficial} by ours under an official parent, ${across.length - oursUnderOfficial} by the official SDK under ours)`,
  );
  return ok && official > 0 && ours > 0;
}

/** Which worker started each run: the identity of its first completed workflow task. */
function startedByMap(histories: RecordedHistory[]): Map<string, string> {
  const startedBy = new Map<string, string>();
  for (const h of histories) {
    const first = h.history.events.find((e) => e.attributes.case === "workflowTaskCompletedEventAttributes");
    if (first?.attributes.case === "workflowTaskCompletedEventAttributes") startedBy.set(h.workflowId, first.attributes.value.identity);
  }
  return startedBy;
}

/**
 * The split recordings: parents on one SDK's queue, their children on the other's. Every child
 * that ran a workflow task must have been run by the other SDK than its parent.
 */
function reportSplit(histories: RecordedHistory[]): boolean {
  const startedBy = startedByMap(histories);
  const children = histories.filter((h) => !isCorpusRun(h) && startedBy.has(h.workflowId));
  const same = children.filter((h) => startedBy.get(h.workflowId) === startedBy.get(h.parentWorkflowId!));
  const oursUnderOfficial = children.filter((h) => startedBy.get(h.workflowId) === OURS_IDENTITY && startedBy.get(h.parentWorkflowId!) === OFFICIAL_IDENTITY).length;
  console.log(
    `split (children on the other SDK's queue): ${children.length - same.length}/${children.length} children run by the other SDK than their parent (${oursUnderOfficial} by ours under official parents, ${children.length - same.length - oursUnderOfficial} the other way)`,
  );
  for (const h of same.slice(0, 5)) console.log(`  ${h.workflowId} (${h.workflowType}, child of ${h.parentWorkflowId}): run by the same SDK`);
  return same.length === 0 && children.length > 0;
}

/** Object keys sorted, recursively: the server writes proto maps (memo, search attributes) in no fixed order. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

/** Events written from a workflow's commands to other workflows (child starts, external signals and cancels). */
const CROSS_WORKFLOW_COMMAND_EVENTS = new Set<HistoryEvent["attributes"]["case"]>([
  "startChildWorkflowExecutionInitiatedEventAttributes",
  "signalExternalWorkflowExecutionInitiatedEventAttributes",
  "requestCancelExternalWorkflowExecutionInitiatedEventAttributes",
]);

/**
 * The commands to other workflows, as the server recorded them, of the runs that draw nothing
 * (childOptions): the same run on each SDK must produce the same events field by field (every
 * option's encoding, payload metadata, user metadata). The task queue and workflow ids differ
 * only by the recording's prefix, which is masked; so is the id of the task that sent them, and
 * map entries are compared regardless of order.
 */
function compareChildCommands(official: RecordedHistory[], ours: RecordedHistory[], officialPrefix: string, oursPrefix: string): boolean {
  const commands = (h: RecordedHistory, prefix: string) =>
    h.history.events
      .filter((e) => CROSS_WORKFLOW_COMMAND_EVENTS.has(e.attributes.case))
      .map((e) => {
        const json = toJson(HistoryEventSchema, e) as Record<string, unknown>;
        for (const key of ["eventId", "eventTime", "taskId", "version"]) delete json[key];
        const attributes = Object.values(json).find((v) => typeof v === "object" && v !== null && "workflowTaskCompletedEventId" in v) as Record<string, unknown> | undefined;
        if (attributes) delete attributes.workflowTaskCompletedEventId;
        return JSON.stringify(sortKeys(json)).replaceAll(prefix, "PREFIX");
      });
  const oursById = new Map(ours.filter(isCorpusRun).map((h) => [h.workflowId.slice(oursPrefix.length), h]));
  let compared = 0;
  const differences: string[] = [];
  for (const o of official.filter((h) => isCorpusRun(h) && h.workflowType === "childOptions")) {
    const mine = oursById.get(o.workflowId.slice(officialPrefix.length));
    if (!mine) continue;
    const a = commands(o, officialPrefix);
    const b = commands(mine, oursPrefix);
    compared += a.length;
    if (a.length !== b.length) differences.push(`${o.workflowId}: ${a.length} commands (official) vs ${b.length} (ours)`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) differences.push(`${o.workflowId} command ${i}:\n    official ${a[i]}\n    ours     ${b[i]}`);
    }
  }
  console.log(`child/external commands of childOptions: ${compared - differences.length}/${compared} identical on both SDKs`);
  for (const d of differences.slice(0, 5)) console.log(`  ${d}`);
  return compared > 0 && differences.length === 0;
}

/**
 * The shape of every command to another workflow in all the histories: the event's fields with
 * strings, numbers and payload bytes replaced by their type (enum names and booleans kept).
 * Shapes seen on one SDK only are printed: a field one SDK sets and the other does not, or an
 * enum value only one sends. Informational: the runs draw differently, so a rare shape may
 * occur on one side only by chance.
 */
function compareCommandShapes(official: RecordedHistory[], ours: RecordedHistory[]): void {
  const shape = (v: unknown, key = ""): unknown => {
    if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0], key)];
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k], k)]));
    if (typeof v === "string") return /^[A-Z][A-Z0-9_]+$/.test(v) || key === "encoding" ? v : "string";
    return typeof v === "boolean" ? v : typeof v;
  };
  const shapes = (hs: RecordedHistory[]) => {
    const out = new Map<string, number>();
    for (const h of hs)
      for (const e of h.history.events) {
        if (!CROSS_WORKFLOW_COMMAND_EVENTS.has(e.attributes.case)) continue;
        const json = toJson(HistoryEventSchema, e) as Record<string, unknown>;
        for (const key of ["eventId", "eventTime", "taskId", "version"]) delete json[key];
        const k = JSON.stringify(shape(json));
        out.set(k, (out.get(k) ?? 0) + 1);
      }
    return out;
  };
  const a = shapes(official);
  const b = shapes(ours);
  const onlyA = [...a.keys()].filter((k) => !b.has(k));
  const onlyB = [...b.keys()].filter((k) => !a.has(k));
  console.log(`shapes of commands to other workflows: ${a.size} (official), ${b.size} (ours), ${onlyA.length} only official, ${onlyB.length} only ours`);
  for (const k of onlyA.slice(0, 5)) console.log(`  only official (${a.get(k)}×): ${k}`);
  for (const k of onlyB.slice(0, 5)) console.log(`  only ours (${b.get(k)}×): ${k}`);
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

  const mixedQueue = `compat-mixed-${tag}`;

  const tNode = performance.now();
  const [nodeWorker, nodeMixedWorker] = await Promise.all([
    startNodeWorker(sdkDir, env.address, env.namespace, officialQueue, { identity: OFFICIAL_IDENTITY }),
    startNodeWorker(sdkDir, env.address, env.namespace, mixedQueue, { identity: OFFICIAL_IDENTITY, maxCached: 0 }),
  ]);
  console.log(`official workers ready in ${((performance.now() - tNode) / 1000).toFixed(1)} s (webpack bundling included)`);

  const startOurs = async (taskQueue: string, maxCachedWorkflows?: number) => {
    const worker = await Worker.create({
      connection: env.connection,
      namespace: env.namespace,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities,
      identity: OURS_IDENTITY,
      maxCachedWorkflows,
      shutdownSignals: [],
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running.catch(() => undefined);
    });
    // Wrapped: returned bare from this async function, the promise would be awaited here.
    return { stopped: running.then(() => Promise.reject(new Error(`our worker on ${taskQueue} stopped while recording`))) };
  };
  const oursStopped = (await Promise.all([startOurs(oursQueue), startOurs(mixedQueue, 0)])).map((w) => w.stopped);

  const tRecord = performance.now();
  const stopped = [nodeWorker.exited, nodeMixedWorker.exited, ...oursStopped];
  // Two phases, so that the shared machine is not asked to run all of it at once (on 2 cores,
  // workflow tasks of the mixed queue otherwise time out under the load).
  const [official, ours, splitOfficial, splitOurs] = await Promise.race([
    Promise.all([
      recordRuns(env.client, officialQueue, `compat-official-${tag}`, count),
      recordRuns(env.client, oursQueue, `compat-ours-${tag}`, count),
      // The child workflow shapes again, with the children on the other SDK's queue.
      recordRuns(env.client, officialQueue, `compat-split-official-${tag}`, count, { types: CHILD_STARTING_TYPES, childTaskQueue: oursQueue }),
      recordRuns(env.client, oursQueue, `compat-split-ours-${tag}`, count, { types: CHILD_STARTING_TYPES, childTaskQueue: officialQueue }),
    ]),
    ...stopped,
    deadline(300_000, "recording"),
  ]);
  // Both SDKs on one task queue without sticky caches: workflow tasks of a run alternate
  // between them, each replaying what the other wrote (the mixed fleet itself).
  const mixed = await Promise.race([recordRuns(env.client, mixedQueue, `compat-mixed-${tag}`, count, { noCache: true }), ...stopped, deadline(300_000, "recording on the mixed queue")]);
  const children = (hs: RecordedHistory[]) => hs.filter((h) => !isCorpusRun(h)).length;
  console.log(
    `recorded ${official.length} histories with the official SDK ${OFFICIAL_VERSION} (Node), ${ours.length} with ours (Bun), ${mixed.length} with both on one task queue and ${splitOfficial.length + splitOurs.length} with parents and children on different SDKs in ${((performance.now() - tRecord) / 1000).toFixed(1)} s (children: ${children(official)}, ${children(ours)}, ${children(mixed)}, ${children(splitOfficial) + children(splitOurs)})`,
  );

  const dir = mkdtempSync(join(tmpdir(), "compat-corpus-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const oursFile = join(dir, "ours.jsonl");
  writeCorpus(oursFile, ours);
  const officialFile = write ? CORPUS_FILE : join(dir, "official.jsonl");
  writeCorpus(officialFile, official);

  // The file is what the test replays: replay what was written, read back.
  const officialOnOurs = await replayOnOurs(readCorpus(officialFile));
  const oursOnOfficial = replayOnOfficial(sdkDir, oursFile);
  const ok1 = report("official→ours", officialOnOurs, official.length);
  const ok2 = report("ours→official", oursOnOfficial, ours.length);
  const ok3 = reportMixed(mixed, mixed.length);
  const mixedFile = join(dir, "mixed.jsonl");
  writeCorpus(mixedFile, mixed);
  const ok4 = report("mixed→ours", await replayOnOurs(mixed), mixed.length);
  const ok5 = report("mixed→official", replayOnOfficial(sdkDir, mixedFile), mixed.length);
  const split = [...splitOfficial, ...splitOurs];
  const splitFile = join(dir, "split.jsonl");
  writeCorpus(splitFile, split);
  const ok7 = reportSplit(split);
  const ok8 = report("split→ours", await replayOnOurs(split), split.length);
  const ok9 = report("split→official", replayOnOfficial(sdkDir, splitFile), split.length);
  const ok6 = compareChildCommands(official, ours, `compat-official-${tag}`, `compat-ours-${tag}`);
  compareCommandShapes(official, ours);

  const size = statSync(officialFile).size;
  console.log(`${write ? "wrote" : "checked (not written)"} ${officialFile}: ${official.length} histories (${count} runs and their children), ${(size / 1024).toFixed(0)} KiB`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8 && ok9 ? 0 : 1;
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
