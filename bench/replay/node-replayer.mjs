// The official SDK 1.24's side of bench/replay-peer.ts, run by `node` (the SDK from
// PEER_NODE_SDK_DIR): the same histories, passes and output as bun-replayer.ts, with
// bench/peer/workflows-official.ts bundled once (webpack) before the passes, not measured.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const sdkDir = process.env.PEER_NODE_SDK_DIR;
if (!sdkDir) throw new Error("PEER_NODE_SDK_DIR is not set (bench/replay-peer.ts sets it)");
const require = createRequire(join(sdkDir, "package.json"));
const { Worker, Runtime, DefaultLogger, bundleWorkflowCode } = require("@temporalio/worker");
const { temporal } = require("@temporalio/proto");

const logger = new DefaultLogger("WARN");
Runtime.install({ logger });
const [file, passesArg] = process.argv.slice(2);
const passes = Number(passesArg ?? 3);
// Binary decoding with the SDK's own proto package (historyFromJSON is not reliable across installs).
const histories = readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => {
    const { workflowId, history } = JSON.parse(l);
    return { workflowId, history: temporal.api.history.v1.History.decode(Buffer.from(history, "base64")) };
  });
const webpackConfigHook = (config) => {
  config.resolve.modules = [...config.resolve.modules, join(sdkDir, "node_modules")];
  return config;
};
const workflowsPath = fileURLToPath(new URL("../peer/workflows-official.ts", import.meta.url));
const { code } = await bundleWorkflowCode({ workflowsPath, webpackConfigHook, logger });
const failed = [];
const out = [];
for (let p = 0; p < passes; p++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const r of Worker.runReplayHistories({ workflowBundle: { code } }, histories)) {
    if (r.error && p === 0) failed.push({ workflowId: r.workflowId, error: String(r.error.message) });
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.push({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs });
}
console.log(JSON.stringify({ histories: histories.length, failed, passes: out }));
process.exit(0);
