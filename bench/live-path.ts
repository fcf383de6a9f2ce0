/**
 * Where the live path waits (docs/benchmarks.md, "The live-path stall"): bench/peer.ts's `hello`
 * scenario — our worker (Bun) and the official one (Node), rounds bun, node, bun, node on one dev
 * server — with what peer.ts does not show:
 *   - the server's work per workflow, from its Prometheus endpoint: RPCs by operation
 *     (service_requests) and persistence operations (persistence_requests);
 *   - how busy the server's persistence was: the sum of persistence latencies over the run's wall
 *     time. The dev server keeps its SQLite database on one connection (the sqlite plugin sets
 *     SetMaxOpenConns(1)), so every persistence operation is serialized: ≥ 1 means that one
 *     connection was never idle and the excess is operations queued behind it;
 *   - worker CPU per thread group (the JS thread, core's tokio threads, JIT, GC…) from
 *     /proc/<pid>/task, for both workers;
 *   - our worker's live-path counters (TEMPORAL_BUN_SDK_LIVE_STATS=1, src/worker/live-stats.ts).
 * Both workers get bench/peer.ts's identical options (the official defaults made explicit).
 *
 * Usage: bun bench/live-path.ts [N=300] [--eager] [--compare-defaults]
 *   --eager  the dev server enables eager activity execution (system.enableActivityEagerExecution,
 *            off by default in the dev server, on in Temporal Cloud): the activity comes back in
 *            the workflow task completion's response for workers that reserve slots for it.
 *   --compare-defaults  our worker only, on its defaults (cache 1000): rounds "old" (the defaults
 *            before issue 17 on 2 cores: 20 workflow slots, 4 + 4 pollers, no eager reservations)
 *            and "new" (today's: the official 40 slots, 10 + 10 pollers, 3 eager reservations),
 *            alternating old, new, old, new.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { ensureOfficialSdk, officialSdkDir } from "../tools/official-sdk.js";

const args = process.argv.slice(2);
const N = Number(args.find((a) => !a.startsWith("--")) ?? 300);
if (!Number.isInteger(N) || N < 1) throw new Error(`workflows must be a positive integer, got ${args[0]}`);
const eager = args.includes("--eager");
const compareDefaults = args.includes("--compare-defaults");
const OLD_DEFAULTS = { maxConcurrentWorkflowTaskExecutions: 20, maxConcurrentWorkflowTaskPolls: 4, maxConcurrentActivityTaskPolls: 4, maxEagerActivityReservationsPerWorkflowTask: 0 };
const here = new URL("./peer/", import.meta.url).pathname;
const CLK_TCK = 100;
const METRICS_SETTLE_MS = 2500;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}
/** CPU seconds per thread group of a process (thread names without their numeric suffix; the main thread as "main"). */
function threadCpu(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = tid === String(pid) ? "main" : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/[-_ ]?\d+$/, "");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / CLK_TCK;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
function serverPid(): number | undefined {
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid && comm.startsWith("temporal")) return Number(d);
    } catch {}
  }
  return undefined;
}
/** Server counters: `rpc <operation>`, `db <operation>` (summed over services) and `dbSeconds` (sum of persistence latencies). */
async function serverCounters(metricsPort: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const m = new Map<string, number>();
  const add = (k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const line of text.split("\n")) {
    const lat = /^persistence_latency_sum\{.*\} (\S+)$/.exec(line);
    if (lat) add("dbSeconds", Number(lat[1]));
    const r = /^(service_requests|persistence_requests)\{(.*)\} (\S+)$/.exec(line);
    const op = r && /operation="([^"]+)"/.exec(r[2]!)?.[1];
    if (r && op) add(`${r[1] === "service_requests" ? "rpc" : "db"} ${op}`, Number(r[3]));
  }
  return m;
}

await ensureOfficialSdk();
const metricsPort = await freePort();
const extraArgs = ["--metrics-port", String(metricsPort), ...(eager ? ["--dynamic-config-value", "system.enableActivityEagerExecution=true"] : [])];
const env = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error", extraArgs } });
const srv = serverPid();
const options = { maxCachedWorkflows: 1000, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100, stickyQueueScheduleToStartTimeout: "10s" };
console.log(`live-path benchmark: ${N} hello workflows per round, rounds bun, node, bun, node on one dev server (${env.address}); eager activity execution ${eager ? "on" : "off"} on the server`);
try {
  const rounds = compareDefaults ? (["bun:old", "bun:new", "bun:old", "bun:new"] as const) : (["bun", "node", "bun", "node"] as const);
  for (const [i, label] of rounds.entries()) {
    const [sdk, variant] = label.split(":") as ["bun" | "node", "old" | "new" | undefined];
    const taskQueue = `live-${sdk}-${i}-${crypto.randomUUID()}`;
    const [cmd, script] = sdk === "bun" ? [process.execPath, join(here, "bun-worker.ts")] : ["node", join(here, "node-worker.mjs")];
    const opts =
      variant === "old" ? { maxCachedWorkflows: 1000, ...OLD_DEFAULTS } : variant === "new" ? { maxCachedWorkflows: 1000 } : sdk === "bun" ? { ...options, maxConcurrentWorkflowTaskPolls: 10, maxConcurrentActivityTaskPolls: 10 } : options;
    const child = spawn(cmd, [script], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, TEMPORAL_BUN_SDK_LIVE_STATS: "1", PEER_ADDRESS: env.address, PEER_TASK_QUEUE: taskQueue, PEER_NODE_SDK_DIR: officialSdkDir, PEER_OPTIONS: JSON.stringify(opts) },
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on("line", (line) => (line.trim() === "PEER_READY" ? resolve() : console.log(`  [${sdk}] ${line}`)));
        exited.then(() => reject(new Error(`${sdk} worker exited before ready`)));
      });
      const run = (k: number) => env.client.workflow.start("hello", { taskQueue, workflowId: `${taskQueue}-${k}`, args: [`w${k}`], workflowExecutionTimeout: "600s" });
      await (await run(-1)).result();
      // The server's metrics reach its endpoint on a reporting interval (≈ 1 s): settle first.
      await Bun.sleep(METRICS_SETTLE_MS);
      const m0 = await serverCounters(metricsPort);
      const [cpu0, th0, srv0] = [cpuSeconds(child.pid!), threadCpu(child.pid!), srv ? cpuSeconds(srv) : NaN];
      const lat: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: N }, async (_, k) => {
          const s = performance.now();
          const r = await (await run(k)).result();
          if (r !== `Hello, w${k}!`) throw new Error(`${sdk}: unexpected result ${JSON.stringify(r)}`);
          lat.push(performance.now() - s);
        }),
      );
      const wall = (performance.now() - t0) / 1000;
      const [cpu1, th1, srv1] = [cpuSeconds(child.pid!), threadCpu(child.pid!), srv ? cpuSeconds(srv) : NaN];
      await Bun.sleep(METRICS_SETTLE_MS);
      const m1 = await serverCounters(metricsPort);
      lat.sort((a, b) => a - b);
      const d = (k: string) => (m1.get(k) ?? 0) - (m0.get(k) ?? 0);
      const threads = Object.entries(th1)
        .map(([k, v]) => [k, v - (th0[k] ?? 0)] as const)
        .filter(([, v]) => v > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(", ");
      console.log(
        `round ${i + 1} ${label}: ${(N / wall).toFixed(1)} wf/s (${wall.toFixed(2)} s), p50 ${lat[Math.floor(N / 2)]!.toFixed(0)} ms, p99 ${lat[Math.min(N - 1, Math.floor(N * 0.99))]!.toFixed(0)} ms; ` +
          `worker CPU ${(cpu1 - cpu0).toFixed(2)} s (${threads}); server CPU ${(srv1 - srv0).toFixed(2)} s; ` +
          `server persistence busy ${(d("dbSeconds") / wall).toFixed(2)} (sum of persistence latencies / wall; its one SQLite connection is saturated at ≥ 1)`,
      );
      const perWf = [...m1.keys()]
        .filter((k) => k !== "dbSeconds" && d(k) / N >= 0.05)
        .sort()
        .map((k) => `${k.replace(" ", ":")}=${(d(k) / N).toFixed(2)}`);
      console.log(`  server per workflow: ${perWf.join(" ")}`);
    } finally {
      child.kill("SIGTERM");
      await Promise.race([exited, Bun.sleep(15_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    }
  }
} finally {
  await env.teardown();
}
process.exit(0);
