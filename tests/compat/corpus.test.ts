/**
 * Mixed fleets: histories recorded by the official SDK 1.24 on Node (tests/compat/corpus/, made
 * by tools/compat-corpus.ts) replay clean on ours. No Node and no server needed for that part.
 * The second part records a few histories of the same workflows with ours on the dev server and
 * replays them, so the corpus workflows (tools/compat/workflows.ts) stay runnable on ours.
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
import { WORKFLOWS_PATH, readCorpus, recordRuns, type RecordedHistory } from "../../tools/compat/corpus.js";

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

const eventCount = (histories: RecordedHistory[], type: EventType) =>
  histories.reduce((n, h) => n + h.history.events.filter((e) => e.eventType === type).length, 0);

describe("official SDK 1.24 histories", () => {
  test("the corpus holds 100 histories of every corpus workflow, with signals, timers, activities and resets", () => {
    const histories = officialCorpus();
    expect(histories.length).toBeGreaterThanOrEqual(100);
    expect(new Set(histories.map((h) => h.workflowType))).toEqual(new Set(["randomWalk", "fanOut", "accumulate", "race"]));
    expect(eventCount(histories, EventType.WORKFLOW_EXECUTION_SIGNALED)).toBeGreaterThan(50);
    expect(eventCount(histories, EventType.TIMER_STARTED)).toBeGreaterThan(50);
    expect(eventCount(histories, EventType.ACTIVITY_TASK_SCHEDULED)).toBeGreaterThan(50);
    // Reset runs: core sends UpdateRandomSeed at the reset point while replaying them.
    const resets = histories.filter((h) =>
      h.history.events.some(
        (e) => e.attributes.case === "workflowTaskFailedEventAttributes" && e.attributes.value.cause === WorkflowTaskFailedCause.RESET_WORKFLOW,
      ),
    );
    expect(resets.length).toBeGreaterThanOrEqual(5);
    // Every history ends with the workflow completed: the recording ran to the end.
    for (const h of histories) expect(h.history.events.at(-1)?.eventType).toBe(EventType.WORKFLOW_EXECUTION_COMPLETED);
  });

  test("every one replays clean on ours", async () => {
    const histories = officialCorpus();
    const { replayed, failures } = await replayAll(histories);
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  }, 180_000);
});

describe("ours → ours", () => {
  test("histories of the corpus workflows recorded by ours on the dev server replay clean", async () => {
    const env = await testEnv();
    const taskQueue = `compat-ours-${crypto.randomUUID()}`;
    const worker = await Worker.create({ connection: env.connection, namespace: env.namespace, taskQueue, workflowsPath: WORKFLOWS_PATH, activities, shutdownSignals: [] });
    const running = worker.run();
    let histories: RecordedHistory[];
    try {
      histories = await recordRuns(env.client, taskQueue, taskQueue, 12);
    } finally {
      worker.shutdown();
      await running;
    }
    expect(new Set(histories.map((h) => h.workflowType)).size).toBe(4);
    const { replayed, failures } = await replayAll(histories);
    expect(failures).toEqual([]);
    expect(replayed).toBe(12);
  }, 120_000);
});
