/** Workflow of bench/stack-capture.ts: `n` timers started in one activation, from a helper. */
import { sleep } from "../src/workflow/index.js";

async function wait(ms: number): Promise<void> {
  await sleep(ms);
}

export async function manyTimers(n: number): Promise<void> {
  const all: Promise<void>[] = [];
  for (let i = 0; i < n; i++) all.push(wait(1000 + i));
  await Promise.all(all);
}
