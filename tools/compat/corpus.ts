/**
 * The compatibility corpus: which workflows of tools/compat/workflows.ts to run, with which
 * inputs and signals, and the file format of recorded histories. Shared by the recording script
 * (tools/compat-corpus.ts) and tests/compat/corpus.test.ts, so both drive the same workflows.
 *
 * File format (`.jsonl`): one history per line, `{"workflowId", "workflowType", "history"}` (and
 * `"parentWorkflowId"` on the histories of child workflows) with `history` the base64 of the binary `temporal.api.history.v1.History` protobuf, as fetched from
 * the server (payloads as stored). Binary because the official SDK's `historyFromJSON` is not
 * reliable across installs, and it is smaller than JSON.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { HistorySchema, type Client, type History } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { WorkflowTaskFailedCause } from "../../src/proto/temporal/api/enums/v1/failed_cause_pb.js";

export const WORKFLOWS_PATH = new URL("./workflows.ts", import.meta.url).pathname;

export const WORKFLOW_TYPES = [
  "randomWalk",
  "fanOut",
  "accumulate",
  "race",
  "conditions",
  "scopes",
  "timeouts",
  "retries",
  "patchesAndChain",
  "cancelMe",
  "signalled",
  "childFanOut",
  "childFailures",
  "childSignals",
  "childCancel",
  "externalHandles",
  "childOptions",
  "childRace",
  "childTicks",
] as const;
export type CorpusWorkflowType = (typeof WORKFLOW_TYPES)[number];

/** The workflows of the corpus before child workflows, and the child workflow shapes. */
const BASE_SHAPES = WORKFLOW_TYPES.slice(0, 11) as readonly CorpusWorkflowType[];
const CHILD_SHAPES = WORKFLOW_TYPES.slice(11) as readonly CorpusWorkflowType[];

/**
 * Workflows that run only as children of the corpus workflows above. Their histories are
 * recorded too (after the parent's, with `parentWorkflowId`), and replayed like the parents'.
 */
export const CHILD_WORKFLOW_TYPES = ["childWork", "chainedChild", "failingChild", "signalledChild", "cancellableChild", "peer", "tickingChild"] as const;

export interface PlannedRun {
  index: number;
  workflowType: CorpusWorkflowType;
  args: [number];
  /**
   * `add` signals sent while it runs: each waits `delayMs`, then sends `values` at once (several
   * values: concurrent requests, which usually land in one activation). `finish` at the end if set.
   */
  signals: { values: number[]; delayMs: number }[];
  finish: boolean;
  /** Started by signalWithStart with this `add` value (a signal in the first activation). */
  signalWithStart?: number;
  /** The client requests cancellation this long after the start. */
  cancelAfterMs?: number;
  /** `finish` is sent right after the first `add` signals (instead of at the end). */
  finishFirst?: boolean;
  /**
   * After it completes, reset it to its second workflow task (ResetWorkflowExecution) and record
   * the new run instead: core then sends UpdateRandomSeed (the new run id's seed) while the
   * history replays, so the re-seeded stream is checked on real histories too.
   */
  reset: boolean;
}

/** Types whose runs complete normally and take no client cancellation: a reset run of them completes too. */
const RESETTABLE: ReadonlySet<CorpusWorkflowType> = new Set(["randomWalk", "fanOut", "accumulate", "race", "conditions", "scopes", "timeouts", "retries"]);

/** Run i of the corpus: the types rotate, inputs and signal schedules vary with i. */
export function plannedRun(index: number): PlannedRun {
  // Two runs in three are of the first 11 workflows, rotating as when the corpus had only those
  // (the first 150 runs hold the same 100 plans as the 100-run corpus of those 11), the third is
  // of a child workflow shape: each kind keeps the runs its rare events need.
  const child = index % 3 === 2;
  const types = child ? CHILD_SHAPES : BASE_SHAPES;
  const slot = child ? Math.floor(index / 3) : 2 * Math.floor(index / 3) + (index % 3);
  const workflowType = types[slot % types.length]!;
  const k = Math.floor(slot / types.length);
  const value = (j: number) => 1 + ((slot + j * 3) % 7);
  const delay = (j: number) => 40 + ((slot * 37 + j * 61) % 160);
  const single = (count: number) => Array.from({ length: count }, (_, j) => ({ values: [value(j)], delayMs: delay(j) }));
  const base = { index, workflowType, signals: [] as PlannedRun["signals"], finish: false, reset: !child && RESETTABLE.has(workflowType) && slot % 9 === 2 };
  switch (workflowType) {
    case "accumulate":
      return { ...base, args: [5 + (k % 6) * 3], signals: single(2 + (k % 4)), finish: k % 3 !== 2 };
    case "randomWalk":
      return { ...base, args: [1 + (k % 5)], signals: single(k % 2 === 1 ? 1 + (k % 3) : 0) };
    case "conditions": {
      // Single signals and bursts of two or three, spread over the rounds (seconds: the dev
      // server fires timers about once a second, and a signal shares an activation with a
      // fired timer or a completed activity only if it arrives around then).
      const signals = Array.from({ length: 4 + (k % 4) }, (_, j) => ({
        values: Array.from({ length: 1 + ((k + j) % 3) }, (_, m) => value(j + m)),
        delayMs: 150 + ((slot * 211 + j * 379) % 700),
      }));
      return { ...base, args: [2 + (k % 3)], signals, finish: k % 4 === 3 };
    }
    case "signalled": {
      const burst = 2 + (k % 3);
      const signals = [{ values: Array.from({ length: burst }, (_, m) => value(m + 1)), delayMs: 10 + (k % 4) * 30 }];
      if (k % 2 === 1) signals.push({ values: [value(9)], delayMs: delay(2) });
      // Expects one more signal than it gets on some runs: its condition times out then.
      // `finish` is sent right after the burst; the workflow sets its handler later.
      return { ...base, args: [1 + burst + (k % 3 === 2 ? 2 : 0)], signals, signalWithStart: value(0), finishFirst: true };
    }
    case "cancelMe": {
      // Cancelled after up to 2.5 s, with signals (to the default handler) around that time.
      const cancelAfterMs = 100 + ((slot * 397) % 2400);
      return { ...base, args: [6 + (k % 5) * 3], cancelAfterMs, signals: [{ values: [value(0), value(1)], delayMs: Math.max(0, cancelAfterMs - 100 + (k % 3) * 80) }] };
    }
    case "patchesAndChain":
      // Mostly runs that may continue as new (6 runs of this type in 100: keep a few that do).
      return { ...base, args: [k % 4 === 3 ? 0 : 1 + (k % 2)], signals: k % 2 === 0 ? single(1 + (k % 2)) : [] };
    case "scopes":
    case "timeouts":
    case "retries":
      return { ...base, args: [2 + (k % 3)] };
    case "childFanOut":
      return { ...base, args: [1 + (k % 4)] };
    case "childFailures":
      return { ...base, args: [2 + (k % 3)] };
    case "childSignals":
      return { ...base, args: [1 + (k % 4)] };
    case "childCancel":
      return { ...base, args: [2 + (k % 2)] };
    case "externalHandles":
      return { ...base, args: [1 + (k % 3)] };
    case "childTicks":
      return { ...base, args: [4 + (k % 3)] };
    case "childRace":
      return { ...base, args: [3 + (k % 3)] };
    case "childOptions":
      // Takes no argument: the same start commands on every run (compared between the SDKs).
      return { ...base, args: [0] };
    default:
      return { ...base, args: [1 + (k % 5)] };
  }
}

export interface RecordedHistory {
  workflowId: string;
  workflowType: string;
  history: History;
  /** Set on the histories of child workflows: the corpus run that started them. */
  parentWorkflowId?: string;
}

/**
 * Starts `count` planned runs on `taskQueue` (a worker of either SDK must serve it), sends their
 * signals (and cancellation requests) while they run, waits for every run to close and fetches
 * the histories. A run that continued as new is recorded by its first run. The result holds the
 * `count` runs in order, then the histories of the child workflows they started (each child's
 * first run, once it closed).
 */
export async function recordRuns(client: Client, taskQueue: string, idPrefix: string, count: number, options: RecordOptions = {}): Promise<RecordedHistory[]> {
  const parents = await recordParents(client, taskQueue, idPrefix, count, options);
  const children = await Promise.all(parents.map((p) => recordChildren(client, p)));
  return [...parents, ...children.flat()];
}

/** The child workflows a history started (ChildWorkflowExecutionStarted), each recorded once it closed. */
async function recordChildren(client: Client, parent: RecordedHistory): Promise<RecordedHistory[]> {
  const started = parent.history.events.flatMap((e) => (e.attributes.case === "childWorkflowExecutionStartedEventAttributes" ? [e.attributes.value] : []));
  return Promise.all(
    started.map(async (s) => {
      const handle = client.workflow.getHandle(s.workflowExecution!.workflowId, s.workflowExecution!.runId);
      // Abandoned children may outlive the parent; cancelled, failed or timed-out ones reject.
      await handle.result().catch(() => undefined);
      return { workflowId: handle.workflowId, workflowType: s.workflowType!.name, history: await handle.fetchHistory(), parentWorkflowId: parent.workflowId };
    }),
  );
}

export interface RecordOptions {
  /** Only the planned runs of these types (of the first `count`). */
  types?: readonly CorpusWorkflowType[];
  /** Children on this task queue instead of their parent's (memo `compatChildTaskQueue`, read by tools/compat/workflows.ts). */
  childTaskQueue?: string;
  /** The queue's workers cache no run (memo `compatNoCache`: the workflows use no local activities). */
  noCache?: boolean;
}

/** The corpus workflows that start children. */
export const CHILD_STARTING_TYPES: readonly CorpusWorkflowType[] = ["childFanOut", "childFailures", "childSignals", "childCancel", "externalHandles", "childOptions", "childRace", "childTicks"];

/** True for the histories of the corpus runs themselves (not of their children). */
export const isCorpusRun = (h: RecordedHistory) => h.parentWorkflowId === undefined;

async function recordParents(client: Client, taskQueue: string, idPrefix: string, count: number, options: RecordOptions): Promise<RecordedHistory[]> {
  const runs = Array.from({ length: count }, (_, i) => plannedRun(i)).filter((r) => options.types === undefined || options.types.includes(r.workflowType));
  // The official SDK 1.24 keeps setTimeout handles (timer seqs) in one map for every run of its
  // shared V8 context: clearTimeout in one run can cancel another run's timeout with the same
  // seq, which then never fires (seen here: official `timeouts` runs hanging). Its runs of
  // `timeouts` go one at a time, so no two of them share the map.
  let timeoutsChain: Promise<unknown> = Promise.resolve();
  return Promise.all(
    runs.map(async (run) => {
      try {
        if (run.workflowType === "timeouts") {
          const mine = timeoutsChain.then(() => recordRun(client, taskQueue, idPrefix, run, options));
          timeoutsChain = mine.catch(() => undefined);
          return await mine;
        }
        return await recordRun(client, taskQueue, idPrefix, run, options);
      } catch (err) {
        const why = await lastTaskFailure(client, `${idPrefix}-${String(run.index).padStart(3, "0")}-${run.workflowType}`);
        throw new Error(`${idPrefix} run ${run.index} (${run.workflowType}): ${(err as Error).message}${why}`, { cause: err });
      }
    }),
  );
}

async function recordRun(client: Client, taskQueue: string, idPrefix: string, run: PlannedRun, recordOptions: RecordOptions): Promise<RecordedHistory> {
  const workflowId = `${idPrefix}-${String(run.index).padStart(3, "0")}-${run.workflowType}`;
  // Read by tools/compat/workflows.ts: children on another queue; no local activities on the
  // mixed queue (core drops local activities of runs it does not cache: noCache() there).
  const memo: Record<string, unknown> = {};
  if (recordOptions.childTaskQueue !== undefined) memo.compatChildTaskQueue = recordOptions.childTaskQueue;
  if (recordOptions.noCache) memo.compatNoCache = true;
  const options = { taskQueue, workflowId, args: run.args, memo: Object.keys(memo).length > 0 ? memo : undefined, workflowExecutionTimeout: process.env.COMPAT_RUN_TIMEOUT ?? "2 minutes" };
  const started =
    run.signalWithStart === undefined
      ? await client.workflow.start(run.workflowType, options)
      : await client.workflow.signalWithStart(run.workflowType, { ...options, signal: "add", signalArgs: [run.signalWithStart] });
  const firstRunId = "firstExecutionRunId" in started && started.firstExecutionRunId ? started.firstExecutionRunId : (started as { signaledRunId: string }).signaledRunId;
  const handle = client.workflow.getHandle(workflowId, firstRunId);
  const cancelling =
    run.cancelAfterMs === undefined
      ? Promise.resolve()
      : Bun.sleep(run.cancelAfterMs).then(() => handle.cancel().catch(() => undefined)); // refused once closed: a valid outcome
  for (const [j, s] of run.signals.entries()) {
    await Bun.sleep(s.delayMs);
    // A signal after the workflow finished is refused by the server; that is a valid outcome.
    await Promise.all(s.values.map((v) => handle.signal("add", v).catch(() => undefined)));
    if (j === 0 && run.finishFirst) await handle.signal("finish").catch(() => undefined);
  }
  if (run.finish) await handle.signal("finish").catch(() => undefined);
  await cancelling;
  // Cancelled runs reject (a WorkflowFailedError), and so do `signalled` runs whose handler
  // failed the workflow: the history is what counts.
  await started.result().catch((err: unknown) => {
    if (run.cancelAfterMs === undefined && run.workflowType !== "signalled") throw err;
  });
  const history = await handle.fetchHistory();
  if (!run.reset) return { workflowId, workflowType: run.workflowType, history };
  const reset = await resetToSecondTask(client, workflowId, history);
  await reset.result();
  return { workflowId, workflowType: run.workflowType, history: await reset.fetchHistory() };
}

/** The last workflow task failure of a run that did not close as planned (why a worker could not run it), if any. */
async function lastTaskFailure(client: Client, workflowId: string): Promise<string> {
  try {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events;
    for (let i = events.length - 1; i >= 0; i--) {
      const a = events[i]!.attributes;
      if (a.case === "workflowTaskFailedEventAttributes") {
        return `; last workflow task failure (${WorkflowTaskFailedCause[a.value.cause]}, by ${a.value.identity}): ${a.value.failure?.message}\n${a.value.failure?.stackTrace ?? ""}`;
      }
    }
    const lastStarted = events.findLast((e) => e.attributes.case === "workflowTaskStartedEventAttributes");
    const by = lastStarted?.attributes.case === "workflowTaskStartedEventAttributes" ? `; last workflow task started by ${lastStarted.attributes.value.identity}` : "";
    return `; no workflow task failure (${events.length} events: ${events.map((e) => EventType[e.eventType]).join(" ")})${by}`;
  } catch {
    return "";
  }
}

async function resetToSecondTask(client: Client, workflowId: string, history: History) {
  const completed = history.events.filter((e) => e.eventType === EventType.WORKFLOW_TASK_COMPLETED);
  const target = completed[1] ?? completed[0];
  if (!target) throw new Error(`${workflowId}: no completed workflow task to reset to`);
  const runId = history.events[0]?.attributes.case === "workflowExecutionStartedEventAttributes" ? history.events[0].attributes.value.originalExecutionRunId : "";
  const res = await client.connection.workflowService.resetWorkflowExecution({
    namespace: client.namespace,
    workflowExecution: { workflowId, runId },
    reason: "compat corpus: check the re-seeded random stream",
    workflowTaskFinishEventId: target.eventId,
    requestId: crypto.randomUUID(),
  });
  return client.workflow.getHandle(workflowId, res.runId);
}

export function writeCorpus(file: string, histories: RecordedHistory[]): void {
  const lines = histories.map((h) =>
    JSON.stringify({
      workflowId: h.workflowId,
      workflowType: h.workflowType,
      ...(h.parentWorkflowId === undefined ? {} : { parentWorkflowId: h.parentWorkflowId }),
      history: Buffer.from(toBinary(HistorySchema, h.history)).toString("base64"),
    }),
  );
  writeFileSync(file, lines.join("\n") + "\n");
}

export function readCorpus(file: string): RecordedHistory[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const { workflowId, workflowType, parentWorkflowId, history } = JSON.parse(line) as { workflowId: string; workflowType: string; parentWorkflowId?: string; history: string };
      return { workflowId, workflowType, history: fromBinary(HistorySchema, Buffer.from(history, "base64")), ...(parentWorkflowId === undefined ? {} : { parentWorkflowId }) };
    });
}
