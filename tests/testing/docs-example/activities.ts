import { heartbeat, sleep, Context } from "temporal-bun-sdk/activity";

export async function makeHTTPRequest(): Promise<string> {
  return "42";
}

export async function activityFoo(a: number, b: number): Promise<number> {
  return a + b;
}

export async function myActivity(): Promise<void> {
  heartbeat(6);
  await Context.current().sleep(100_000);
}

export async function sleepyActivity(): Promise<void> {
  await sleep(100_000);
}
