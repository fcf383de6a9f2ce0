/**
 * The workflowInfo() scenarios of tests/e2e/workflow-info.test.ts, shared with
 * tests/compat/workflow-info.test.ts (which runs them on an official worker and on ours and
 * compares what the workflows saw): the start options of a plain start, cron runs, a workflow
 * retry and a continue-as-new, each against a task queue, and the helpers that read a chain of
 * runs from history.
 */
import { defaultPayloadConverter, defineSearchAttributeKey } from "../../src/common/index.js";
import type { WorkflowHandle, WorkflowStartOptions } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import type * as wf from "./fixtures/info-workflows.js";
import { finishSignal, observationsQuery, snapshotQuery, type InfoSnapshot, type Observation } from "./fixtures/info-workflows.js";
import { client, uid } from "./helpers.js";

/** The registered test search attributes (tests/helpers/dev-server.ts), one of each type. */
export const SA = {
  keyword: defineSearchAttributeKey("TestKeyword", "KEYWORD"),
  text: defineSearchAttributeKey("TestText", "TEXT"),
  int: defineSearchAttributeKey("TestInt", "INT"),
  double: defineSearchAttributeKey("TestDouble", "DOUBLE"),
  bool: defineSearchAttributeKey("TestBool", "BOOL"),
  datetime: defineSearchAttributeKey("TestDatetime", "DATETIME"),
  keywordList: defineSearchAttributeKey("TestKeywordList", "KEYWORD_LIST"),
};
export const WHEN = new Date("2026-01-02T03:04:05.678Z");
export const TYPED_SA = [
  { key: SA.keyword, value: "info-kw" },
  { key: SA.text, value: "some text to index" },
  { key: SA.int, value: 42 },
  { key: SA.double, value: 2.5 },
  { key: SA.bool, value: true },
  { key: SA.datetime, value: WHEN },
  { key: SA.keywordList, value: ["a", "b"] },
];
export const MEMO = { team: "infra", nested: { list: [1, 2, 3], flag: false } };
export const RETRY = { initialInterval: "2s", backoffCoefficient: 3, maximumInterval: "30s", maximumAttempts: 4, nonRetryableErrorTypes: ["NotRetryable"] };
export const PRIORITY = { priorityKey: 2 };

/** A plain start with every option the client has that reaches workflowInfo(). */
export function plainStartOptions(taskQueue: string, workflowId = uid("info")): WorkflowStartOptions<[]> {
  return {
    taskQueue,
    workflowId,
    workflowExecutionTimeout: "10 minutes",
    workflowRunTimeout: "5 minutes",
    workflowTaskTimeout: "7s",
    retry: RETRY,
    memo: MEMO,
    typedSearchAttributes: TYPED_SA,
    priority: PRIORITY,
  };
}
/** The fastest cron schedule the dev server takes: robfig/cron's `@every` with seconds. */
export const CRON_SCHEDULE = "@every 2s";
export const WORKFLOW_RETRY = { initialInterval: "100ms", backoffCoefficient: 2, maximumInterval: "1s", maximumAttempts: 3, nonRetryableErrorTypes: ["Other"] };

const CLOSING = [
  EventType.WORKFLOW_EXECUTION_COMPLETED,
  EventType.WORKFLOW_EXECUTION_FAILED,
  EventType.WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  EventType.WORKFLOW_EXECUTION_TERMINATED,
  EventType.WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.WORKFLOW_EXECUTION_CANCELED,
];

/** Polls a run's history until it closed; returns its close event. */
export async function closeEvent(workflowId: string, runId: string, timeoutMs = 20_000): Promise<HistoryEvent> {
  const c = await client();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const events = (await c.workflow.getHandle(workflowId, runId).fetchHistory()).events;
    const last = events[events.length - 1];
    if (last && CLOSING.includes(last.eventType)) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for run ${runId} of ${workflowId} to close`);
    await Bun.sleep(100);
  }
}

/** The run a close event hands over to (cron, retry, continue-as-new). */
export function nextRunId(event: HistoryEvent): string {
  const a = event.attributes;
  if (a.case === "workflowExecutionCompletedEventAttributes" || a.case === "workflowExecutionFailedEventAttributes") return a.value.newExecutionRunId;
  if (a.case === "workflowExecutionContinuedAsNewEventAttributes") return a.value.newExecutionRunId;
  throw new Error(`no next run after ${EventType[event.eventType]}`);
}

/** The result of a completed run, from its close event. */
export function completedResult(event: HistoryEvent): unknown {
  const a = event.attributes;
  if (a.case !== "workflowExecutionCompletedEventAttributes") throw new Error(`expected a completed event, got ${EventType[event.eventType]}`);
  return defaultPayloadConverter.fromPayload(a.value.result!.payloads[0]!);
}

/** The first detail of a failed run's ApplicationFailure, from its close event. */
export function failedDetails(event: HistoryEvent): unknown {
  const a = event.attributes;
  if (a.case !== "workflowExecutionFailedEventAttributes") throw new Error(`expected a failed event, got ${EventType[event.eventType]}`);
  const info = a.value.failure?.failureInfo;
  if (info?.case !== "applicationFailureInfo") throw new Error("expected an application failure");
  return defaultPayloadConverter.fromPayload(info.value.details!.payloads[0]!);
}

/** Queries observationsQuery until the run observed `where`. */
export async function waitForObservation(h: WorkflowHandle, where: string): Promise<Observation[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const seen = await h.query<Observation[]>(observationsQuery);
    if (seen.some((o) => o.where === where)) return seen;
    if (Date.now() > until) throw new Error(`timed out waiting for '${where}' in ${h.workflowId}: ${JSON.stringify(seen)}`);
    await Bun.sleep(50);
  }
}

export interface PlainRun {
  handle: WorkflowHandle;
  /** The observations query while the run waits for the signal (live). */
  live: Observation[];
  /** The snapshot query while the run waits for the signal. */
  queried: InfoSnapshot;
  result: Awaited<ReturnType<typeof wf.infoReport>>;
  /** The observations query of the closed run: the worker rebuilds it from history. */
  replayed: Observation[];
}

/** infoReport with every start option: queried while it waits, signalled, queried once closed. */
export async function runPlain(taskQueue: string, between?: (h: WorkflowHandle) => Promise<void>): Promise<PlainRun> {
  const c = await client();
  const handle = await c.workflow.start("infoReport", plainStartOptions(taskQueue));
  const live = await waitForObservation(handle, "after timer");
  const queried = await handle.query<InfoSnapshot>(snapshotQuery);
  await between?.(handle);
  await handle.signal(finishSignal);
  const result = (await handle.result()) as PlainRun["result"];
  const replayed = await handle.query<Observation[]>(observationsQuery);
  return { handle, live, queried, result, replayed };
}

export interface ChainRun<R> {
  workflowId: string;
  runIds: string[];
  closes: HistoryEvent[];
  results: R;
}

/** cronInfo on CRON_SCHEDULE until its third run closed (the second fails); then terminated. */
export async function runCron(taskQueue: string): Promise<ChainRun<[wf.CronRun, wf.CronRun, wf.CronRun]>> {
  const c = await client();
  const workflowId = uid("cron-info");
  const h = await c.workflow.start("cronInfo", { taskQueue, workflowId, cronSchedule: CRON_SCHEDULE, workflowExecutionTimeout: "2 minutes" });
  try {
    const runIds = [h.firstExecutionRunId];
    const closes: HistoryEvent[] = [];
    for (let i = 0; i < 3; i++) {
      closes.push(await closeEvent(workflowId, runIds[i]!));
      if (i < 2) runIds.push(nextRunId(closes[i]!));
    }
    // Each run's own outcome, from its close event (result({ followRuns: false }) is no use
    // here: the server reports a cron run's close to that call as continued-as-new).
    const results = [completedResult(closes[0]!), failedDetails(closes[1]!), completedResult(closes[2]!)] as [wf.CronRun, wf.CronRun, wf.CronRun];
    return { workflowId, runIds, closes, results };
  } finally {
    await c.workflow.getHandle(workflowId).terminate("test done");
  }
}

/** retryInfo with WORKFLOW_RETRY: attempt 1 fails, attempt 2 returns both snapshots. */
export async function runRetry(taskQueue: string): Promise<ChainRun<Awaited<ReturnType<typeof wf.retryInfo>>>> {
  const c = await client();
  const workflowId = uid("retry-info");
  const h = await c.workflow.start("retryInfo", { taskQueue, workflowId, retry: WORKFLOW_RETRY, workflowExecutionTimeout: "60s" });
  const results = (await h.result()) as Awaited<ReturnType<typeof wf.retryInfo>>;
  const close1 = await closeEvent(workflowId, h.firstExecutionRunId);
  return { workflowId, runIds: [h.firstExecutionRunId, nextRunId(close1)], closes: [close1], results };
}

/** The start delay of runContinueAsNew's first run. */
export const START_DELAY_MS = 1000;

/** continueAsNewInfo, started with START_DELAY_MS: the first run continues as new, the second returns both snapshots. */
export async function runContinueAsNew(taskQueue: string): Promise<ChainRun<Awaited<ReturnType<typeof wf.continueAsNewInfo>>>> {
  const c = await client();
  const workflowId = uid("can-info");
  const h = await c.workflow.start("continueAsNewInfo", { taskQueue, workflowId, args: [], workflowExecutionTimeout: "60s", startDelay: START_DELAY_MS });
  const results = (await h.result()) as Awaited<ReturnType<typeof wf.continueAsNewInfo>>;
  const close1 = await closeEvent(workflowId, h.firstExecutionRunId);
  return { workflowId, runIds: [h.firstExecutionRunId, nextRunId(close1)], closes: [close1], results };
}

/** infoFamily: a parent, its child and its grandchild; the snapshots, parent first, and the three workflow ids. */
export async function runFamily(taskQueue: string): Promise<{ workflowIds: string[]; runId: string; snapshots: InfoSnapshot[] }> {
  const c = await client();
  const workflowId = uid("family-info");
  const h = await c.workflow.start("infoFamily", { taskQueue, workflowId, args: [], workflowExecutionTimeout: "60s" });
  const snapshots = (await h.result()) as InfoSnapshot[];
  return { workflowIds: [workflowId, `${workflowId}-1`, `${workflowId}-1-2`], runId: h.firstExecutionRunId, snapshots };
}
