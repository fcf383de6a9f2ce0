// @ts-nocheck — @temporalio/workflow is not a dependency of this repository (bench/peer.ts installs the
// official SDK in a cache folder outside it), so the repository's typecheck cannot resolve it.
// The peer benchmark's workflow for the official SDK (bundled by its webpack at Worker.create).
// Same code as workflows-bun.ts; only the import differs.
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from "@temporalio/workflow";

const { greet } = proxyActivities<{ greet(name: string): Promise<string> }>({ startToCloseTimeout: "10s" });

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
