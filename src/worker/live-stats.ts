/**
 * Live-path counters: where a running worker's time goes between polls (issue 17, "the
 * live-path stall"; docs/benchmarks.md). Off by default: only a worker created while
 * `TEMPORAL_BUN_SDK_LIVE_STATS=1` is set records anything; otherwise the worker holds no
 * LiveStats object and every hook is one `undefined` check.
 *
 * What is recorded, per worker:
 * - waits on each kind of pending native handle (workflow poll, activity poll, workflow
 *   completion, activity completion): count, total, max, and how many resolved within 1 ms
 *   (core had the work buffered already);
 * - JS time per phase of an activation (decode, codecs, sandbox, encode, sinks) and of an
 *   activity (decode, run, encode);
 * - time-weighted gauges: outstanding polls of each kind, activations in flight (queued
 *   behind their run, in JS, or awaiting core's completion), activities in flight;
 * - the bridge's wake-up latency (core thread queues a completion → the JS thread drains it)
 *   and CPU time per thread group of this process (the JS thread vs core's tokio threads)
 *   over the busy window: from the first task to the latest completion.
 */
import { readdirSync, readFileSync } from "node:fs";
import { bridgeCounters, type BridgeCounters } from "../bridge/index.js";

export const LIVE_STATS_ENV = "TEMPORAL_BUN_SDK_LIVE_STATS";

export function liveStatsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const v = env[LIVE_STATS_ENV];
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

export type WaitKind = "pollWorkflow" | "pollActivity" | "completeWorkflow" | "completeActivity";
export type Phase = "wfDecode" | "wfCodecs" | "wfSandbox" | "wfEncode" | "wfSinks" | "actDecode" | "actRun" | "actEncode";
export type GaugeName = "pollWorkflowOutstanding" | "pollActivityOutstanding" | "activationsInFlight" | "activationsInJs" | "completionsInFlight" | "activitiesInFlight";

interface Timing {
  n: number;
  totalMs: number;
  maxMs: number;
  /** Resolved within 1 ms (waits only). */
  fast: number;
}

class Gauge {
  value = 0;
  max = 0;
  private integral = 0;
  private last = 0;
  add(delta: number, now: number): void {
    if (this.last !== 0) this.integral += this.value * (now - this.last);
    this.last = now;
    this.value += delta;
    if (this.value > this.max) this.max = this.value;
  }
  /** Starts the time-weighted mean afresh at `now` (the start of the busy window). */
  restart(now: number): void {
    this.integral = 0;
    this.last = now;
    this.max = this.value;
  }
  mean(from: number, to: number): number {
    const integral = this.integral + this.value * (to - this.last);
    return to > from ? integral / (to - from) : 0;
  }
}

const CLK_TCK = 100;

/** CPU seconds of this process's threads, grouped by thread name (Linux /proc; empty elsewhere). */
function threadCpu(): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const name = String(tid) === String(process.pid) ? "js (main thread)" : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/[-_ ]?\d+$/, "");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / CLK_TCK;
    }
  } catch {
    // not Linux, or a thread ended while reading: best effort
  }
  return out;
}

/** How often the timeline samples the in-flight gauges. */
export const TIMELINE_INTERVAL_MS = 500;
const TIMELINE_GAUGES: GaugeName[] = ["activationsInFlight", "completionsInFlight", "activitiesInFlight"];

export interface LiveStatsSnapshot {
  /** The busy window (first task → latest completion), ms. */
  windowMs: number;
  waits: Record<WaitKind, Timing & { meanMs: number }>;
  phases: Record<Phase, Timing & { meanMs: number }>;
  /** Time-weighted mean and maximum over the window. */
  gauges: Record<GaugeName, { mean: number; max: number }>;
  /** Bridge wake-up latency over the window (all completions of this process). */
  wake: { completions: number; meanUs: number; maxUs: number; p50Us: number; p99Us: number; wakes: number };
  /** CPU seconds per thread group over the window. */
  threadCpuS: Record<string, number>;
  /** The JS thread's busy share of the window (its CPU / window). */
  jsThreadBusy: number;
  /** Activations, completions and activities in flight every TIMELINE_INTERVAL_MS from the first task until the worker stopped. */
  timeline: Partial<Record<GaugeName, number[]>>;
}

export class LiveStats {
  private readonly waits = new Map<WaitKind, Timing>();
  private readonly phases = new Map<Phase, Timing>();
  private readonly gauges = new Map<GaugeName, Gauge>();
  private windowStart = 0;
  private windowEnd = 0;
  private cpuAtStart: Record<string, number> = {};
  private bridgeAtStart: BridgeCounters | undefined;
  private readonly timeline = new Map<GaugeName, number[]>(TIMELINE_GAUGES.map((g) => [g, []]));
  private sampler: ReturnType<typeof setInterval> | undefined;

  /** Marks the start of the busy window on the first task. */
  taskArrived(): void {
    if (this.windowStart !== 0) return;
    this.windowStart = performance.now();
    for (const g of this.gauges.values()) g.restart(this.windowStart);
    this.sampler = setInterval(() => {
      for (const [name, xs] of this.timeline) xs.push(this.gauges.get(name)?.value ?? 0);
    }, TIMELINE_INTERVAL_MS);
    // Never what keeps a process alive.
    this.sampler.unref?.();
    this.cpuAtStart = threadCpu();
    try {
      this.bridgeAtStart = bridgeCounters();
    } catch {
      this.bridgeAtStart = undefined;
    }
  }

  /** The worker stopped: the timeline stops sampling. */
  stop(): void {
    clearInterval(this.sampler);
    this.sampler = undefined;
  }

  /** Marks the latest completion (end of the busy window so far). */
  completed(): void {
    this.windowEnd = performance.now();
  }

  wait(kind: WaitKind, ms: number): void {
    record(this.waits, kind, ms);
  }

  phase(phase: Phase, ms: number): void {
    record(this.phases, phase, ms);
  }

  /** Awaits one poll, counted as outstanding under `outstanding` and timed as `wait`. */
  async timedPoll<T extends { kind: string }>(wait: WaitKind, outstanding: GaugeName, poll: () => Promise<T>): Promise<T> {
    this.gauge(outstanding, 1);
    const t = performance.now();
    let result: T;
    try {
      result = await poll();
    } finally {
      this.wait(wait, performance.now() - t);
      this.gauge(outstanding, -1);
    }
    if (result.kind === "task") this.taskArrived();
    return result;
  }

  gauge(name: GaugeName, delta: number): void {
    let g = this.gauges.get(name);
    if (!g) this.gauges.set(name, (g = new Gauge()));
    g.add(delta, performance.now());
  }

  snapshot(): LiveStatsSnapshot {
    const from = this.windowStart;
    const to = Math.max(this.windowEnd, from);
    const timings = <K extends string>(m: Map<K, Timing>) =>
      Object.fromEntries([...m].map(([k, t]) => [k, { ...t, meanMs: t.n > 0 ? t.totalMs / t.n : 0 }])) as Record<K, Timing & { meanMs: number }>;
    const cpuNow = threadCpu();
    const threadCpuS: Record<string, number> = {};
    for (const [k, v] of Object.entries(cpuNow)) threadCpuS[k] = v - (this.cpuAtStart[k] ?? 0);
    let wake = { completions: 0, meanUs: 0, maxUs: 0, p50Us: 0, p99Us: 0, wakes: 0 };
    try {
      const now = bridgeCounters().wakeLatency;
      const start = this.bridgeAtStart?.wakeLatency;
      const count = now.count - (start?.count ?? 0);
      const buckets = now.buckets.map((b, i) => b - (start?.buckets[i] ?? 0));
      // A bucket's upper bound (2^i µs) as its value: an upper estimate of the percentile.
      const pct = (p: number) => {
        let seen = 0;
        for (let i = 0; i < buckets.length; i++) {
          seen += buckets[i]!;
          if (seen >= p * count) return 2 ** i;
        }
        return Infinity;
      };
      wake = {
        completions: count,
        meanUs: count > 0 ? (now.sumNs - (start?.sumNs ?? 0)) / count / 1000 : 0,
        maxUs: now.maxNs / 1000,
        p50Us: count > 0 ? pct(0.5) : 0,
        p99Us: count > 0 ? pct(0.99) : 0,
        wakes: bridgeCounters().wakesTotal - (this.bridgeAtStart?.wakesTotal ?? 0),
      };
    } catch {
      // the bridge is gone (freed at shutdown): no wake figures
    }
    const windowMs = to - from;
    return {
      windowMs,
      waits: timings(this.waits),
      phases: timings(this.phases),
      gauges: Object.fromEntries([...this.gauges].map(([k, g]) => [k, { mean: g.mean(from, to), max: g.max }])) as Record<GaugeName, { mean: number; max: number }>,
      wake,
      threadCpuS,
      jsThreadBusy: windowMs > 0 ? ((threadCpuS["js (main thread)"] ?? 0) * 1000) / windowMs : 0,
      timeline: Object.fromEntries([...this.timeline].map(([k, xs]) => [k, [...xs]])),
    };
  }
}

function record<K>(m: Map<K, Timing>, k: K, ms: number): void {
  let t = m.get(k);
  if (!t) m.set(k, (t = { n: 0, totalMs: 0, maxMs: 0, fast: 0 }));
  t.n++;
  t.totalMs += ms;
  if (ms > t.maxMs) t.maxMs = ms;
  if (ms < 1) t.fast++;
}

/** The snapshot as a few readable lines (what bench/peer/bun-worker.ts prints). */
export function formatLiveStats(s: LiveStatsSnapshot): string[] {
  const f = (x: number, d = 2) => x.toFixed(d);
  const lines = [`live-path stats over the busy window of ${f(s.windowMs / 1000)} s:`];
  for (const [k, t] of Object.entries(s.waits)) lines.push(`  wait ${k.padEnd(17)} n=${t.n} mean ${f(t.meanMs)} ms, max ${f(t.maxMs, 1)} ms, within 1 ms ${t.fast}, total ${f(t.totalMs / 1000)} s`);
  for (const [k, t] of Object.entries(s.phases)) lines.push(`  js   ${k.padEnd(17)} n=${t.n} mean ${f(t.meanMs, 3)} ms, max ${f(t.maxMs, 1)} ms, total ${f(t.totalMs / 1000)} s`);
  for (const [k, g] of Object.entries(s.gauges)) lines.push(`  gauge ${k.padEnd(24)} mean ${f(g.mean)}, max ${g.max}`);
  const w = s.wake;
  lines.push(`  wake-up (core thread → JS drain): ${w.completions} completions in ${w.wakes} wakes, mean ${f(w.meanUs, 0)} µs, p50 < ${w.p50Us} µs, p99 < ${w.p99Us} µs, max ${f(w.maxUs, 0)} µs`);
  const cpu = Object.entries(s.threadCpuS).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  for (const [k, xs] of Object.entries(s.timeline)) if (xs.length > 0) lines.push(`  every ${TIMELINE_INTERVAL_MS} ms, ${k}: ${xs.join(" ")}`);
  lines.push(`  thread CPU in the window: ${cpu.map(([k, v]) => `${k} ${f(v)} s`).join(", ")}; JS thread busy ${f(100 * s.jsThreadBusy, 0)}%`);
  return lines;
}
