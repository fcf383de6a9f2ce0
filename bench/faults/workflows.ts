/**
 * The workflow the fault suite runs: `steps` rounds of one activity then one durable timer,
 * so at any moment some runs wait on an activity and others on a timer. It returns the
 * activity results in order; the driver checks them against what it expects.
 */
import { proxyActivities, sleep } from "../../src/workflow/index.js";
import type * as activities from "./activities.js";

export interface FaultWorkflowInput {
  key: string;
  steps: number;
  activityMs: number;
  timerMs: number;
  /** Short so the server retries an activity whose worker died (its heartbeats stop). */
  heartbeatTimeoutMs: number;
  startToCloseTimeoutMs: number;
}

export async function faultWorkflow(input: FaultWorkflowInput): Promise<string[]> {
  const { work } = proxyActivities<typeof activities>({
    startToCloseTimeout: input.startToCloseTimeoutMs,
    heartbeatTimeout: input.heartbeatTimeoutMs,
    retry: { initialInterval: "200 ms", backoffCoefficient: 1.5, maximumInterval: "2 s" },
  });
  const results: string[] = [];
  for (let step = 0; step < input.steps; step++) {
    results.push(await work(input.key, step, input.activityMs));
    await sleep(input.timerMs);
  }
  return results;
}
