// The official SDK 1.24's side of tools/compat-corpus.ts, run by `node` (the SDK is loaded from
// the cache folder in COMPAT_SDK_DIR, installed by tools/official-sdk.ts).
//
//   node node-worker.mjs run                 a Worker for tools/compat/workflows.ts on
//                                            COMPAT_TASK_QUEUE at COMPAT_ADDRESS (identity
//                                            COMPAT_IDENTITY, maxCachedWorkflows
//                                            COMPAT_MAX_CACHED if set); prints "COMPAT_READY",
//                                            runs until SIGTERM. COMPAT_WORKFLOWS_PATH
//                                            replaces tools/compat/workflows.ts (another file
//                                            importing `temporal-bun-sdk/workflow`); with
//                                            COMPAT_EXIT_WITH_STDIN=1 it also exits when its
//                                            stdin (a pipe from the parent) closes, so a test
//                                            process that dies leaves no worker behind.
//                                            COMPAT_WORKFLOW_INTERCEPTOR_MODULES: comma-separated
//                                            interceptors.workflowModules.
//   node node-worker.mjs replay FILE.jsonl   replays every history of FILE (lines of
//                                            {"workflowId", "history": base64 History protobuf})
//                                            with Worker.runReplayHistories; prints one JSON line
//                                            per history: {"workflowId", "error"?}
//                                            (with COMPAT_WORKFLOW_INTERCEPTOR_MODULES too).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as activities from "./activities.mjs";

const sdkDir = process.env.COMPAT_SDK_DIR;
if (!sdkDir) throw new Error("COMPAT_SDK_DIR is not set (tools/compat-corpus.ts sets it)");
const require = createRequire(join(sdkDir, "package.json"));
const { NativeConnection, Worker, Runtime, DefaultLogger } = require("@temporalio/worker");
const { temporal } = require("@temporalio/proto");

Runtime.install({ logger: new DefaultLogger("WARN") });
const workflowsPath = process.env.COMPAT_WORKFLOWS_PATH || fileURLToPath(new URL("./workflows.ts", import.meta.url));
if (process.env.COMPAT_EXIT_WITH_STDIN === "1") {
  // The parent holds the other end of stdin: end-of-file means it is gone.
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}
// The workflow file is shared with our SDK and imports `temporal-bun-sdk/workflow`: map it to the
// official package, and let webpack find that package in the cache folder.
const webpackConfigHook = (config) => {
  config.resolve.modules = [...config.resolve.modules, join(sdkDir, "node_modules")];
  config.resolve.alias = { ...config.resolve.alias, "temporal-bun-sdk/workflow": "@temporalio/workflow" };
  return config;
};
const bundlerOptions = { webpackConfigHook };

const mode = process.argv[2];
if (mode === "run") {
  const connection = await NativeConnection.connect({ address: process.env.COMPAT_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: process.env.COMPAT_NAMESPACE ?? "default",
    taskQueue: process.env.COMPAT_TASK_QUEUE,
    workflowsPath,
    bundlerOptions,
    activities,
    identity: process.env.COMPAT_IDENTITY,
    // 0 on the mixed queue: no sticky cache, so each workflow task goes to whichever worker
    // (official or ours) polls it first and replays the history the other one made.
    ...(process.env.COMPAT_MAX_CACHED ? { maxCachedWorkflows: Number(process.env.COMPAT_MAX_CACHED) } : {}),
    // Comma-separated workflow interceptor module paths (tests/compat/client-interceptors-official.test.ts).
    ...(process.env.COMPAT_WORKFLOW_INTERCEPTOR_MODULES
      ? { interceptors: { workflowModules: process.env.COMPAT_WORKFLOW_INTERCEPTOR_MODULES.split(",") } }
      : {}),
  });
  console.log("COMPAT_READY");
  await worker.run(); // until SIGTERM (the SDK's default shutdown signals)
  await connection.close();
  process.exit(0);
} else if (mode === "replay") {
  const lines = readFileSync(process.argv[3], "utf8").split("\n").filter((l) => l.trim() !== "");
  // Binary decoding with the SDK's own proto package: historyFromJSON can fail when two copies of
  // protobufjs are installed (docs in /work/shared/design/facts.md).
  const histories = lines.map((line) => {
    const { workflowId, history } = JSON.parse(line);
    return { workflowId, history: temporal.api.history.v1.History.decode(Buffer.from(history, "base64")) };
  });
  // COMPAT_WORKFLOW_INTERCEPTOR_MODULES applies to replays too (a history made with interceptors).
  const replayInterceptors = process.env.COMPAT_WORKFLOW_INTERCEPTOR_MODULES
    ? { interceptors: { workflowModules: process.env.COMPAT_WORKFLOW_INTERCEPTOR_MODULES.split(",") } }
    : {};
  for await (const result of Worker.runReplayHistories({ workflowsPath, bundlerOptions, ...replayInterceptors }, histories)) {
    const error = result.error ? `${result.error.name}: ${result.error.message}` : undefined;
    console.log(JSON.stringify({ workflowId: result.workflowId, error }));
  }
  process.exit(0);
} else {
  throw new Error(`usage: node node-worker.mjs run | replay FILE.jsonl (got ${mode})`);
}
