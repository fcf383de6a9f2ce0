// temporal-bun-sdk's side of bench/replay-peer.ts, run by `bun`: replays every history of FILE
// (lines of {"workflowId", "history": base64 History protobuf}) PASSES times, each pass one
// Worker.runReplayHistories call over all of them, with the peer benchmark's workflow code
// (bench/peer/workflows-bun.ts, bundled once before the passes, not measured). Prints one JSON
// line: {"histories", "failed": [{workflowId, error}], "passes": [{cpuMs, wallMs}]} — CPU is the
// whole process's (all threads, getrusage), so core's threads count as they do for the official side.
// PEER_BUNDLE (optional): a bundle file written earlier (JSON of bundleWorkflowCode's result) to
// replay with instead, e.g. one made by an older bundler, to compare in the same conditions.
import { readFileSync } from "node:fs";
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from "../../src/worker/index.js";

Runtime.install({ logger: new DefaultLogger("WARN") });
const [file, passesArg] = process.argv.slice(2);
const passes = Number(passesArg ?? 3);
const histories = readFileSync(file!, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => {
    const { workflowId, history } = JSON.parse(l) as { workflowId: string; history: string };
    return { workflowId, history: new Uint8Array(Buffer.from(history, "base64")) };
  });
const workflowBundle = process.env.PEER_BUNDLE
  ? (JSON.parse(readFileSync(process.env.PEER_BUNDLE, "utf8")) as { code: string })
  : await bundleWorkflowCode({ workflowsPath: new URL("../peer/workflows-bun.ts", import.meta.url).pathname });
const failed: { workflowId: string; error: string }[] = [];
const out: { cpuMs: number; wallMs: number }[] = [];
for (let p = 0; p < passes; p++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const r of Worker.runReplayHistories({ workflowBundle }, histories)) {
    if (r.error && p === 0) failed.push({ workflowId: r.workflowId, error: String(r.error.message) });
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.push({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs });
}
console.log(JSON.stringify({ histories: histories.length, failed, passes: out }));
process.exit(0);
