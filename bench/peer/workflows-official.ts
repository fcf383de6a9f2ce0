// @ts-nocheck — @temporalio/workflow is not a dependency of this repository (bench/peer.ts installs the
// official SDK in a cache folder outside it), so the repository's typecheck cannot resolve it.
// The peer benchmark's workflow for the official SDK (bundled by its webpack at Worker.create).
// Same code as workflows-bun.ts; only the import differs.
import { proxyActivities } from "@temporalio/workflow";

const { greet } = proxyActivities<{ greet(name: string): Promise<string> }>({ startToCloseTimeout: "10s" });

export async function hello(name: string): Promise<string> {
  return await greet(name);
}
