/**
 * Mixed fleets: histories recorded by the official SDK 1.24 on Node (tests/compat/corpus/, made
 * by tools/compat-corpus.ts) replay clean on ours. No Node and no server needed for that part.
 * The second part records histories of the same workflows with ours on the dev server, replays
 * them, and checks what our worker writes for official workers (the SDK flags of its tasks).
 * The reverse direction (ours → official) needs Node and runs in tools/compat-corpus.ts.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "../../src/worker/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { WorkflowTaskFailedCause } from "../../src/proto/temporal/api/enums/v1/failed_cause_pb.js";
import { testEnv } from "../helpers/dev-server.js";
import * as activities from "../../tools/compat/activities.mjs";
import { CHILD_WORKFLOW_TYPES, WORKFLOWS_PATH, WORKFLOW_TYPES, isCorpusRun, plannedRun, readCorpus, recordRuns, type RecordedHistory } from "../../tools/compat/corpus.js";

const CORPUS_DIR = join(import.meta.dir, "corpus");

function officialCorpus(): RecordedHistory[] {
  const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".jsonl"));
  if (files.length === 0) throw new Error(`No recorded histories (*.jsonl) in ${CORPUS_DIR}: run \`bun tools/compat-corpus.ts\``);
  return files.flatMap((f) => readCorpus(join(CORPUS_DIR, f)));
}

async function replayAll(histories: RecordedHistory[]): Promise<{ replayed: number; failures: string[] }> {
  const failures: string[] = [];
  let replayed = 0;
  const input = histories.map((h) => ({ workflowId: h.workflowId, history: h.history }));
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, input)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message.split("\n")[0]}`);
  }
  return { replayed, failures };
}

/** How many events of each kind the histories hold, by EventType name. */
function eventCounts(histories: RecordedHistory[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of histories) for (const e of h.history.events) counts[EventType[e.eventType]] = (counts[EventType[e.eventType]] ?? 0) + 1;
  return counts;
}

/**
 * What the workflow tasks delivered: for each task, the events between the previous task's
 * completion and its start (signals, fired timers, activity results …), as one activation.
 */
function taskBatches(histories: RecordedHistory[]): { first: boolean; events: EventType[] }[] {
  const batches: { first: boolean; events: EventType[] }[] = [];
  for (const h of histories) {
    let pending: EventType[] = [];
    let first = true;
    for (const e of h.history.events) {
      if (e.eventType === EventType.WORKFLOW_TASK_STARTED) {
        batches.push({ first, events: pending });
        first = false;
        pending = [];
      } else if (e.eventType !== EventType.WORKFLOW_TASK_SCHEDULED && e.eventType !== EventType.WORKFLOW_TASK_COMPLETED) {
        pending.push(e.eventType);
      }
    }
  }
  return batches;
}

const markers = (histories: RecordedHistory[], name: string) =>
  histories.reduce((n, h) => n + h.history.events.filter((e) => e.attributes.case === "markerRecordedEventAttributes" && e.attributes.value.markerName === name).length, 0);

const CLOSED = new Set([
  EventType.WORKFLOW_EXECUTION_COMPLETED,
  EventType.WORKFLOW_EXECUTION_FAILED,
  EventType.WORKFLOW_EXECUTION_CANCELED,
  EventType.WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);
/** Children also time out (their own execution timeout) or are terminated when their parent closes first (TRY_CANCEL). */
const CHILD_CLOSED = new Set([...CLOSED, EventType.WORKFLOW_EXECUTION_TIMED_OUT, EventType.WORKFLOW_EXECUTION_TERMINATED]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("official SDK 1.24 histories", () => {
  test("the corpus holds 150 histories of the corpus workflows (and their children's), with each kind of event the shapes are there for", () => {
    const histories = officialCorpus();
    expect(histories.filter(isCorpusRun).length).toBeGreaterThanOrEqual(150);
    expect(new Set(histories.filter(isCorpusRun).map((h) => h.workflowType))).toEqual(new Set(WORKFLOW_TYPES));
    expect(new Set(histories.filter((h) => !isCorpusRun(h)).map((h) => h.workflowType))).toEqual(new Set(CHILD_WORKFLOW_TYPES));
    const n = eventCounts(histories);
    expect(n.WORKFLOW_EXECUTION_SIGNALED).toBeGreaterThan(100);
    expect(n.TIMER_STARTED).toBeGreaterThan(100);
    expect(n.TIMER_FIRED).toBeGreaterThan(100);
    expect(n.ACTIVITY_TASK_SCHEDULED).toBeGreaterThan(100);
    // Timers cancelled by scope.cancel(), withTimeout and clearTimeout; activities cancelled
    // (TRY_CANCEL, WAIT_CANCELLATION_COMPLETED; ABANDON sends no request); retries exhausted.
    expect(n.TIMER_CANCELED).toBeGreaterThanOrEqual(5);
    expect(n.ACTIVITY_TASK_CANCEL_REQUESTED).toBeGreaterThanOrEqual(2);
    expect(n.ACTIVITY_TASK_FAILED).toBeGreaterThanOrEqual(1);
    // Local activities and patches (patched, deprecatePatch, condition(fn, 0)) are markers.
    expect(markers(histories, "core_local_activity")).toBeGreaterThanOrEqual(10);
    expect(markers(histories, "core_patch")).toBeGreaterThanOrEqual(10);
    // Workflow cancellation requested by the client, and continue-as-new.
    expect(n.WORKFLOW_EXECUTION_CANCEL_REQUESTED).toBeGreaterThanOrEqual(3);
    expect(n.WORKFLOW_EXECUTION_CANCELED).toBeGreaterThanOrEqual(3);
    expect(n.WORKFLOW_EXECUTION_CONTINUED_AS_NEW).toBeGreaterThanOrEqual(2);
    // A signal handler's ApplicationFailure fails the workflow.
    expect(n.WORKFLOW_EXECUTION_FAILED).toBeGreaterThanOrEqual(1);
    // Activations that decide the order of continuations: signals with the first task
    // (signalWithStart), several signals in one task, and signals in the same task as a fired
    // timer or a completed activity.
    const batches = taskBatches(histories);
    const signals = (b: { events: EventType[] }) => b.events.filter((t) => t === EventType.WORKFLOW_EXECUTION_SIGNALED).length;
    expect(batches.filter((b) => b.first && signals(b) > 0).length).toBeGreaterThanOrEqual(5);
    expect(batches.filter((b) => signals(b) > 1).length).toBeGreaterThanOrEqual(10);
    const withResolution = batches.filter((b) => signals(b) > 0 && b.events.some((t) => t === EventType.TIMER_FIRED || t === EventType.ACTIVITY_TASK_COMPLETED));
    expect(withResolution.length).toBeGreaterThanOrEqual(3);
    // Reset runs: core sends UpdateRandomSeed at the reset point while replaying them.
    const resets = histories.filter((h) =>
      h.history.events.some(
        (e) => e.attributes.case === "workflowTaskFailedEventAttributes" && e.attributes.value.cause === WorkflowTaskFailedCause.RESET_WORKFLOW,
      ),
    );
    expect(resets.length).toBeGreaterThanOrEqual(5);
    // Child workflows: started (default uuid4 ids and explicit ones), completed, failed (after a
    // retry too), timed out, cancelled; a start refused (the id is running); signals through
    // child and external handles, some refused (closed or missing target); cancellation
    // requests through external handles, some refused; the official SDK's internal patch for
    // external cancels connected to a cancelled scope.
    expect(n.START_CHILD_WORKFLOW_EXECUTION_INITIATED).toBeGreaterThanOrEqual(50);
    expect(n.CHILD_WORKFLOW_EXECUTION_COMPLETED).toBeGreaterThanOrEqual(20);
    expect(n.CHILD_WORKFLOW_EXECUTION_FAILED).toBeGreaterThanOrEqual(3);
    expect(n.CHILD_WORKFLOW_EXECUTION_TIMED_OUT).toBeGreaterThanOrEqual(1);
    expect(n.CHILD_WORKFLOW_EXECUTION_CANCELED).toBeGreaterThanOrEqual(3);
    expect(n.START_CHILD_WORKFLOW_EXECUTION_FAILED).toBeGreaterThanOrEqual(3);
    expect(n.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED).toBeGreaterThanOrEqual(20);
    expect(n.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED).toBeGreaterThanOrEqual(3);
    expect(n.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED).toBeGreaterThanOrEqual(5);
    expect(n.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED).toBeGreaterThanOrEqual(3);
    expect(n.EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED).toBeGreaterThanOrEqual(3);
    const childIds = histories.flatMap((h) =>
      h.history.events.flatMap((e) => (e.attributes.case === "startChildWorkflowExecutionInitiatedEventAttributes" ? [e.attributes.value.workflowId] : [])),
    );
    expect(childIds.filter((id) => UUID.test(id)).length).toBeGreaterThanOrEqual(20);
    expect(childIds.filter((id) => !UUID.test(id)).length).toBeGreaterThanOrEqual(10);
    const externalCancelPatches = histories.filter((h) =>
      h.history.events.some(
        (e) =>
          e.attributes.case === "markerRecordedEventAttributes" &&
          e.attributes.value.markerName === "core_patch" &&
          new TextDecoder().decode(e.attributes.value.details["patch-data"]?.payloads[0]?.data).includes("__temporal_internal_connect_external_handle_cancel_to_scope"),
      ),
    );
    expect(externalCancelPatches.length).toBeGreaterThanOrEqual(1);
    const children = histories.filter((h) => !isCorpusRun(h));
    // Children that continued as new (the first run is recorded), and children the server asked
    // to cancel when their parent closed (parentClosePolicy REQUEST_CANCEL: no initiating event).
    expect(children.filter((h) => h.history.events.at(-1)!.eventType === EventType.WORKFLOW_EXECUTION_CONTINUED_AS_NEW).length).toBeGreaterThanOrEqual(1);
    const cancelledOnParentClose = children.filter((h) =>
      h.history.events.some((e) => e.attributes.case === "workflowExecutionCancelRequestedEventAttributes" && e.attributes.value.externalInitiatedEventId === 0n),
    );
    expect(cancelledOnParentClose.length).toBeGreaterThanOrEqual(1);
    // childTicks measured the promise chain of a child's result at least once per run (a signal
    // and the child's completion in one activation): entries `n:ticks` in its note's activity id.
    const tickRuns = histories.filter(
      (h) =>
        h.workflowType === "childTicks" &&
        h.history.events.some(
          (e) =>
            e.attributes.case === "activityTaskScheduledEventAttributes" &&
            e.attributes.value.activityId.startsWith("ticks:") &&
            e.attributes.value.activityId.split(":").slice(2).join(":").split("_").some((x) => /^\d+:\d+$/.test(x)),
        ),
    );
    expect(tickRuns.length).toBeGreaterThanOrEqual(3);
    // Every history ends with the run closed as the workflow decided: the recording ran to the end.
    for (const h of histories) expect((isCorpusRun(h) ? CLOSED : CHILD_CLOSED).has(h.history.events.at(-1)!.eventType)).toBe(true);
  });

  test("every one replays clean on ours", async () => {
    const histories = officialCorpus();
    const { replayed, failures } = await replayAll(histories);
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  }, 180_000);
});

describe("ours → ours", () => {
  test("histories of every corpus workflow recorded by ours on the dev server replay clean, and record the official SDK flags 1 and 2", async () => {
    const env = await testEnv();
    const taskQueue = `compat-ours-${crypto.randomUUID()}`;
    const worker = await Worker.create({ connection: env.connection, namespace: env.namespace, taskQueue, workflowsPath: WORKFLOWS_PATH, activities, shutdownSignals: [] });
    const running = worker.run();
    // The first runs of the corpus plan, up to one of every workflow.
    let count = 0;
    for (const types = new Set<string>(); types.size < WORKFLOW_TYPES.length; count++) types.add(plannedRun(count).workflowType);
    let histories: RecordedHistory[];
    try {
      histories = await recordRuns(env.client, taskQueue, taskQueue, count);
    } finally {
      worker.shutdown();
      await running;
    }
    expect(new Set(histories.filter(isCorpusRun).map((h) => h.workflowType))).toEqual(new Set(WORKFLOW_TYPES));
    expect(histories.filter(isCorpusRun).length).toBe(count);
    // An official worker replaying our histories takes its post-1.11 paths only if our tasks
    // recorded its flags 1 (NonCancellableScopesAreShieldedFromPropagation) and 2
    // (ProcessWorkflowActivationJobsAsSingleBatch): core keeps them in the completed tasks' SDK metadata.
    for (const h of histories) {
      const completed = h.history.events.flatMap((e) => (e.attributes.case === "workflowTaskCompletedEventAttributes" ? [e.attributes.value] : []));
      const last = EventType[h.history.events.at(-1)!.eventType];
      if (completed.length === 0) {
        // A child terminated (its parent closed first) before any workflow task of it completed: nothing to record flags in.
        expect({ workflowId: h.workflowId, type: h.workflowType, last }).toEqual({ workflowId: h.workflowId, type: h.workflowType, last: "WORKFLOW_EXECUTION_TERMINATED" });
        continue;
      }
      const flags = new Set(completed.flatMap((t) => t.sdkMetadata?.langUsedFlags ?? []));
      expect({ workflowId: h.workflowId, type: h.workflowType, has1: flags.has(1), has2: flags.has(2) }).toEqual({ workflowId: h.workflowId, type: h.workflowType, has1: true, has2: true });
    }
    const { replayed, failures } = await replayAll(histories);
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  }, 180_000);
});
