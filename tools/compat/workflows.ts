/**
 * Workflows of the compatibility corpus (tools/compat-corpus.ts, tests/compat/corpus.test.ts).
 * One source for both SDKs: ours bundles it as is (`temporal-bun-sdk/workflow`); the official
 * worker's webpack maps that specifier to `@temporalio/workflow` (tools/compat/node-worker.mjs).
 *
 * Every branch depends on the run's random stream (module top-level `Math.random()`,
 * `Math.random()`, `uuid4()`), on signals that arrive while the workflow runs, and on timers
 * and activities whose number, kind and durations come from random draws: a history replays
 * on the other SDK only if both draw the same numbers at the same points.
 * Never change this file without re-recording the corpus (tests/compat/corpus/).
 */
import { condition, defineSignal, proxyActivities, setHandler, sleep, uuid4 } from "temporal-bun-sdk/workflow";
import type * as activities from "./activities.mjs";

const { pick, measure } = proxyActivities<typeof activities>({ startToCloseTimeout: "10 seconds" });

// Drawn while the module loads, before the workflow function runs: the first value of the stream.
const moduleRoll = Math.random();

export const addSignal = defineSignal<[number]>("add");
export const finishSignal = defineSignal("finish");

const ms = (r: number, max: number) => 1 + Math.floor(r * max);

/** A random number of steps; each is an activity, a timer of random length or a UUID, by a draw. */
export async function randomWalk(steps: number): Promise<string[]> {
  const trail: string[] = [moduleRoll < 0.5 ? "low" : "high"];
  setHandler(addSignal, (v) => void trail.push(`signal:${v}:${Math.floor(Math.random() * 10)}`));
  const n = steps + Math.floor(Math.random() * 4);
  for (let i = 0; i < n; i++) {
    const r = Math.random();
    if (r < 0.4) trail.push(await pick(uuid4(), Math.floor(r * 1000)));
    else if (r < 0.75) {
      await sleep(ms(Math.random(), 150));
      trail.push("slept");
    } else trail.push(uuid4().slice(0, 8));
  }
  return trail;
}

/** Activities in parallel: how many, which ones and their arguments come from draws and UUIDs. */
export async function fanOut(width: number): Promise<number> {
  const count = 1 + Math.floor(Math.random() * width) + (moduleRoll < 0.3 ? 1 : 0);
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuid4();
    // The first hex digit of a UUID picks the activity: uuid4() itself must match.
    calls.push(parseInt(id[0]!, 16) < 8 ? pick(id, i) : measure(id));
    if (Math.random() < 0.3) calls.push(sleep(ms(Math.random(), 100)));
  }
  const results = await Promise.all(calls);
  return results.filter((r) => r !== undefined).length;
}

/**
 * Signals while running: each `add` is weighed by a draw in the handler. The workflow waits for
 * enough weight, `finish`, or a timeout of random length, after which it runs an activity or a
 * timer chosen by a draw.
 */
export async function accumulate(target: number): Promise<{ total: number; signals: number; rounds: number }> {
  let total = 0;
  let signals = 0;
  let finished = false;
  setHandler(addSignal, (v) => {
    total += v * Math.random();
    signals++;
  });
  setHandler(finishSignal, () => void (finished = true));
  let rounds = 0;
  while (!finished && total < target && rounds < 12) {
    rounds++;
    const done = await condition(() => finished || total >= target, ms(Math.random(), 400));
    if (!done) {
      if (Math.random() < 0.5) await pick(uuid4(), signals);
      else await sleep(ms(Math.random(), 80));
    }
  }
  return { total: Math.round(total * 1000) / 1000, signals, rounds };
}

/** A race between a timer of random length and an activity; the loser's outcome decides what follows. */
export async function race(rounds: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const winner = await Promise.race([
      sleep(ms(Math.random(), 60)).then(() => "timer"),
      pick(uuid4(), i).then(() => "activity"),
    ]);
    out.push(winner);
    if (winner === "timer" && Math.random() < 0.5) out.push(String(await measure(uuid4())));
  }
  return out;
}
