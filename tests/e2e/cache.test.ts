/**
 * The workflow cache under pressure: a worker that caches one run at a time serves several
 * interleaved runs, so every activation of a run that is not cached makes core evict the
 * other run and replay this one from history. Results must be the same as with a cache.
 */
import { describe, expect, test } from "bun:test";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { client, expectReplays, isType, startWorker, uid } from "./helpers.js";
import type { WorkflowHandle } from "../../src/client/index.js";

async function activitiesScheduled(h: WorkflowHandle, n: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const history = await h.fetchHistory();
    if (history.events.filter(isType(EventType.ACTIVITY_TASK_SCHEDULED)).length >= n) return;
    await Bun.sleep(50);
  }
  throw new Error(`${h.workflowId}: activity ${n} was never scheduled`);
}

describe("maxCachedWorkflows: 1", () => {
  test("four interleaved runs, each evicted and replayed many times, produce the right results", async () => {
    const w = await startWorker("workflows.ts", { maxCachedWorkflows: 1 });
    try {
      const c = await client();
      const runs = 4;
      const steps = 3;
      const handles: WorkflowHandle[] = [];
      for (let i = 0; i < runs; i++) {
        handles.push(await c.workflow.start("stepper", { taskQueue: w.taskQueue, workflowId: uid(`stepper${i}`), args: [steps], workflowExecutionTimeout: "60s" }));
      }
      // Interleave: step s of every run before step s + 1 of any, waiting for each signal's
      // activity to be scheduled so the runs really alternate in the one cache slot.
      for (let s = 0; s < steps; s++) {
        for (let i = 0; i < runs; i++) {
          await handles[i]!.signal("step", (i + 1) * 10);
          await activitiesScheduled(handles[i]!, s + 1);
        }
      }
      const results = await Promise.all(handles.map((h) => h.result()));
      // each step: total = total + value + 1
      expect(results).toEqual(handles.map((_, i) => steps * ((i + 1) * 10 + 1)));
      expect(w.worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(1);
      for (const h of handles) {
        const history = await expectReplays(h, "workflows.ts");
        expect(history.events.filter(isType(EventType.ACTIVITY_TASK_COMPLETED)).length).toBe(steps);
      }
    } finally {
      await w.stop();
    }
  });
});
