/**
 * Shared by bench/soak.ts and bench/scale.ts: a worker subprocess (bench/soak/worker.ts) and
 * /proc readings of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { BridgeCounters } from "../../src/bridge/index.js";

const CLK_TCK = 100; // Linux USER_HZ
const here = new URL(".", import.meta.url).pathname;

export interface WorkerStats {
  counters: BridgeCounters;
  status: { numCachedWorkflows: number; workflowActivationsCompleted: number; activityTasksStarted: number; numInFlightActivations: number };
  memory: { rss: number; heapUsed: number };
}

export interface SoakWorker {
  pid: number;
  startupMs: number;
  stats(): Promise<WorkerStats>;
  stop(): Promise<void>;
}

export async function startWorker(address: string, taskQueue: string, options: Record<string, unknown>): Promise<SoakWorker> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(here, "worker.ts")], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, PEER_ADDRESS: address, PEER_TASK_QUEUE: taskQueue, PEER_OPTIONS: JSON.stringify(options) },
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const waiting: ((s: WorkerStats) => void)[] = [];
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line.trim() === "PEER_READY") ready();
    else if (line.startsWith("STATS ")) waiting.shift()?.(JSON.parse(line.slice(6)) as WorkerStats);
    else process.stdout.write(`  [worker ${child.pid}] ${line}\n`);
  });
  const stop = async () => {
    child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000))]);
    if (code === "timeout") {
      child.kill("SIGKILL");
      await exited;
    }
  };
  try {
    await Promise.race([readyP, exited.then((code) => Promise.reject(new Error(`worker exited (${code}) before ready`)))]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    pid: child.pid!,
    startupMs: performance.now() - t0,
    stats: () =>
      new Promise<WorkerStats>((resolve) => {
        waiting.push(resolve);
        child.stdin!.write("stats\n");
      }),
    stop,
  };
}

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}
export function machineCpu(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: (total - f[3]! - f[4]!) / CLK_TCK, total: total / CLK_TCK };
}
export function memMb(pid: number): { hwm: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { hwm: kb("VmHWM") / 1024, rss: kb("VmRSS") / 1024 };
}
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
/** The dev server: the `temporal` child this process spawned. */
export function serverPid(): number | undefined {
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
export const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
