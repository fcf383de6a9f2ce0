/**
 * The fault suite's harness: processes it owns (a dev server on a file database, worker
 * processes), the workflows it starts, and the tally it prints.
 *
 * Nothing outlives the driver: every child is spawned with a pipe watchdog (an `sh` that
 * SIGKILLs the child when the pipe from this process reaches EOF, i.e. when this process is gone,
 * even by SIGKILL); `stopAll()` kills what is left on every normal path (the scenarios' finally
 * blocks), and `installExitHandlers()` (the scripts) does it on SIGINT/SIGTERM too.
 *
 * The tally: a workflow is *completed* when it closed COMPLETED with the expected result,
 * *lost* otherwise (still running at the deadline, failed, timed out); a *duplicated* workflow
 * is one whose history holds more than one close event or more accepted activity results than
 * it scheduled (a bug either way). Activity executions are counted from the shared activity log
 * (activities.ts): re-executions of a step are at-least-once delivery, allowed and reported.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Subprocess } from "bun";
import { Client, Connection } from "../../src/client/index.js";
import type { ActivityLogLine } from "./activities.js";
import type { FaultWorkflowInput } from "./workflows.js";

// ---------------------------------------------------------------- processes

interface Owned {
  name: string;
  proc: Subprocess;
  watchdog: Subprocess;
}

const owned = new Set<Owned>();
/** Every process this module started (children and their watchdogs), for the final check. */
const spawned: Subprocess[] = [];

function spawnOwned(name: string, cmd: string[], opts: { env?: Record<string, string>; stdoutFile?: string; stderrFile: string; pipeStdout?: boolean }): Owned {
  const errFd = openSync(opts.stderrFile, "a");
  const outFd = opts.pipeStdout ? undefined : openSync(opts.stdoutFile ?? opts.stderrFile, "a");
  let proc: Subprocess;
  try {
    proc = Bun.spawn(cmd, {
      env: { ...process.env, ...opts.env },
      stdin: "ignore",
      stdout: opts.pipeStdout ? "pipe" : outFd!,
      stderr: errFd,
    });
  } finally {
    closeSync(errFd);
    if (outFd !== undefined) closeSync(outFd);
  }
  // Reads a pipe only this process holds; EOF means we are gone (killed or exited) → kill the child.
  // The builtin `read` keeps it one process: a `cat` would outlive a SIGKILLed `sh`.
  const watchdog = Bun.spawn(["sh", "-c", 'read -r _; kill -KILL "$1" 2>/dev/null', `fault-watchdog-${name}`, String(proc.pid)], {
    stdin: "pipe",
    stdout: "ignore",
    stderr: "ignore",
  });
  watchdog.unref();
  spawned.push(proc, watchdog);
  const o: Owned = { name, proc, watchdog };
  owned.add(o);
  void proc.exited.then(() => {
    // The child is gone: stop its watchdog before the pid can be reused.
    watchdog.kill("SIGKILL");
    owned.delete(o);
  });
  return o;
}

/** Pids of the processes this module started (servers, workers, watchdogs) that have not ended. */
export function liveChildren(): number[] {
  return spawned.filter((p) => p.exitCode === null && p.signalCode === null).map((p) => p.pid);
}

/** SIGKILLs every child still running (synchronous, so it is safe in an 'exit' handler). */
export function killAllSync(): void {
  for (const o of owned) {
    o.proc.kill("SIGKILL");
    o.watchdog.kill("SIGKILL");
  }
}

/** Kills every child still running and waits until they are gone. */
export async function stopAll(): Promise<void> {
  killAllSync();
  await Promise.all(spawned.map((p) => p.exited));
}

/** For the scripts: Ctrl-C or a SIGTERM of the driver kills its children first. */
export function installExitHandlers(): void {
  process.on("exit", killAllSync);
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(sig, () => {
      killAllSync();
      process.exit(code);
    });
  }
}

/**
 * A free loopback port below the kernel's ephemeral range (32768+ here), so that no outgoing
 * connection of another process takes it while the dev server is down for an outage.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      const server = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
      server.stop(true);
      return port;
    } catch {
      // taken: try another
    }
  }
  throw new Error("no free port found in 20000..32000");
}

export const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- run directory

export interface RunDir {
  dir: string;
  activityLog: string;
  dbFile: string;
  /** Removes the directory (kept when FAULT_KEEP_DIR=1, for a look at the logs). */
  remove(): void;
}

export function makeRunDir(label: string): RunDir {
  const dir = mkdtempSync(path.join(tmpdir(), `temporal-bun-faults-${label}-`));
  return {
    dir,
    activityLog: path.join(dir, "activities.jsonl"),
    dbFile: path.join(dir, "temporal.db"),
    remove() {
      if (process.env.FAULT_KEEP_DIR === "1") console.error(`(kept ${dir})`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- dev server

export interface DevServer {
  address: string;
  port: number;
  /** Sends `signal` and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly running: boolean;
}

function cliPath(): string {
  const p = process.env.TEMPORAL_CLI_PATH;
  if (!p || !existsSync(p)) throw new Error(`TEMPORAL_CLI_PATH (${p ?? "unset"}) is not the Temporal CLI: run eval "$(./dev env)" first`);
  return p;
}

/**
 * `temporal server start-dev` on `port` with a file database, so a restart on the same file
 * brings back every workflow. Resolves once the frontend answers (bounded by `readyTimeoutMs`).
 */
export async function startDevServer(run: RunDir, port: number | "any", readyTimeoutMs = 30_000): Promise<DevServer> {
  if (port !== "any") return startDevServerOn(run, port, readyTimeoutMs);
  // The server also binds ports of its own choosing (HTTP API, metrics): on a busy machine one
  // of them can be taken between its check and its bind; try another port then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOn(run, await freePort(), readyTimeoutMs);
    } catch (err) {
      const log = existsSync(path.join(run.dir, "server.log")) ? readFileSync(path.join(run.dir, "server.log"), "utf8") : "";
      if (attempt >= 3 || !log.includes("address already in use")) throw err;
    }
  }
}

async function startDevServerOn(run: RunDir, port: number, readyTimeoutMs: number): Promise<DevServer> {
  const address = `127.0.0.1:${port}`;
  const o = spawnOwned(
    `server-${port}`,
    [cliPath(), "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", String(port), "--db-filename", run.dbFile, "--log-level", "error"],
    { stderrFile: path.join(run.dir, "server.log") },
  );
  let exited = false;
  void o.proc.exited.then(() => (exited = true));
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`dev server on ${address} exited with ${o.proc.exitCode} before it was ready (see ${run.dir}/server.log)`);
    if (await answers(address)) break;
    if (Date.now() > deadline) {
      o.proc.kill("SIGKILL");
      throw new Error(`dev server on ${address} not ready after ${readyTimeoutMs} ms`);
    }
    await sleepMs(100);
  }
  return {
    address,
    port,
    get running() {
      return !exited;
    },
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      o.proc.kill(signal);
      await o.proc.exited;
    },
  };
}

/** True when the frontend at `address` answers a namespace lookup (the dev server registers 'default' at start). */
async function answers(address: string): Promise<boolean> {
  let conn: Connection | undefined;
  try {
    conn = await Connection.connect({ address, connectTimeout: 1000 });
    await conn.workflowService.describeNamespace({ namespace: "default" }, { timeout: 1000, retry: false });
    return true;
  } catch {
    return false;
  } finally {
    await conn?.close();
  }
}

// ---------------------------------------------------------------- workers

export interface WorkerProcess {
  name: string;
  pid: number;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  /** Lines the worker printed on stdout so far. */
  lines: string[];
  kill(signal: NodeJS.Signals): void;
}

export async function startWorker(
  run: RunDir,
  opts: { name: string; address: string; taskQueue: string; shutdownGraceMs?: number; readyTimeoutMs?: number },
): Promise<WorkerProcess> {
  const o = spawnOwned(opts.name, [process.execPath, path.join(import.meta.dir, "worker.ts")], {
    env: {
      FAULT_ADDRESS: opts.address,
      FAULT_TASK_QUEUE: opts.taskQueue,
      FAULT_ACTIVITY_LOG: run.activityLog,
      FAULT_WORKER_NAME: opts.name,
      FAULT_SHUTDOWN_GRACE_MS: String(opts.shutdownGraceMs ?? 0),
    },
    stderrFile: path.join(run.dir, `${opts.name}.log`),
    pipeStdout: true,
  });
  const lines: string[] = [];
  let onLine: (() => void) | undefined;
  void (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of o.proc.stdout as ReadableStream<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        onLine?.();
      }
    }
    onLine?.();
  })();
  const exited = o.proc.exited.then((code) => code ?? -1);
  let done = false;
  void exited.then(() => {
    done = true;
    onLine?.();
  });
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  while (!lines.some((l) => l.startsWith("ready"))) {
    if (done) throw new Error(`worker ${opts.name} exited (${o.proc.exitCode}) before it was ready; see ${run.dir}/${opts.name}.log`);
    if (Date.now() > deadline) {
      o.proc.kill("SIGKILL");
      throw new Error(`worker ${opts.name} not ready after ${opts.readyTimeoutMs ?? 30_000} ms; see ${run.dir}/${opts.name}.log`);
    }
    await new Promise<void>((r) => {
      onLine = r;
      setTimeout(r, 200);
    });
  }
  return { name: opts.name, pid: o.proc.pid, exited, lines, kill: (sig) => o.proc.kill(sig) };
}

// ---------------------------------------------------------------- workflows

export interface WorkloadSpec {
  workflows: number;
  steps: number;
  activityMs: number;
  timerMs: number;
  heartbeatTimeoutMs: number;
  startToCloseTimeoutMs: number;
}

export interface Workload {
  client: Client;
  connection: Connection;
  taskQueue: string;
  ids: string[];
  spec: WorkloadSpec;
  /** Epoch ms before the first start. */
  beganAt: number;
  /** Epoch ms when the last start was accepted. */
  startedAt: number;
}

export async function startWorkload(address: string, taskQueue: string, spec: WorkloadSpec): Promise<Workload> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const ids: string[] = [];
  const beganAt = Date.now();
  const batch = 20;
  for (let i = 0; i < spec.workflows; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, spec.workflows - i) }, async (_, j) => {
        const key = `${taskQueue}-${i + j}`;
        const input: FaultWorkflowInput = {
          key,
          steps: spec.steps,
          activityMs: spec.activityMs,
          timerMs: spec.timerMs,
          heartbeatTimeoutMs: spec.heartbeatTimeoutMs,
          startToCloseTimeoutMs: spec.startToCloseTimeoutMs,
        };
        await client.workflow.start("faultWorkflow", { taskQueue, workflowId: key, args: [input] });
        ids.push(key);
      }),
    );
  }
  return { client, connection, taskQueue, ids, spec, beganAt, startedAt: Date.now() };
}

/** Reads the shared activity log (lines of every worker process). */
export function readActivityLog(run: RunDir): ActivityLogLine[] {
  if (!existsSync(run.activityLog)) return [];
  return readFileSync(run.activityLog, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as ActivityLogLine);
}

/** Waits until `pred(log)` holds (bounded). */
export async function waitForLog(run: RunDir, pred: (log: ActivityLogLine[]) => boolean, timeoutMs: number, what: string): Promise<ActivityLogLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readActivityLog(run);
    if (pred(log)) return log;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleepMs(50);
  }
}

/** Activities started by `worker` with neither done nor cancelled/failed yet. */
export function runningOn(log: ActivityLogLine[], worker: string): ActivityLogLine[] {
  const ended = new Set(log.filter((l) => l.ev !== "start").map((l) => `${l.key}/${l.step}/${l.attempt}/${l.pid}`));
  return log.filter((l) => l.ev === "start" && l.worker === worker && !ended.has(`${l.key}/${l.step}/${l.attempt}/${l.pid}`));
}

/**
 * Waits until no workflow of the workload is running (polling visibility, then each
 * workflow's description), tolerating a server that is down meanwhile. Bounded by `timeoutMs`;
 * what is still open then is counted as lost.
 */
export async function waitClosed(w: Workload, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const open = new Set(w.ids);
  while (open.size > 0 && Date.now() < deadline) {
    try {
      const running = await w.connection.withDeadline(Date.now() + 5000, () =>
        w.client.workflow.count(`TaskQueue="${w.taskQueue}" AND ExecutionStatus="Running"`),
      );
      if (running.count === 0) {
        for (const id of [...open]) {
          const d = await w.client.workflow.getHandle(id).describe();
          if (d.status.name !== "RUNNING") open.delete(id);
        }
      }
    } catch {
      // server down or restarting: keep waiting
    }
    if (open.size > 0) await sleepMs(250);
  }
}

// ---------------------------------------------------------------- tally

export interface Tally {
  workflows: number;
  completed: number;
  lost: number;
  /** Workflows whose history shows a second close event or more accepted activity results than scheduled. */
  duplicated: number;
  /** Distinct (workflow, step) activity executions that completed, vs workflows × steps. */
  activitySteps: { expected: number; done: number; missing: number; reExecuted: number; cancelled: number; failed: number };
  /** Epoch ms of each completed workflow's close, sorted. */
  closeTimes: number[];
  lostIds: string[];
}

export async function tally(w: Workload, run: RunDir): Promise<Tally> {
  const closeTimes: number[] = [];
  const lostIds: string[] = [];
  let duplicated = 0;
  for (const id of w.ids) {
    const handle = w.client.workflow.getHandle(id);
    const d = await handle.describe();
    let ok = false;
    if (d.status.name === "COMPLETED") {
      const result = (await handle.result()) as string[];
      const expected = Array.from({ length: w.spec.steps }, (_, s) => `${id}:${s}`);
      ok = JSON.stringify(result) === JSON.stringify(expected);
    }
    const history = await handle.fetchHistory();
    const kinds = new Map<string, number>();
    for (const e of history.events) kinds.set(e.attributes.case ?? "?", (kinds.get(e.attributes.case ?? "?") ?? 0) + 1);
    const closes = ["workflowExecutionCompletedEventAttributes", "workflowExecutionFailedEventAttributes", "workflowExecutionTimedOutEventAttributes"].reduce(
      (n, k) => n + (kinds.get(k) ?? 0),
      0,
    );
    const scheduled = kinds.get("activityTaskScheduledEventAttributes") ?? 0;
    const accepted = kinds.get("activityTaskCompletedEventAttributes") ?? 0;
    if (closes > 1 || accepted > scheduled || accepted > w.spec.steps) duplicated++;
    if (ok) closeTimes.push(d.closeTime!.getTime());
    else lostIds.push(`${id} (${d.status.name})`);
  }
  const log = readActivityLog(run);
  const doneBy = new Map<string, number>();
  for (const l of log) if (l.ev === "done") doneBy.set(`${l.key}/${l.step}`, (doneBy.get(`${l.key}/${l.step}`) ?? 0) + 1);
  const expected = w.ids.length * w.spec.steps;
  let missing = 0;
  for (const id of w.ids) for (let s = 0; s < w.spec.steps; s++) if (!doneBy.has(`${id}/${s}`)) missing++;
  let reExecuted = 0;
  for (const n of doneBy.values()) reExecuted += n - 1;
  closeTimes.sort((a, b) => a - b);
  return {
    workflows: w.ids.length,
    completed: closeTimes.length,
    lost: lostIds.length,
    duplicated,
    activitySteps: {
      expected,
      done: doneBy.size,
      missing,
      reExecuted,
      cancelled: log.filter((l) => l.ev === "cancelled").length,
      failed: log.filter((l) => l.ev === "failed").length,
    },
    closeTimes,
    lostIds,
  };
}

/** Time from `at` to the first workflow close after it (ms), or null if none closed after `at`. */
export function nextCompletionAfter(t: Tally, at: number): number | null {
  const next = t.closeTimes.find((c) => c >= at);
  return next === undefined ? null : next - at;
}

/** Time from `at` to the first activity "done" after it, optionally on one worker. */
export function nextActivityDoneAfter(run: RunDir, at: number, worker?: string): number | null {
  const next = readActivityLog(run)
    .filter((l) => l.ev === "done" && l.t >= at && (worker === undefined || l.worker === worker))
    .map((l) => l.t)
    .sort((a, b) => a - b)[0];
  return next === undefined ? null : next - at;
}

export function printReport(title: string, t: Tally, extra: Record<string, unknown>): void {
  const a = t.activitySteps;
  const lines = [
    `== ${title}`,
    `workflows: ${t.workflows} started, ${t.completed} completed, ${t.lost} lost, ${t.duplicated} duplicated`,
    `activity steps: ${a.done}/${a.expected} done, ${a.missing} missing, ${a.reExecuted} re-executed (at-least-once), ${a.cancelled} cancelled, ${a.failed} failed`,
    ...Object.entries(extra).map(([k, v]) => `${k}: ${typeof v === "number" ? `${Math.round(v)}` : JSON.stringify(v)}`),
  ];
  // The figures depend on how busy the machine was: say it (Linux; absent elsewhere).
  if (existsSync("/proc/loadavg")) lines.push(`load average at the end (1/5/15 min): ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} on ${navigator.hardwareConcurrency} cores`);
  if (t.lostIds.length > 0) lines.push(`lost: ${t.lostIds.slice(0, 10).join(", ")}${t.lostIds.length > 10 ? ", …" : ""}`);
  console.log(lines.join("\n"));
}

/** `--name value` / `--name=value` numeric flags of a script, with defaults. */
export function numericArgs<T extends Record<string, number>>(argv: string[], defaults: T): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-zA-Z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`unexpected argument '${argv[i]}' (flags: ${Object.keys(defaults).map((k) => `--${k}`).join(" ")})`);
    const name = m[1]!;
    if (!(name in defaults)) throw new Error(`unknown flag --${name} (flags: ${Object.keys(defaults).map((k) => `--${k}`).join(" ")})`);
    const raw = m[2] ?? argv[++i];
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v) || v < 0) throw new Error(`--${name}: expected a non-negative number, got '${raw}'`);
    out[name] = v;
  }
  return out as T;
}
