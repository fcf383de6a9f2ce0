// The official client's side of the update scenario of the peer benchmark (bench/peer.ts --updates),
// run by `node`: the same scenario as bench/peer.ts's own driver (temporal-bun-sdk's client), with
// @temporalio/client 1.24 loaded from PEER_NODE_SDK_DIR. Sends updates to the running `entity`
// workflow PEER_WORKFLOW_ID (warm-up, then sequential), then PEER_BURST_PER_WORKFLOW at once to each of
// PEER_BURST_WORKFLOW_IDS (comma-separated), and prints one JSON line:
// {"seq":[ms…],"burst":[ms…],"burstWallMs":ms}.
// Env: PEER_NODE_SDK_DIR, PEER_ADDRESS, PEER_WORKFLOW_ID, PEER_WARMUP, PEER_SEQUENTIAL,
// PEER_BURST_WORKFLOW_IDS, PEER_BURST_PER_WORKFLOW.
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const sdkDir = process.env.PEER_NODE_SDK_DIR;
if (!sdkDir) throw new Error("PEER_NODE_SDK_DIR is not set (bench/peer.ts sets it)");
const require = createRequire(join(sdkDir, "package.json"));
const { Client, Connection } = require("@temporalio/client");

const connection = await Connection.connect({ address: process.env.PEER_ADDRESS });
const client = new Client({ connection });
const handle = client.workflow.getHandle(process.env.PEER_WORKFLOW_ID);
const [warmup, sequential, perWorkflow] = ["PEER_WARMUP", "PEER_SEQUENTIAL", "PEER_BURST_PER_WORKFLOW"].map((k) => Number(process.env[k]));
const burstIds = process.env.PEER_BURST_WORKFLOW_IDS.split(",");

for (let i = 0; i < warmup; i++) await handle.executeUpdate("add", { args: [1] });
const seq = [];
for (let i = 0; i < sequential; i++) {
  const s = performance.now();
  await handle.executeUpdate("add", { args: [1] });
  seq.push(performance.now() - s);
}
const burstLat = [];
const started = performance.now();
await Promise.all(
  burstIds.flatMap((id) =>
    Array.from({ length: perWorkflow }, async () => {
      const s = performance.now();
      await client.workflow.getHandle(id).executeUpdate("add", { args: [1] });
      burstLat.push(performance.now() - s);
    }),
  ),
);
const burstWallMs = performance.now() - started;
console.log(JSON.stringify({ seq, burst: burstLat, burstWallMs }));
await connection.close();
