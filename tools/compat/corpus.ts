/**
 * The compatibility corpus: which workflows of tools/compat/workflows.ts to run, with which
 * inputs and signals, and the file format of recorded histories. Shared by the recording script
 * (tools/compat-corpus.ts) and tests/compat/corpus.test.ts, so both drive the same workflows.
 *
 * File format (`.jsonl`): one history per line, `{"workflowId", "workflowType", "history"}` with
 * `history` the base64 of the binary `temporal.api.history.v1.History` protobuf, as fetched from
 * the server (payloads as stored). Binary because the official SDK's `historyFromJSON` is not
 * reliable across installs, and it is smaller than JSON.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { HistorySchema, type Client, type History } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";

export const WORKFLOWS_PATH = new URL("./workflows.ts", import.meta.url).pathname;

export interface PlannedRun {
  index: number;
  workflowType: "randomWalk" | "fanOut" | "accumulate" | "race";
  args: [number];
  /** `add` signals sent while it runs (value, delay in ms before sending), then `finish` if set. */
  signals: { value: number; delayMs: number }[];
  finish: boolean;
  /**
   * After it completes, reset it to its second workflow task (ResetWorkflowExecution) and record
   * the new run instead: core then sends UpdateRandomSeed (the new run id's seed) while the
   * history replays, so the re-seeded stream is checked on real histories too.
   */
  reset: boolean;
}

const TYPES = ["randomWalk", "fanOut", "accumulate", "race"] as const;

/** Run i of the corpus: the types rotate, inputs and signal schedules vary with i. */
export function plannedRun(index: number): PlannedRun {
  const workflowType = TYPES[index % TYPES.length]!;
  const k = Math.floor(index / TYPES.length);
  const arg = workflowType === "accumulate" ? 5 + (k % 6) * 3 : 1 + (k % 5);
  const signalCount = workflowType === "accumulate" ? 2 + (k % 4) : workflowType === "randomWalk" && k % 2 === 1 ? 1 + (k % 3) : 0;
  const signals = Array.from({ length: signalCount }, (_, j) => ({ value: 1 + ((index + j * 3) % 7), delayMs: 40 + ((index * 37 + j * 61) % 160) }));
  return { index, workflowType, args: [arg], signals, finish: workflowType === "accumulate" && k % 3 !== 2, reset: index % 9 === 2 };
}

export interface RecordedHistory {
  workflowId: string;
  workflowType: string;
  history: History;
}

/**
 * Starts `count` planned runs on `taskQueue` (a worker of either SDK must serve it), sends their
 * signals while they run, waits for every result and fetches the histories.
 */
export async function recordRuns(client: Client, taskQueue: string, idPrefix: string, count: number): Promise<RecordedHistory[]> {
  const runs = Array.from({ length: count }, (_, i) => plannedRun(i));
  return Promise.all(
    runs.map(async (run) => {
      const workflowId = `${idPrefix}-${String(run.index).padStart(3, "0")}-${run.workflowType}`;
      const handle = await client.workflow.start(run.workflowType, { taskQueue, workflowId, args: run.args, workflowExecutionTimeout: "2 minutes" });
      for (const s of run.signals) {
        await Bun.sleep(s.delayMs);
        // A signal after the workflow finished is refused by the server; that is a valid outcome.
        await handle.signal("add", s.value).catch(() => undefined);
      }
      if (run.finish) await handle.signal("finish").catch(() => undefined);
      await handle.result();
      const history = await handle.fetchHistory();
      if (!run.reset) return { workflowId, workflowType: run.workflowType, history };
      const reset = await resetToSecondTask(client, workflowId, history);
      await reset.result();
      return { workflowId, workflowType: run.workflowType, history: await reset.fetchHistory() };
    }),
  );
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
    JSON.stringify({ workflowId: h.workflowId, workflowType: h.workflowType, history: Buffer.from(toBinary(HistorySchema, h.history)).toString("base64") }),
  );
  writeFileSync(file, lines.join("\n") + "\n");
}

export function readCorpus(file: string): RecordedHistory[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const { workflowId, workflowType, history } = JSON.parse(line) as { workflowId: string; workflowType: string; history: string };
      return { workflowId, workflowType, history: fromBinary(HistorySchema, Buffer.from(history, "base64")) };
    });
}
