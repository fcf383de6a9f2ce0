// The peer benchmark's workflow for temporal-bun-sdk (bundled by Bun.build at Worker.create).
// Same code as workflows-official.ts; only the import differs.
import { proxyActivities } from "../../src/workflow/index.js";

const { greet } = proxyActivities<{ greet(name: string): Promise<string> }>({ startToCloseTimeout: "10s" });

export async function hello(name: string): Promise<string> {
  return await greet(name);
}
