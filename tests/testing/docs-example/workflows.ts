// Workflows of the official documentation's testing examples (docs.temporal.io, TypeScript SDK,
// "Testing"), with only the import specifiers changed.
import { defineQuery, proxyActivities, setHandler, sleep } from "temporal-bun-sdk/workflow";
import type * as activities from "./activities";

const { makeHTTPRequest } = proxyActivities<typeof activities>({ startToCloseTimeout: "1 minute" });

export async function httpWorkflow(): Promise<string> {
  const answer = await makeHTTPRequest();
  return `The answer is ${answer}`;
}

export const daysQuery = defineQuery<number>("days");

export async function sleeperWorkflow() {
  let numDays = 0;
  setHandler(daysQuery, () => numDays);
  for (let i = 0; i < 100; i++) {
    await sleep("1 day");
    numDays++;
  }
}

export async function failsAnAssertion(): Promise<void> {
  const err = new Error("expected 1 to equal 2");
  err.name = "AssertionError";
  throw err;
}
