/**
 * Replay benchmark: the same recorded histories replayed by temporal-bun-sdk on Bun and by the
 * official TypeScript SDK 1.24 on Node, without a server. CPU per history and wall time.
 *
 * - Histories: H executions (default 100) of bench/peer's `heavy` workflow (ten sequential
 *   activities, a 100 ms timer, two signals), run once on a dev server by our worker
 *   (bench/peer/bun-worker.ts) and fetched with `fetchHistory`; cached as JSONL (base64 History
 *   protobuf per line) in `<cache>/bench-replay-heavy-<H>.jsonl` (cache = TEMPORAL_BUN_SDK_CACHE
 *   or ~/.cache/temporal-bun-sdk), outside the repository. `--record` records them again.
 * - Replay: rounds bun, node, bun, node, each a fresh subprocess (bench/replay/bun-replayer.ts,
 *   bench/replay/node-replayer.mjs) that bundles the workflow code (not measured) and then makes
 *   P passes (default 3), each one `Worker.runReplayHistories` over all histories. Per pass: the
 *   process's CPU time (user + system, all threads: getrusage) and wall time. Each SDK is measured
 *   on the histories it replays; a history either fails is reported and the run stops.
 * - Figures: CPU per history and histories/s of each pass, the best pass per SDK, and the ratio.
 *
 * Usage: bun bench/replay-peer.ts [histories=100] [--passes P] [--record]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { toBinary } from "@bufbuild/protobuf";
import { HistorySchema } from "../src/proto/temporal/api/history/v1/message_pb.js";
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { OFFICIAL_VERSION, ensureOfficialSdk, officialSdkDir } from "../tools/official-sdk.js";

const args = process.argv.slice(2);
const passesAt = args.indexOf("--passes");
const PASSES = passesAt >= 0 ? Number(args[passesAt + 1]) : 3;
const H = Number(args.find((a, i) => !a.startsWith("--") && (passesAt < 0 || i !== passesAt + 1)) ?? 100);
if (!Number.isInteger(H) || H < 1) throw new Error(`histories must be a positive integer, got ${H}`);
if (!Number.isInteger(PASSES) || PASSES < 1) throw new Error(`--passes must be a positive integer, got ${PASSES}`);
const cacheDir = process.env.TEMPORAL_BUN_SDK_CACHE || join(homedir(), ".cache", "temporal-bun-sdk");
const file = join(cacheDir, `bench-replay-heavy-${H}.jsonl`);
const here = dirname(new URL(import.meta.url).pathname);

async function record(): Promise<void> {
  const env = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error" } });
  const taskQueue = `replay-record-${crypto.randomUUID()}`;
  const worker = spawn(process.execPath, [join(here, "peer/bun-worker.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PEER_ADDRESS: env.address, PEER_TASK_QUEUE: taskQueue, PEER_OPTIONS: "{}" },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: worker.stdout! }).on("line", (l) => l.trim() === "PEER_READY" && resolve());
      worker.on("exit", (code) => reject(new Error(`recording worker exited (${code}) before ready`)));
    });
    const lines = await Promise.all(
      Array.from({ length: H }, async (_, i) => {
        const h = await env.client.workflow.start("heavy", { taskQueue, workflowId: `${taskQueue}-${i}`, args: [`w${i}`], workflowExecutionTimeout: "300s" });
        await h.signal("approve", `a${i}`);
        await h.signal("finish");
        const result = await h.result();
        if (result !== `10 steps of w${i}, approved by a${i}`) throw new Error(`unexpected result ${JSON.stringify(result)}`);
        const history = await h.fetchHistory();
        return JSON.stringify({ workflowId: h.workflowId, history: Buffer.from(toBinary(HistorySchema, history)).toString("base64") });
      }),
    );
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, lines.join("\n") + "\n");
    console.log(`recorded ${H} histories of \`heavy\` (our worker, dev server) → ${file}`);
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.on("exit", r)));
    await env.teardown();
  }
}

type Sdk = "bun" | "node";
interface Pass {
  cpuMs: number;
  wallMs: number;
}
async function replayRound(sdk: Sdk): Promise<Pass[]> {
  const [cmd, script] = sdk === "bun" ? [process.execPath, join(here, "replay/bun-replayer.ts")] : ["node", join(here, "replay/node-replayer.mjs")];
  const child = spawn(cmd, [script, file, String(PASSES)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PEER_NODE_SDK_DIR: officialSdkDir } });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c, signal) => resolve(c ?? (signal ? -1 : null)));
  });
  if (code !== 0) throw new Error(`${sdk} replayer exited with ${code}:\n${err}`);
  const r = JSON.parse(out.trim().split("\n").pop()!) as { histories: number; failed: { workflowId: string; error: string }[]; passes: Pass[] };
  if (r.failed.length > 0) throw new Error(`${sdk}: ${r.failed.length} of ${r.histories} histories failed to replay, e.g. ${r.failed[0]!.workflowId}: ${r.failed[0]!.error}`);
  return r.passes;
}

await ensureOfficialSdk();
if (args.includes("--record") || !existsSync(file)) await record();
const loadavg = (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ");
console.log(`replay benchmark: ${H} histories of \`heavy\` (${file}), ${PASSES} passes per round; temporal-bun-sdk on Bun ${Bun.version} vs official @temporalio/* ${OFFICIAL_VERSION} on Node; load average ${loadavg}`);
const rounds: { sdk: Sdk; passes: Pass[] }[] = [];
for (const sdk of ["bun", "node", "bun", "node"] as Sdk[]) {
  const passes = await replayRound(sdk);
  rounds.push({ sdk, passes });
  console.log(
    `  ${sdk.padEnd(4)}: ` + passes.map((p) => `${(p.cpuMs / H).toFixed(2)} ms CPU/history, ${((H * 1000) / p.wallMs).toFixed(0)} histories/s`).join("; "),
  );
}
const all = (sdk: Sdk) => rounds.filter((r) => r.sdk === sdk).flatMap((r) => r.passes);
const bestCpu = (sdk: Sdk) => Math.min(...all(sdk).map((p) => p.cpuMs)) / H;
const bestRate = (sdk: Sdk) => Math.max(...all(sdk).map((p) => (H * 1000) / p.wallMs));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medCpu = (sdk: Sdk) => median(all(sdk).map((p) => p.cpuMs)) / H;
console.log(`\nbest pass per SDK (median of all ${2 * PASSES} passes in brackets):`);
console.log(`| metric | bun (ours) | node (official) | ours/official |\n|---|---:|---:|---:|`);
console.log(`| CPU per history (ms) | ${bestCpu("bun").toFixed(2)} (${medCpu("bun").toFixed(2)}) | ${bestCpu("node").toFixed(2)} (${medCpu("node").toFixed(2)}) | **${(bestCpu("bun") / bestCpu("node")).toFixed(2)}** (${(medCpu("bun") / medCpu("node")).toFixed(2)}) |`);
console.log(`| histories/s (wall) | ${bestRate("bun").toFixed(0)} | ${bestRate("node").toFixed(0)} | ${(bestRate("bun") / bestRate("node")).toFixed(2)} |`);
process.exit(0);
