/**
 * Soak: W `hello` workflows (bench/peer's, default 20,000) through one worker with a small
 * workflow cache (maxCachedWorkflows, default 10), C in flight at a time (default 200), on a
 * dev server. Not a CI test: a measurement, about 10 minutes on 2 cores.
 *
 * Sampled every few seconds from /proc/<worker pid>: RSS and open file descriptors; read from
 * the worker itself (bench/soak/worker.ts, on request): the bridge's native handle counters
 * (src/bridge debugCounters: live runtimes/clients/workers/pending handles/buffers, queue
 * depths, JS waiters) and the cached runs. Baseline: 3 s after the worker is ready, before any
 * workflow; end: 10 s after the last workflow completed (the cache and the pollers at rest).
 * Reports RSS at the end of warm-up (the first 5 % of workflows), its peak after warm-up and at
 * the end, and every counter at baseline and at the end.
 *
 * Usage: bun bench/soak.ts [workflows=20000] [--cache 10] [--concurrency 200]
 */
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { fdCount, loadavg, memMb, serverPid, cpuSeconds, sleep, startWorker, type WorkerStats } from "./soak/driver.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${args[i + 1]}`);
  return v;
};
const CACHE = opt("--cache", 10);
const CONCURRENCY = opt("--concurrency", 200);
const W = Number(args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? 20000);
if (!Number.isInteger(W) || W < 1) throw new Error(`workflows must be a positive integer, got ${W}`);
const SAMPLE_MS = 5000;

const env = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error" } });
const taskQueue = `soak-${crypto.randomUUID()}`;
const options = { maxCachedWorkflows: CACHE };
const worker = await startWorker(env.address, taskQueue, options);
const srv = serverPid();
const samples: { t: number; done: number; rss: number; fds: number; cached: number }[] = [];
try {
  console.log(`soak: ${W} hello workflows, ${CONCURRENCY} in flight, one worker (pid ${worker.pid}, ${JSON.stringify(options)}, startup ${worker.startupMs.toFixed(0)} ms); load average ${loadavg()}`);
  await sleep(3000);
  const base = { stats: await worker.stats(), fds: fdCount(worker.pid), mem: memMb(worker.pid) };
  const cpu0 = cpuSeconds(worker.pid);
  const srv0 = srv === undefined ? NaN : cpuSeconds(srv);
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const sample = async () => {
    const s = await worker.stats();
    const m = memMb(worker.pid);
    samples.push({ t: (performance.now() - t0) / 1000, done, rss: m.rss, fds: fdCount(worker.pid), cached: s.status.numCachedWorkflows });
    const x = samples.at(-1)!;
    console.log(`  ${x.t.toFixed(0).padStart(4)} s: ${String(done).padStart(6)} done, RSS ${x.rss.toFixed(1)} MB, fds ${x.fds}, cached runs ${x.cached}, load ${loadavg()}`);
  };
  const sampler = setInterval(() => void sample(), SAMPLE_MS);
  const lane = async () => {
    for (let i = next++; i < W; i = next++) {
      // The workflow's deadline, not the client's default per-RPC timeout (a saturated server can take longer).
      const r = await env.client.withDeadline(Date.now() + 600_000, async () => {
        const h = await env.client.workflow.start("hello", { taskQueue, workflowId: `${taskQueue}-${i}`, args: [`w${i}`], workflowExecutionTimeout: "600s" });
        return await h.result();
      });
      if (r !== `Hello, w${i}!`) throw new Error(`unexpected result ${JSON.stringify(r)}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds(worker.pid) - cpu0;
  const srvS = srv === undefined ? NaN : cpuSeconds(srv) - srv0;
  await sample();
  await sleep(10_000);
  const end = { stats: await worker.stats(), fds: fdCount(worker.pid), mem: memMb(worker.pid) };

  const warm = samples.find((s) => s.done >= W * 0.05) ?? samples[0]!;
  const after = samples.filter((s) => s.t >= warm.t);
  const peak = Math.max(...after.map((s) => s.rss));
  const half = samples.filter((s) => s.done >= W / 2);
  console.log(
    `\n${W} workflows in ${wallS.toFixed(0)} s (${(W / wallS).toFixed(1)} wf/s); worker CPU ${cpuS.toFixed(1)} s (${((cpuS / W) * 1000).toFixed(2)} ms/workflow), dev server CPU ${srvS.toFixed(1)} s; load average now ${loadavg()}`,
  );
  console.log(`RSS (MB): baseline ${base.mem.rss.toFixed(1)}, after warm-up (${warm.done} done, ${warm.t.toFixed(0)} s) ${warm.rss.toFixed(1)}, peak after warm-up ${peak.toFixed(1)}, ` +
    `second half min/max ${Math.min(...half.map((s) => s.rss)).toFixed(1)}/${Math.max(...half.map((s) => s.rss)).toFixed(1)}, end (10 s after) ${end.mem.rss.toFixed(1)}; VmHWM ${end.mem.hwm.toFixed(1)}`);
  console.log(`open fds: baseline ${base.fds}, max during the run ${Math.max(...samples.map((s) => s.fds))}, end ${end.fds}`);
  const flat = (s: WorkerStats) => ({ ...s.counters.live, pendingObjects: s.counters.pendingObjects, bufferObjects: s.counters.bufferObjects, coreByteArrays: s.counters.coreByteArrays, completionQueueDepth: s.counters.completionQueueDepth, logQueueDepth: s.counters.logQueueDepth, reapQueueDepth: s.counters.reapQueueDepth, liveMetrics: s.counters.liveMetrics, jsWaiters: s.counters.jsWaiters, cachedRuns: s.status.numCachedWorkflows });
  const b = flat(base.stats);
  const e = flat(end.stats);
  console.log(`native handles and queues, baseline → end (pending handles created in total: ${end.stats.counters.pendingCreatedTotal - base.stats.counters.pendingCreatedTotal}):`);
  for (const k of Object.keys(b) as (keyof typeof b)[]) console.log(`  ${k.padEnd(21)} ${String(b[k]).padStart(5)} → ${String(e[k]).padStart(5)}${b[k] === e[k] ? "" : "   (differs)"}`);
} finally {
  await worker.stop();
  await env.teardown();
}
process.exit(0);
