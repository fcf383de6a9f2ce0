// The peer benchmark's workflow for temporal-bun-sdk (bundled by Bun.build at Worker.create).
// Same code as workflows-official.ts; only the import differs.
import { condition, defineQuery, defineSignal, defineUpdate, proxyActivities, setHandler, sleep } from "../../src/workflow/index.js";

const { greet, step } = proxyActivities<{ greet(name: string): Promise<string>; step(name: string, i: number): Promise<string> }>({ startToCloseTimeout: "10s" });

export async function hello(name: string): Promise<string> {
  return await greet(name);
}

// The update scenario (`bench/peer.ts --updates`): an entity that adds what each update sends and
// returns the new total, until `stop`.
export const add = defineUpdate<number, [number]>("add");
export const stop = defineSignal("stop");

export async function entity(): Promise<number> {
  let total = 0;
  let stopped = false;
  setHandler(add, (n) => (total += n));
  setHandler(stop, () => void (stopped = true));
  await condition(() => stopped);
  return total;
}

// The heavier scenario (`bench/peer.ts --heavy`, and the histories of bench/replay-peer.ts): ten
// sequential activities with a 100 ms timer after the fifth, two signals (`approve` carries a
// name, `finish` has none) and a query (`progress`: activities done so far). It completes once
// all ten ran and both signals arrived, whatever the order.
export const approve = defineSignal<[string]>("approve");
export const finish = defineSignal("finish");
export const progress = defineQuery<number>("progress");

export async function heavy(name: string): Promise<string> {
  let done = 0;
  let approvedBy: string | undefined;
  let finished = false;
  setHandler(progress, () => done);
  setHandler(approve, (who) => void (approvedBy = who));
  setHandler(finish, () => void (finished = true));
  const out: string[] = [];
  for (let i = 0; i < 10; i++) {
    if (i === 5) await sleep(100);
    out.push(await step(name, i));
    done++;
  }
  await condition(() => approvedBy !== undefined && finished);
  return `${out.length} steps of ${name}, approved by ${approvedBy}`;
}
