/**
 * Peer benchmark: temporal-bun-sdk on Bun against the official Temporal TypeScript SDK on Node,
 * in the same run, on the same dev server, with the same workflow/activity code and scenario.
 *
 * - The official SDK (@temporalio/{worker,client,workflow,activity} pinned to 1.24.0, the core
 *   version this project builds) comes from the npm registry, installed by this script into
 *   `<cache>/peer-node-sdk-1.24.0/` (cache = TEMPORAL_BUN_SDK_CACHE or ~/.cache/temporal-bun-sdk),
 *   outside the repository; skipped when already there.
 * - One dev server (src/testing TestWorkflowEnvironment.createLocal, or TEMPORAL_ADDRESS). For
 *   each SDK in turn — bun, node, bun, node — one worker subprocess (bench/peer/bun-worker.ts or
 *   bench/peer/node-worker.mjs) on its own task queue:
 *     startup   spawn → its "PEER_READY" line (includes bundling the workflow code and worker
 *               validation against the server);
 *     idle      worker CPU over 5 s with no work, measured from 2 s after ready;
 *     warm-up   one workflow (not measured);
 *     run       N `hello` workflows (one activity each) started at once through this process's
 *               client (temporal-bun-sdk's, the same for both): wall time, workflows/s, latency
 *               p50/p99 (start RPC → result), worker CPU time during the run;
 *     memory    worker peak RSS (VmHWM, whole life) and RSS right after the run (VmRSS).
 *   CPU and memory are read from /proc/<pid>/{stat,status} of the worker process (all threads).
 * - Both workers get the same worker options (the official SDK's defaults made explicit, with a
 *   fixed cache size) unless `--own-defaults`, which leaves each SDK on its own defaults.
 * - `--prebundled`: each SDK bundles its workflow code once, in a separate process before the
 *   rounds (bundleWorkflowCode), and the workers load that bundle (`workflowBundle`) instead of
 *   bundling at Worker.create, as production deployments of the official SDK often do: startup
 *   and memory then leave out bundling (webpack stays loaded in the official worker's process
 *   anyway: @temporalio/worker imports it).
 *
 * `--updates` runs the update scenario instead: in each worker round, one `entity` workflow per
 * client (bench/peer/workflows-*.ts: an update handler `add` returning the new total) gets
 *     warm-up   50 updates (not measured);
 *     sequential N updates one after the other (default N = 500): round trip p50/p99
 *               (executeUpdate call → result), updates/s;
 *     burst     10 updates to each of 10 other entities, all 100 sent at once: wall time, round
 *               trip p50/p99 (10 per workflow: the dev server's default limit of in-flight updates
 *               per workflow is 10; above it the server answers RESOURCE_EXHAUSTED and the
 *               clients' RPC retries, not the SDKs, set the pace);
 *   from two clients in turn: temporal-bun-sdk's (in this process) and the official
 *   @temporalio/client on Node (bench/peer/node-update-driver.mjs, a subprocess). So each round
 *   gives ours and the official client against one worker, and the four pairs are compared: the
 *   workers with the same client, and all ours (Bun client → Bun worker) against all official.
 *
 * `--heavy` runs the heavier scenario instead of `hello`, with the same rounds and figures: per
 * workflow, `heavy` (bench/peer/workflows-*.ts: ten sequential activities, a 100 ms timer, two
 * signals and a query) is started, signalled twice (`approve`, `finish`), queried once
 * (`progress`) and awaited; latency is start RPC → result, all four calls included.
 *
 * The dev server is started with `frontend.namespaceCount` raised from its default 1200: every
 * workflow's result is a long poll, and N ≥ 1200 of them at once otherwise fail with
 * RESOURCE_EXHAUSTED ("namespace concurrent poller limit exceeded").
 *
 * Usage: bun bench/peer.ts [workflows=200] [--own-defaults] [--prebundled] [--updates | --heavy]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { OFFICIAL_VERSION, ensureOfficialSdk, officialSdkDir } from "../tools/official-sdk.js";

const args = process.argv.slice(2);
const ownDefaults = args.includes("--own-defaults");
const prebundled = args.includes("--prebundled");
const updates = args.includes("--updates");
const heavy = args.includes("--heavy");
const N = Number(args.find((a) => !a.startsWith("--")) ?? (updates ? 500 : 200));
if (!Number.isInteger(N) || N < 1) throw new Error(`workflows must be a positive integer, got ${args[0]}`);

const IDLE_MS = 5000;
const SETTLE_MS = 2000;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s on x86_64
const here = new URL("./peer/", import.meta.url).pathname;

// The official SDK, from npm, into the cache (tools/official-sdk.ts).
const sdkDir = officialSdkDir;

// ---------------------------------------------------------------- --prebundled
const bundles: Partial<Record<"bun" | "node", string>> = {};
async function prebundle(sdk: "bun" | "node"): Promise<void> {
  const dir = join(tmpdir(), `temporal-bun-sdk-peer-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${sdk}-bundle.${sdk === "bun" ? "json" : "js"}`);
  const [cmd, script] = sdk === "bun" ? [process.execPath, join(here, "bun-worker.ts")] : ["node", join(here, "node-worker.mjs")];
  const t = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const p = spawn(cmd, [script, "--bundle-to", out], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, PEER_NODE_SDK_DIR: sdkDir } });
    p.on("error", reject);
    p.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`${sdk}: bundling the workflow code failed (exit ${code})`);
  console.log(`  prebundled ${sdk} workflow code in a separate process: ${(performance.now() - t).toFixed(0)} ms (process start included) → ${out}`);
  bundles[sdk] = out;
}

// ---------------------------------------------------------------- /proc readings
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 utime, 15 stime
}
/** Machine-wide busy and total CPU time (all cores) from /proc/stat, in seconds. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = f[3]! + f[4]!; // idle + iowait
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}
/** The dev server process: the `temporal` child core spawned from this process (undefined with TEMPORAL_ADDRESS). */
function serverPid(): number | undefined {
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && comm.startsWith("temporal")) return Number(d);
    } catch {}
  }
  return undefined;
}
function memKb(pid: number): { hwm: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { hwm: kb("VmHWM"), rss: kb("VmRSS") };
}

// ---------------------------------------------------------------- one measured round
type Sdk = "bun" | "node";
interface Round {
  sdk: Sdk;
  startupMs: number;
  idleCpuMs: number;
  wallS: number;
  wfPerS: number;
  p50: number;
  p99: number;
  runCpuS: number;
  peakRssMb: number;
  rssAfterMb: number;
  /** Context, not compared: CPU seconds during the run of the dev server, of this driver (the client), and machine busy %. */
  serverCpuS: number;
  driverCpuS: number;
  machineBusyPct: number;
  /** --heavy: queries retried after a server-side timeout during the run. */
  queryRetries: number;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Identical worker options for both (the official SDK's defaults made explicit; fixed cache size). */
function workerOptions(sdk: Sdk): Record<string, unknown> {
  if (ownDefaults) return {};
  const same = { maxCachedWorkflows: 1000, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100, stickyQueueScheduleToStartTimeout: "10s" };
  // The official SDK polls with at most 10 workflow and 10 activity pollers by default; ours names it this way.
  return sdk === "bun" ? { ...same, maxConcurrentWorkflowTaskPolls: 10, maxConcurrentActivityTaskPolls: 10 } : same;
}

/**
 * One worker subprocess of `sdk` on a fresh task queue: `body` runs once it printed PEER_READY
 * (startupMs: spawn → ready); the worker is stopped (SIGTERM, SIGKILL after 15 s) on every path.
 */
async function withWorker<R>(
  env: TestWorkflowEnvironment,
  sdk: Sdk,
  index: number,
  body: (w: { pid: number; taskQueue: string; startupMs: number }) => Promise<R>,
): Promise<R> {
  const taskQueue = `peer-${sdk}-${index}-${crypto.randomUUID()}`;
  const [cmd, script] = sdk === "bun" ? [process.execPath, join(here, "bun-worker.ts")] : ["node", join(here, "node-worker.mjs")];
  const t0 = performance.now();
  const child: ChildProcess = spawn(cmd, [script], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PEER_ADDRESS: env.address, PEER_TASK_QUEUE: taskQueue, PEER_NODE_SDK_DIR: sdkDir, PEER_OPTIONS: JSON.stringify(workerOptions(sdk)), ...(bundles[sdk] ? { PEER_BUNDLE: bundles[sdk] } : {}) },
  });
  const pid = child.pid!;
  const stderr: string[] = [];
  child.stderr!.on("data", (d) => stderr.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  try {
    await new Promise<void>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.on("line", (line) => (line.trim() === "PEER_READY" ? resolve() : process.stdout.write(`  [${sdk}] ${line}\n`)));
      exited.then((code) => reject(new Error(`${sdk} worker exited (${code}) before ready:\n${stderr.join("")}`)));
    });
    return await body({ pid, taskQueue, startupMs: performance.now() - t0 });
  } finally {
    child.kill("SIGTERM");
    const code = await Promise.race([exited, sleep(15_000).then(() => "timeout" as const)]);
    if (code === "timeout") {
      console.log(`  [${sdk}] did not exit 15 s after SIGTERM; killing it`);
      child.kill("SIGKILL");
      await exited;
    } else if (code !== 0) {
      console.log(`  [${sdk}] exit code ${code} after SIGTERM${stderr.length ? `; stderr:\n${stderr.join("")}` : ""}`);
    }
  }
}

/** Queries of the heavy scenario retried after a timeout, in the current round. */
let queryRetries = 0;

/**
 * One workflow of the scenario, start RPC → result, checked. Its RPCs get the run's deadline
 * instead of the client's default per-RPC timeout: with N workflows at once on a loaded
 * machine, a start or a query (which waits behind every task queued before it) can take longer.
 */
function oneWorkflow(env: TestWorkflowEnvironment, sdk: Sdk, taskQueue: string, i: number): Promise<void> {
  return env.client.withDeadline(Date.now() + 600_000, () => oneWorkflowNow(env, sdk, taskQueue, i));
}
async function oneWorkflowNow(env: TestWorkflowEnvironment, sdk: Sdk, taskQueue: string, i: number): Promise<void> {
  const options = { taskQueue, workflowId: `${taskQueue}-${i}`, args: [`w${i}`], workflowExecutionTimeout: "600s" };
  if (!heavy) {
    const result = await (await env.client.workflow.start("hello", options)).result();
    if (result !== `Hello, w${i}!`) throw new Error(`${sdk}: unexpected result ${JSON.stringify(result)}`);
    return;
  }
  const h = await env.client.workflow.start("heavy", options);
  await h.signal("approve", `a${i}`);
  await h.signal("finish");
  // On a saturated server a query can time out server-side ("query timed out before a worker
  // could process it", DEADLINE_EXCEEDED) while it waits behind queued tasks: retried, and counted.
  let done: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      done = await h.query("progress");
      break;
    } catch (err) {
      if (attempt >= 5 || !/timed out|timeout/i.test(String((err as Error)?.message))) throw err;
      queryRetries++;
    }
  }
  if (typeof done !== "number" || done < 0 || done > 10) throw new Error(`${sdk}: unexpected progress ${JSON.stringify(done)}`);
  const result = await h.result();
  if (result !== `10 steps of w${i}, approved by a${i}`) throw new Error(`${sdk}: unexpected result ${JSON.stringify(result)}`);
}

async function round(env: TestWorkflowEnvironment, sdk: Sdk, index: number): Promise<Round> {
  return withWorker(env, sdk, index, async ({ pid, taskQueue, startupMs }) => {
    await sleep(SETTLE_MS); // let post-startup work (GC after bundling, JIT) finish: idle means steady idle
    const idle0 = cpuSeconds(pid);
    await sleep(IDLE_MS);
    const idleCpuMs = (cpuSeconds(pid) - idle0) * 1000;

    await oneWorkflow(env, sdk, taskQueue, -1); // warm-up

    const cpu0 = cpuSeconds(pid);
    const srv0 = srv === undefined ? NaN : cpuSeconds(srv);
    const drv0 = process.cpuUsage();
    const mach0 = machineCpu();
    const lat: number[] = [];
    queryRetries = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const s = performance.now();
        await oneWorkflow(env, sdk, taskQueue, i);
        lat.push(performance.now() - s);
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    const runCpuS = cpuSeconds(pid) - cpu0;
    const drv = process.cpuUsage(drv0);
    const mach1 = machineCpu();
    const mem = memKb(pid);
    return {
      sdk,
      startupMs,
      idleCpuMs,
      wallS,
      wfPerS: N / wallS,
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      runCpuS,
      peakRssMb: mem.hwm / 1024,
      rssAfterMb: mem.rss / 1024,
      serverCpuS: srv === undefined ? NaN : cpuSeconds(srv) - srv0,
      driverCpuS: (drv.user + drv.system) / 1e6,
      machineBusyPct: (100 * (mach1.busy - mach0.busy)) / (mach1.total - mach0.total),
      queryRetries,
    };
  });
}

// ---------------------------------------------------------------- --updates
type Driver = "ours" | "official";
interface UpdateRun {
  seq: number[];
  burst: number[];
  burstWallMs: number;
}
interface UpdateRound {
  worker: Sdk;
  client: Driver;
  seqP50: number;
  seqP99: number;
  seqPerS: number;
  burstP50: number;
  burstP99: number;
  burstWallMs: number;
  /** Worker CPU seconds over the client's whole scenario (warm-up included), and machine busy %. */
  workerCpuS: number;
  machineBusyPct: number;
}
const UPDATE_WARMUP = 50;
const UPDATE_BURST_WORKFLOWS = 10;
const UPDATE_BURST_PER_WORKFLOW = 10;
const UPDATE_BURST = UPDATE_BURST_WORKFLOWS * UPDATE_BURST_PER_WORKFLOW;

/** The scenario with temporal-bun-sdk's client, in this process (the same steps as node-update-driver.mjs). */
async function ourUpdates(env: TestWorkflowEnvironment, workflowId: string, burstIds: string[]): Promise<UpdateRun> {
  const h = env.client.workflow.getHandle(workflowId);
  for (let i = 0; i < UPDATE_WARMUP; i++) await h.executeUpdate("add", { args: [1] });
  const seq: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await h.executeUpdate("add", { args: [1] });
    seq.push(performance.now() - s);
  }
  const burst: number[] = [];
  const started = performance.now();
  await Promise.all(
    burstIds.flatMap((id) =>
      Array.from({ length: UPDATE_BURST_PER_WORKFLOW }, async () => {
        const s = performance.now();
        await env.client.workflow.getHandle(id).executeUpdate("add", { args: [1] });
        burst.push(performance.now() - s);
      }),
    ),
  );
  return { seq, burst, burstWallMs: performance.now() - started };
}

/** The scenario with the official client on Node (bench/peer/node-update-driver.mjs). */
async function officialUpdates(env: TestWorkflowEnvironment, workflowId: string, burstIds: string[]): Promise<UpdateRun> {
  const child = spawn("node", [join(here, "node-update-driver.mjs")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PEER_NODE_SDK_DIR: sdkDir,
      PEER_ADDRESS: env.address,
      PEER_WORKFLOW_ID: workflowId,
      PEER_WARMUP: String(UPDATE_WARMUP),
      PEER_SEQUENTIAL: String(N),
      PEER_BURST_WORKFLOW_IDS: burstIds.join(","),
      PEER_BURST_PER_WORKFLOW: String(UPDATE_BURST_PER_WORKFLOW),
    },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c, signal) => resolve(c ?? (signal ? -1 : null)));
  });
  if (code !== 0) throw new Error(`official update driver exited with ${code}:\n${err}`);
  return JSON.parse(out.trim().split("\n").pop()!) as UpdateRun;
}

async function updateRound(env: TestWorkflowEnvironment, sdk: Sdk, index: number): Promise<UpdateRound[]> {
  return withWorker(env, sdk, index, async ({ pid, taskQueue }) => {
    const results: UpdateRound[] = [];
    // Alternate which client goes first from one round of a worker to the next.
    const clients: Driver[] = index < 2 ? ["ours", "official"] : ["official", "ours"];
    for (const client of clients) {
      const workflowId = `${taskQueue}-entity-${client}`;
      const burstIds = Array.from({ length: UPDATE_BURST_WORKFLOWS }, (_, k) => `${workflowId}-burst-${k}`);
      const start = (id: string) => env.client.workflow.start("entity", { taskQueue, workflowId: id, workflowExecutionTimeout: "600s" });
      const h = await start(workflowId);
      const burstHandles = await Promise.all(burstIds.map(start));
      const cpu0 = cpuSeconds(pid);
      const mach0 = machineCpu();
      const run = client === "ours" ? await ourUpdates(env, workflowId, burstIds) : await officialUpdates(env, workflowId, burstIds);
      const workerCpuS = cpuSeconds(pid) - cpu0;
      const mach1 = machineCpu();
      // Each entity counted exactly the updates it was sent.
      for (const [handle, expected] of [[h, UPDATE_WARMUP + N], ...burstHandles.map((b) => [b, UPDATE_BURST_PER_WORKFLOW] as const)] as const) {
        await handle.signal("stop");
        const total = await handle.result();
        if (total !== expected) throw new Error(`${client} client → ${sdk} worker: ${handle.workflowId} counted ${JSON.stringify(total)} updates, expected ${expected}`);
      }
      const seqS = run.seq.reduce((a, b) => a + b, 0) / 1000;
      results.push({
        worker: sdk,
        client,
        seqP50: pct(run.seq, 50),
        seqP99: pct(run.seq, 99),
        seqPerS: N / seqS,
        burstP50: pct(run.burst, 50),
        burstP99: pct(run.burst, 99),
        burstWallMs: run.burstWallMs,
        workerCpuS,
        machineBusyPct: (100 * (mach1.busy - mach0.busy)) / (mach1.total - mach0.total),
      });
    }
    return results;
  });
}

async function runUpdateScenario(env: TestWorkflowEnvironment): Promise<void> {
  const rounds: UpdateRound[] = [];
  const t0 = performance.now();
  for (const [i, sdk] of (["bun", "node", "bun", "node"] as Sdk[]).entries()) {
    for (const r of await updateRound(env, sdk, i)) {
      rounds.push(r);
      console.log(
        `  round ${i + 1} ${r.client.padEnd(8)} client → ${sdk.padEnd(4)} worker: sequential p50 ${r.seqP50.toFixed(2)} ms, p99 ${r.seqP99.toFixed(2)} ms, ` +
          `${r.seqPerS.toFixed(0)} updates/s; burst of ${UPDATE_BURST} (${UPDATE_BURST_WORKFLOWS}×${UPDATE_BURST_PER_WORKFLOW}): ${r.burstWallMs.toFixed(0)} ms, p50 ${r.burstP50.toFixed(1)} ms, p99 ${r.burstP99.toFixed(1)} ms; ` +
          `worker CPU ${r.workerCpuS.toFixed(2)} s; machine ${r.machineBusyPct.toFixed(0)}% busy`,
      );
    }
  }
  type M = { name: string; key: keyof Omit<UpdateRound, "worker" | "client" | "machineBusyPct">; unit: string; higherIsBetter?: boolean; digits: number };
  const metrics: M[] = [
    { name: "sequential round trip p50", key: "seqP50", unit: "ms", digits: 2 },
    { name: "sequential round trip p99", key: "seqP99", unit: "ms", digits: 2 },
    { name: "sequential updates/s", key: "seqPerS", unit: "1/s", higherIsBetter: true, digits: 0 },
    { name: `burst of ${UPDATE_BURST}: wall time`, key: "burstWallMs", unit: "ms", digits: 0 },
    { name: `burst of ${UPDATE_BURST}: round trip p50`, key: "burstP50", unit: "ms", digits: 1 },
    { name: `burst of ${UPDATE_BURST}: round trip p99`, key: "burstP99", unit: "ms", digits: 1 },
    { name: "worker CPU (whole scenario)", key: "workerCpuS", unit: "s", digits: 2 },
  ];
  const best = (client: Driver, worker: Sdk, m: M) => {
    const xs = rounds.filter((r) => r.client === client && r.worker === worker).map((r) => r[m.key]);
    return m.higherIsBetter ? Math.max(...xs) : Math.min(...xs);
  };
  const ratio = (a: number, b: number) => (a === 0 || b === 0 ? "n/a" : (a / b).toFixed(2));
  const rows = metrics.map((m) => {
    const [ob, on, fb, fn] = [best("ours", "bun", m), best("ours", "node", m), best("official", "bun", m), best("official", "node", m)];
    return [`${m.name} (${m.unit})`, ob.toFixed(m.digits), on.toFixed(m.digits), fb.toFixed(m.digits), fn.toFixed(m.digits), ratio(ob, on), ratio(fb, fn), ratio(ob, fn)];
  });
  const header = ["metric", "ours→bun", "ours→node", "official→bun", "official→node", "bun/node worker (our client)", "bun/node worker (official client)", "all ours/all official"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  console.log(
    `\nupdates, best of 2 rounds per client→worker pair (N=${N} sequential + burst of ${UPDATE_BURST}; total ${((performance.now() - t0) / 1000).toFixed(0)} s; ` +
      `client→worker: ours = temporal-bun-sdk on Bun, official/node = @temporalio/* ${OFFICIAL_VERSION} on Node):`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

// ---------------------------------------------------------------- main
await ensureOfficialSdk();
const nodeVersion = await new Promise<string>((resolve) => {
  const p = spawn("node", ["--version"]);
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.on("exit", () => resolve(out.trim()));
});

const external = process.env.TEMPORAL_ADDRESS;
const env = external
  ? await TestWorkflowEnvironment.createFromExistingServer({ address: external })
  : await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error", extraArgs: ["--dynamic-config-value", "frontend.namespaceCount=100000"] } });
console.log(
  `peer benchmark: ${updates ? `updates: ${N} sequential and a burst of ${UPDATE_BURST} per client and round` : heavy ? `${N} heavy workflows (10 activities, a timer, 2 signals, a query each) per round` : `${N} hello workflows (1 activity each) per round`}; temporal-bun-sdk on Bun ${Bun.version} vs official @temporalio/* ${OFFICIAL_VERSION} on Node ${nodeVersion}; ` +
    `server ${env.address}; worker options: ${ownDefaults ? "each SDK's own defaults" : "identical (see workerOptions)"}; workflow code ${prebundled ? "prebundled" : "bundled at Worker.create"}`,
);
if (prebundled) {
  await prebundle("bun");
  await prebundle("node");
}

if (updates) {
  try {
    await runUpdateScenario(env);
  } finally {
    await env.teardown();
  }
  process.exit(0);
}

const srv = serverPid();
const rounds: Round[] = [];
const t0 = performance.now();
try {
  for (const [i, sdk] of (["bun", "node", "bun", "node"] as Sdk[]).entries()) {
    const r = await round(env, sdk, i);
    rounds.push(r);
    console.log(
      `  round ${i + 1} ${sdk.padEnd(4)}: startup ${r.startupMs.toFixed(0)} ms, idle CPU ${r.idleCpuMs.toFixed(0)} ms/5 s, ${r.wfPerS.toFixed(1)} wf/s (${r.wallS.toFixed(2)} s), ` +
        `p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, run CPU ${r.runCpuS.toFixed(2)} s, peak RSS ${r.peakRssMb.toFixed(1)} MB, RSS after ${r.rssAfterMb.toFixed(1)} MB; ` +
        `during the run: dev server CPU ${r.serverCpuS.toFixed(2)} s, driver (client) CPU ${r.driverCpuS.toFixed(2)} s, machine ${r.machineBusyPct.toFixed(0)}% busy` +
        (heavy ? `; queries retried after a timeout: ${r.queryRetries}` : ""),
    );
  }
} finally {
  await env.teardown();
}

// Better of the two rounds per metric (higher throughput, lower everything else).
type Metric = { name: string; key: keyof Omit<Round, "sdk" | "serverCpuS" | "driverCpuS" | "machineBusyPct" | "queryRetries">; unit: string; higherIsBetter?: boolean; digits: number };
const metrics: Metric[] = [
  { name: "throughput", key: "wfPerS", unit: "wf/s", higherIsBetter: true, digits: 1 },
  { name: "wall time", key: "wallS", unit: "s", digits: 2 },
  { name: "latency p50", key: "p50", unit: "ms", digits: 0 },
  { name: "latency p99", key: "p99", unit: "ms", digits: 0 },
  { name: "worker CPU for the run", key: "runCpuS", unit: "s", digits: 2 },
  { name: "worker peak RSS", key: "peakRssMb", unit: "MB", digits: 1 },
  { name: "worker RSS after the run", key: "rssAfterMb", unit: "MB", digits: 1 },
  { name: "worker startup (to ready)", key: "startupMs", unit: "ms", digits: 0 },
  { name: "worker idle CPU per 5 s", key: "idleCpuMs", unit: "ms", digits: 0 },
];
const best = (sdk: Sdk, m: Metric) => {
  const xs = rounds.filter((r) => r.sdk === sdk).map((r) => r[m.key] as number);
  return m.higherIsBetter ? Math.max(...xs) : Math.min(...xs);
};
const both = (sdk: Sdk, m: Metric) =>
  rounds
    .filter((r) => r.sdk === sdk)
    .map((r) => (r[m.key] as number).toFixed(m.digits))
    .join(" / ");
const rows = metrics.map((m) => {
  const b = best("bun", m);
  const o = best("node", m);
  return [`${m.name} (${m.unit})`, b.toFixed(m.digits), o.toFixed(m.digits), b === 0 || o === 0 ? "n/a" : (b / o).toFixed(2), both("bun", m), both("node", m)];
});
const header = ["metric", "bun (ours)", "node (official)", "ours/official", "bun rounds", "node rounds"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
console.log(`\nbest of 2 rounds per SDK (N=${N}; total ${((performance.now() - t0) / 1000).toFixed(0)} s; CPU times in 10 ms ticks, n/a = ratio with a zero):`);
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`);
for (const r of rows) console.log(line(r));
process.exit(0);
