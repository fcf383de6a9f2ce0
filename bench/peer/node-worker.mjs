// The official Temporal TypeScript SDK's side of the peer benchmark (bench/peer.ts), run by `node`.
// The SDK is loaded from PEER_NODE_SDK_DIR (installed there by bench/peer.ts from the npm registry,
// outside the repository). Prints "PEER_READY" once the worker is created (workflow code bundled unless prebundled,
// worker validated against the server), then runs until SIGTERM.
// Env: PEER_NODE_SDK_DIR, PEER_ADDRESS, PEER_TASK_QUEUE, PEER_OPTIONS (JSON, worker options),
// PEER_BUNDLE (optional: a bundle written earlier by `node node-worker.mjs --bundle-to FILE`).
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as activities from "./activities.mjs";

const sdkDir = process.env.PEER_NODE_SDK_DIR;
if (!sdkDir) throw new Error("PEER_NODE_SDK_DIR is not set (bench/peer.ts sets it)");
const require = createRequire(join(sdkDir, "package.json"));
const { NativeConnection, Worker, Runtime, DefaultLogger, bundleWorkflowCode } = require("@temporalio/worker");

const logger = new DefaultLogger("WARN");
Runtime.install({ logger });
const workflowsPath = fileURLToPath(new URL("./workflows-official.ts", import.meta.url));
// The workflow file lives in the repository, the SDK in the cache folder: let webpack find
// @temporalio/workflow (and its dependencies) there.
const webpackConfigHook = (config) => {
  config.resolve.modules = [...config.resolve.modules, join(sdkDir, "node_modules")];
  return config;
};
if (process.argv[2] === "--bundle-to") {
  const { code } = await bundleWorkflowCode({ workflowsPath, webpackConfigHook, logger });
  writeFileSync(process.argv[3], code);
  process.exit(0);
}
const workflows = process.env.PEER_BUNDLE
  ? { workflowBundle: { codePath: process.env.PEER_BUNDLE } }
  : { workflowsPath, bundlerOptions: { webpackConfigHook } };
const options = JSON.parse(process.env.PEER_OPTIONS ?? "{}");
const connection = await NativeConnection.connect({ address: process.env.PEER_ADDRESS });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.PEER_TASK_QUEUE,
  ...workflows,
  activities,
  ...options,
});
console.log("PEER_READY");
await worker.run(); // until SIGTERM (the SDK's default shutdown signals)
await connection.close();
process.exit(0);
