/**
 * Sample activities: ordinary async functions with full access to I/O. They run in the
 * worker's main realm; `temporal-bun-sdk/activity` gives them their Context.
 */
import { activityInfo, heartbeat, log } from "../src/activity/index.js";

/** Builds a greeting. Activities are where side effects (HTTP calls, databases, …) belong. */
export async function composeGreeting(greeting: string, name: string): Promise<string> {
  log.info("composing a greeting", { name, attempt: activityInfo().attempt });
  heartbeat();
  return `${greeting}, ${name}!`;
}
