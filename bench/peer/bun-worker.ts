// temporal-bun-sdk's side of the peer benchmark (bench/peer.ts), run by `bun`. Same shape as
// node-worker.mjs: prints "PEER_READY" once the worker is created (workflow code bundled unless prebundled, worker
// validated against the server), then runs until SIGTERM.
// Env: PEER_ADDRESS, PEER_TASK_QUEUE, PEER_OPTIONS (JSON, worker options),
// PEER_BUNDLE (optional: a bundle written earlier by `bun bun-worker.ts --bundle-to FILE`).
import { readFileSync, writeFileSync } from "node:fs";
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from "../../src/worker/index.js";
import { formatLiveStats } from "../../src/worker/live-stats.js";
import * as activities from "./activities.mjs";

Runtime.install({ logger: new DefaultLogger("WARN") });
const workflowsPath = new URL("./workflows-bun.ts", import.meta.url).pathname;
if (process.argv[2] === "--bundle-to") {
  writeFileSync(process.argv[3]!, JSON.stringify(await bundleWorkflowCode({ workflowsPath })));
  process.exit(0);
}
const workflows = process.env.PEER_BUNDLE ? { workflowBundle: JSON.parse(readFileSync(process.env.PEER_BUNDLE, "utf8")) } : { workflowsPath };
const options = JSON.parse(process.env.PEER_OPTIONS ?? "{}");
const connection = await NativeConnection.connect({ address: process.env.PEER_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.PEER_TASK_QUEUE!,
  ...workflows,
  activities,
  ...options,
});
console.log("PEER_READY");
await worker.run(); // until SIGTERM (the default shutdown signals)
// With TEMPORAL_BUN_SDK_LIVE_STATS=1 (bench/peer.ts passes its environment on): the live-path
// counters, printed by bench/peer.ts as "[bun] ..." lines (docs/benchmarks.md, "The live-path stall").
const stats = worker.liveStats();
if (stats) for (const line of formatLiveStats(stats)) console.log(line);
await connection.close();
process.exit(0);
