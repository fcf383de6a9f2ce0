/**
 * Horizontal scale on one machine: 1, 2 and 4 worker processes (bench/soak/worker.ts, bench/peer's
 * workflows, the same options each) polling one task queue of one dev server; N `hello`
 * workflows (default 1000) started at once per configuration. Configurations run twice, in the
 * order 1, 2, 4, 1, 2, 4, each on a fresh task queue with fresh workers.
 *
 * Per configuration: throughput (wf/s), latency p50/p99, and where the CPU went during the
 * run, as % of one core over the wall time: the dev server, all workers together, this driver
 * (the client), and the whole machine (% of all cores busy). When the server's share stops
 * growing and the machine is busy, adding workers cannot help: the server is the limit.
 *
 * Usage: bun bench/scale.ts [workflows=1000] [--workers 1,2,4]
 */
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { cpuSeconds, loadavg, machineCpu, serverPid, sleep, startWorker, type SoakWorker } from "./soak/driver.js";

const args = process.argv.slice(2);
const wi = args.indexOf("--workers");
const COUNTS = (wi >= 0 ? args[wi + 1]! : "1,2,4").split(",").map(Number);
if (COUNTS.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`--workers: expected positive integers separated by commas, got ${args[wi + 1]}`);
const N = Number(args.find((a, i) => !a.startsWith("--") && (wi < 0 || i !== wi + 1)) ?? 1000);
if (!Number.isInteger(N) || N < 1) throw new Error(`workflows must be a positive integer, got ${N}`);
// The same options as bench/peer.ts gives both SDKs (the official defaults made explicit).
const OPTIONS = { maxCachedWorkflows: 1000, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100, stickyQueueScheduleToStartTimeout: "10s", maxConcurrentWorkflowTaskPolls: 10, maxConcurrentActivityTaskPolls: 10 };

const env = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error", extraArgs: ["--dynamic-config-value", "frontend.namespaceCount=100000"] } });
const srv = serverPid();
if (srv === undefined) throw new Error("dev server process not found");
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rows: { workers: number; wfPerS: number; p50: number; p99: number; serverPct: number; workersPct: number; perWorkerPct: number; driverPct: number; machinePct: number; load: string }[] = [];
console.log(`scale: ${N} hello workflows per configuration, workers ${COUNTS.join(", ")} (twice), options ${JSON.stringify(OPTIONS)}; load average ${loadavg()}`);
try {
  for (const count of [...COUNTS, ...COUNTS]) {
    const taskQueue = `scale-${count}-${crypto.randomUUID()}`;
    const workers: SoakWorker[] = [];
    try {
      for (let i = 0; i < count; i++) workers.push(await startWorker(env.address, taskQueue, OPTIONS));
      await sleep(2000);
      const warm = await env.client.workflow.start("hello", { taskQueue, workflowId: `${taskQueue}-warm`, args: ["warm"] });
      await warm.result();
      const w0 = workers.map((w) => cpuSeconds(w.pid));
      const s0 = cpuSeconds(srv);
      const d0 = process.cpuUsage();
      const m0 = machineCpu();
      const lat: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: N }, async (_, i) => {
          const s = performance.now();
          // The run's deadline, not the client's default per-RPC timeout: N starts at once on a saturated server take longer.
          await env.client.withDeadline(Date.now() + 600_000, async () => {
            const h = await env.client.workflow.start("hello", { taskQueue, workflowId: `${taskQueue}-${i}`, args: [`w${i}`], workflowExecutionTimeout: "600s" });
            if ((await h.result()) !== `Hello, w${i}!`) throw new Error("unexpected result");
          });
          lat.push(performance.now() - s);
        }),
      );
      const wall = (performance.now() - t0) / 1000;
      const workerCpu = workers.map((w, i) => cpuSeconds(w.pid) - w0[i]!);
      const d = process.cpuUsage(d0);
      const m1 = machineCpu();
      const row = {
        workers: count,
        wfPerS: N / wall,
        p50: pct(lat, 50),
        p99: pct(lat, 99),
        serverPct: (100 * (cpuSeconds(srv) - s0)) / wall,
        workersPct: (100 * workerCpu.reduce((a, b) => a + b, 0)) / wall,
        perWorkerPct: (100 * Math.max(...workerCpu)) / wall,
        driverPct: (100 * (d.user + d.system)) / 1e6 / wall,
        machinePct: (100 * (m1.busy - m0.busy)) / (m1.total - m0.total),
        load: loadavg(),
      };
      rows.push(row);
      console.log(
        `  ${count} worker(s): ${row.wfPerS.toFixed(1)} wf/s, p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms; CPU (% of a core): server ${row.serverPct.toFixed(0)}, workers ${row.workersPct.toFixed(0)} ` +
          `(busiest ${row.perWorkerPct.toFixed(0)}), driver ${row.driverPct.toFixed(0)}; machine ${row.machinePct.toFixed(0)}% busy; load ${row.load}`,
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }
} finally {
  await env.teardown();
}
console.log(`\n| workers | throughput (wf/s), both runs | p50 (ms) | p99 (ms) | dev server CPU (% of a core) | all workers CPU (%) | busiest worker (%) | driver (%) | machine busy (%) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
for (const c of COUNTS) {
  const rs = rows.filter((r) => r.workers === c);
  const f = (k: keyof (typeof rs)[0], d = 0) => rs.map((r) => (r[k] as number).toFixed(d)).join(" / ");
  console.log(`| ${c} | ${f("wfPerS", 1)} | ${f("p50")} | ${f("p99")} | ${f("serverPct")} | ${f("workersPct")} | ${f("perWorkerPct")} | ${f("driverPct")} | ${f("machinePct")} |`);
}
process.exit(0);
