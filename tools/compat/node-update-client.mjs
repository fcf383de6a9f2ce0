// The official @temporalio/client 1.24 side of tests/compat/update-client-official.test.ts, run
// by `node`: runs tools/compat/update-client-scenarios.mjs with the official client (loaded from
// COMPAT_SDK_DIR, installed by tools/official-sdk.ts) and prints the outcomes as one JSON line.
// Env: COMPAT_SDK_DIR, COMPAT_ADDRESS, COMPAT_NAMESPACE, COMPAT_TASK_QUEUE, COMPAT_PREFIX; with
// COMPAT_EXIT_WITH_STDIN=1 it also exits when its stdin closes (its parent died).
import { createRequire } from "node:module";
import { join } from "node:path";
import { runUpdateScenarios } from "./update-client-scenarios.mjs";

const sdkDir = process.env.COMPAT_SDK_DIR;
if (!sdkDir) throw new Error("COMPAT_SDK_DIR is not set");
if (process.env.COMPAT_EXIT_WITH_STDIN === "1") {
  process.stdin.on("end", () => process.exit(1));
  process.stdin.resume();
}
const require = createRequire(join(sdkDir, "package.json"));
const { Client, Connection, WithStartWorkflowOperation } = require("@temporalio/client");

const connection = await Connection.connect({ address: process.env.COMPAT_ADDRESS });
try {
  const client = new Client({ connection, namespace: process.env.COMPAT_NAMESPACE ?? "default" });
  const out = await runUpdateScenarios({ client, WithStartWorkflowOperation, taskQueue: process.env.COMPAT_TASK_QUEUE, prefix: process.env.COMPAT_PREFIX });
  console.log(JSON.stringify(out));
} finally {
  await connection.close();
}
process.exit(0);
