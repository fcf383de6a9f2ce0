/**
 * A worker compiled by `temporal-bun-worker build` against the same worker run by
 * `bun bin/temporal-bun-worker.ts`, on the same code (tests/package/fixtures/single-binary),
 * the same dev server and in the same run:
 * - the executable's size (and what it holds: Bun's runtime, the gzipped library, the code);
 * - start-to-ready: process spawn → the ready line on stdout, median (min–max) of N starts each,
 *   alternating the two so both see the same machine load; the compiled worker's first start on
 *   an empty cache (it writes the library out) separately;
 * - RSS at ready;
 * - one workflow through each, so both are known to work.
 * Usage: bun bench/single-binary.ts [N=7]   (starts a dev server unless TEMPORAL_ADDRESS is set)
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildWorkerBinary } from "../src/worker/single-binary/build.js";
import { stopTestServer, testEnv } from "../tests/helpers/dev-server.js";

const N = Number(process.argv[2] ?? 7);
const repo = path.resolve(import.meta.dir, "..");
const fixtures = path.join(repo, "tests", "package", "fixtures", "single-binary");
const workflowsPath = path.join(fixtures, "workflows.ts");
const activitiesPath = path.join(fixtures, "activities.ts");
const cli = path.join(repo, "bin", "temporal-bun-worker.ts");

const env = await testEnv();
const work = mkdtempSync(path.join(tmpdir(), "bench-single-binary-"));
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Start {
  ms: number;
  rssKb: number;
}

/** Spawns a worker, times spawn → ready line, reads its RSS, optionally runs one workflow, then SIGTERM (exit 0 expected). */
async function startToReady(cmd: string[], extraEnv: Record<string, string>, runWorkflow = false): Promise<Start> {
  const taskQueue = `bench-single-binary-${crypto.randomUUID()}`;
  const t0 = performance.now();
  const p = Bun.spawn([...cmd, "--task-queue", taskQueue], {
    env: { TEMPORAL_ADDRESS: env.address, ...extraEnv },
    stdout: "pipe",
    stderr: "pipe",
  });
  // Drained, so a chatty worker never blocks on a full pipe; shown if it fails.
  const stderr = new Response(p.stderr).text();
  try {
    const reader = p.stdout.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("ready:")) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`${cmd.join(" ")} exited before its ready line (code ${await p.exited}); stdout: ${text}; stderr: ${await stderr}`);
      text += decoder.decode(chunk.value, { stream: true });
    }
    const ms = performance.now() - t0;
    reader.releaseLock();
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"))?.[1] ?? 0);
    if (runWorkflow) {
      const result = await env.client.workflow.execute("greetFromBinary", { taskQueue, workflowId: `bench-${crypto.randomUUID()}`, args: ["bench"] });
      if (typeof result !== "string" || !result.startsWith("Hello, bench!")) throw new Error(`unexpected workflow result ${JSON.stringify(result)}`);
    }
    p.kill("SIGTERM");
    const code = await p.exited;
    if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code} after SIGTERM; stderr: ${await stderr}`);
    return { ms, rssKb };
  } finally {
    p.kill("SIGKILL");
    await p.exited;
  }
}

try {
  const binary = path.join(work, "my-worker");
  const built = await buildWorkerBinary({ workflowsPath, activitiesPath, outfile: binary });
  const bunSize = statSync(process.execPath).size;
  console.log(
    `executable: ${mb(built.bytes)} (Bun runtime ${mb(bunSize)}, bridge library ${mb(built.libraryBytes)} gzipped to ${mb(built.libraryCompressedBytes)}, ` +
      `workflow bundle ${(built.bundleBytes / 1e3).toFixed(0)} KB, rest ${mb(built.bytes - bunSize - built.libraryCompressedBytes - built.bundleBytes)}); built in ${(built.buildTimeMs / 1000).toFixed(1)} s`,
  );
  console.log(`library: ${built.libraryPath}`);

  // The executable gets no bun on PATH and its own HOME, as on a machine without Bun.
  const home = mkdtempSync(path.join(work, "home-"));
  const binEnv = { PATH: "/usr/bin:/bin", HOME: home };
  const cliEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const first = await startToReady([binary], binEnv, true);
  console.log(`compiled, first start (writes the library to ${home}/.cache): ${first.ms.toFixed(0)} ms to ready, RSS ${(first.rssKb / 1024).toFixed(0)} MB; workflow ok`);
  await startToReady([process.execPath, cli, "--workflows", workflowsPath, "--activities", activitiesPath], cliEnv, true);

  const compiled: Start[] = [];
  const viaBun: Start[] = [];
  for (let i = 0; i < N; i++) {
    compiled.push(await startToReady([binary], binEnv));
    viaBun.push(await startToReady([process.execPath, cli, "--workflows", workflowsPath, "--activities", activitiesPath], cliEnv));
  }
  const line = (name: string, xs: Start[]) =>
    `${name}: start-to-ready median ${median(xs.map((x) => x.ms)).toFixed(0)} ms (${Math.min(...xs.map((x) => x.ms)).toFixed(0)}–${Math.max(...xs.map((x) => x.ms)).toFixed(0)}), ` +
    `RSS at ready ${(median(xs.map((x) => x.rssKb)) / 1024).toFixed(0)} MB`;
  console.log(line(`compiled (${N} starts)`, compiled));
  console.log(line(`bun bin/temporal-bun-worker.ts (${N} starts)`, viaBun));
  const ratio = median(compiled.map((x) => x.ms)) / median(viaBun.map((x) => x.ms));
  console.log(`ratio compiled / bun: start-to-ready ${ratio.toFixed(2)}×, RSS ${(median(compiled.map((x) => x.rssKb)) / median(viaBun.map((x) => x.rssKb))).toFixed(2)}×`);
} finally {
  rmSync(work, { recursive: true, force: true });
  await stopTestServer();
}
process.exit(0);
