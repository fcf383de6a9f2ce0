/**
 * Sample workflows. Workflow code imports only `temporal-bun-sdk/workflow` (here by path)
 * and types of the activities; it runs deterministically in the worker's sandbox.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler, sleep } from "../src/workflow/index.js";
import type * as activities from "./activities.js";

const { composeGreeting } = proxyActivities<typeof activities>({
  startToCloseTimeout: "10 seconds",
  retry: { initialInterval: "100 ms", maximumAttempts: 3 },
});

/** Greets `name` through an activity after a short durable timer. */
export async function greet(name: string): Promise<string> {
  await sleep("50 ms");
  return await composeGreeting("Hello", name);
}

export const setGreetingSignal = defineSignal<[string]>("setGreeting");
export const greetingQuery = defineQuery<string>("greeting");

/** Waits (up to `timeoutMs`) for a `setGreeting` signal, then greets with it. */
export async function greetWhenSignalled(name: string, timeoutMs = 10_000): Promise<string> {
  let greeting = "";
  setHandler(setGreetingSignal, (g) => void (greeting = g));
  setHandler(greetingQuery, () => greeting);
  const signalled = await condition(() => greeting !== "", timeoutMs);
  return await composeGreeting(signalled ? greeting : "Hello (no signal)", name);
}
