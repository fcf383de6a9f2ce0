// The worker of bench/soak.ts and bench/scale.ts, run by `bun`: bench/peer's workflows and
// activities on PEER_TASK_QUEUE at PEER_ADDRESS with PEER_OPTIONS (JSON worker options). Prints
// "PEER_READY" once created; then, for each line "stats" on its stdin, one line
// "STATS {json}": the bridge's native handle counters (src/bridge debug counters), the worker's
// status (cached runs, activations completed) and process.memoryUsage(). Runs until SIGTERM or
// until its stdin closes (the driver is gone).
import { createInterface } from "node:readline";
import { bridgeCounters } from "../../src/bridge/index.js";
import { DefaultLogger, NativeConnection, Runtime, Worker } from "../../src/worker/index.js";
import * as activities from "../peer/activities.mjs";

Runtime.install({ logger: new DefaultLogger("WARN") });
const connection = await NativeConnection.connect({ address: process.env.PEER_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.PEER_TASK_QUEUE!,
  workflowsPath: new URL("../peer/workflows-bun.ts", import.meta.url).pathname,
  activities,
  ...JSON.parse(process.env.PEER_OPTIONS ?? "{}"),
});
const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line.trim() !== "stats") return;
  console.log(`STATS ${JSON.stringify({ counters: bridgeCounters(), status: worker.getStatus(), memory: process.memoryUsage() })}`);
});
rl.on("close", () => worker.shutdown());
console.log("PEER_READY");
await worker.run(); // until SIGTERM (the default shutdown signals) or shutdown()
await connection.close();
process.exit(0);
