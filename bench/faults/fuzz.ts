/**
 * Fuzzing the byte boundaries (issue 16): random and mutated protobuf bytes and mutated
 * histories into every export that takes bytes, checking that each call ends — with an
 * error, or with a valid result where the input happens to be valid — within a bound, and
 * that the process neither crashes nor hangs.
 *
 * Targets:
 *   replay      Worker.runReplayHistories with mutated histories from the official corpus
 *               (tests/compat/corpus/): event-level mutations (drop, duplicate, swap, retype,
 *               renumber, strip attributes, truncate, …), byte-level mutations of the
 *               serialized history, and random bytes.
 *   completion  the bridge's complete-workflow-activation (NativeWorker.completeWorkflowActivation
 *               on a replay worker with an activation outstanding) with random bytes, bit-flipped
 *               valid completions, and well-formed completions for the wrong run.
 *   push        the bridge's replayer push (NativeReplayer.push, below the SDK's
 *               history checks) with random bytes and mutated serialized histories, then a poll:
 *               core decodes, refuses, panics (the panic hook turns that into core_panic) or
 *               serves an activation. A poll with no answer within 3 s is counted as "stalled"
 *               (core waits forever on some histories the SDK's checks refuse, e.g. one without
 *               any WorkflowTaskStarted), not as a hang of the call under test.
 *   rpc         raw gRPC calls through the bridge (NativeClient.rpc, what connection.workflowService
 *               and the client use) with random and mutated request bytes to read-only
 *               WorkflowService / OperatorService / HealthService methods and to unknown
 *               method names; and activity completions / heartbeats with garbage bytes on a
 *               server-backed worker. Needs a server: --address, else a dev server is started.
 *
 *   bun bench/faults/fuzz.ts [--seed N] [--n N] [--targets replay,completion,rpc,push]
 *                            [--address host:port] [--timeout-ms 15000] [--json]
 *
 * --n is the number of inputs per target. The seed is printed first; the same seed replays
 * the same inputs. Exit 0 when every input ended within the bound, 2 on a hang (the input
 * that hung is printed), 1 on any other failure of the harness itself.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { HistorySchema, type History, type HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { WorkflowActivationCompletionSchema } from "../../src/proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import { WorkflowActivationSchema } from "../../src/proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import { fromBinary } from "@bufbuild/protobuf";
import { DescribeNamespaceRequestSchema, GetSystemInfoRequestSchema, ListWorkflowExecutionsRequestSchema } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { NativeBridgeError, NativeClient, NativeReplayer, NativeWorker, type NativeWorkerOptions, type RpcServiceName } from "../../src/bridge/index.js";
import { corePanics } from "../../src/bridge/debug.js";
import { Runtime } from "../../src/runtime/index.js";
import { Worker } from "../../src/worker/index.js";
import { WORKFLOWS_PATH, readCorpus } from "../../tools/compat/corpus.js";

export type Target = "replay" | "completion" | "rpc" | "push";

export interface FuzzOptions {
  seed: number;
  /** Inputs per target. */
  n: number;
  targets: Target[];
  /** Server for the rpc target (host:port). */
  address?: string;
  /** Bound on each call; an input that takes longer is a hang. */
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface TargetReport {
  inputs: number;
  /** Outcome class → count: "ok", or the error's class and code (e.g. "ReplayError", "NativeBridgeError:core"). */
  outcomes: Record<string, number>;
  maxLatencyMs: number;
  p99LatencyMs: number;
  hangs: string[];
  /** completion target: driver polls that got nothing within 1 s (an accepted garbage completion can leave the run waiting), each followed by a fresh replay worker. Not findings. */
  driverResets?: number;
}

export interface FuzzReport {
  seed: number;
  n: number;
  durationMs: number;
  corePanics: number;
  callsFailedByPanics: number;
  targets: Partial<Record<Target, TargetReport>>;
}

// ── randomness ──────────────────────────────────────────────────────────────────────────

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Byte-level mutations of a serialized message. */
function mutateBytes(r: Rand, input: Uint8Array): Uint8Array {
  const b = Uint8Array.from(input);
  switch (r.int(6)) {
    case 0: {
      const flips = 1 + r.int(8);
      for (let i = 0; i < flips && b.length > 0; i++) b[r.int(b.length)]! ^= 1 << r.int(8);
      return b;
    }
    case 1:
      return b.subarray(0, r.int(b.length + 1));
    case 2: {
      const at = r.int(b.length + 1);
      return Uint8Array.from([...b.subarray(0, at), ...r.bytes(1 + r.int(16)), ...b.subarray(at)]);
    }
    case 3: {
      if (b.length === 0) return b;
      const at = r.int(b.length);
      const len = 1 + r.int(Math.min(64, b.length - at));
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]);
    }
    case 4: {
      // A varint-looking field header with a huge length.
      const at = r.int(b.length + 1);
      return Uint8Array.from([...b.subarray(0, at), 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, ...b.subarray(at)]);
    }
    default:
      for (let i = 0; i < b.length; i++) if (r.next() < 0.01) b[i] = r.int(256);
      return b;
  }
}

// ── the replay target ──────────────────────────────────────────────────────────────────

const corpus = readCorpus(new URL("../../tests/compat/corpus/official-1.24.0.jsonl", import.meta.url).pathname);
const EVENT_TYPES = Object.values(EventType).filter((v): v is EventType => typeof v === "number");

function cloneHistory(h: History): History {
  return create(HistorySchema, structuredClone({ events: h.events }) as never);
}

/** A named event-level mutation. */
function mutateHistory(r: Rand, h: History): { what: string; history: History | Uint8Array } {
  const events = h.events;
  const n = events.length;
  const i = 1 + r.int(Math.max(1, n - 1));
  const at = (k: number) => events[Math.min(k, n - 1)]!;
  switch (r.int(14)) {
    case 0:
      events.splice(i, 1);
      return { what: `drop event ${i + 1}`, history: h };
    case 1:
      events.splice(i, 0, structuredClone(at(i)) as HistoryEvent);
      return { what: `duplicate event ${i + 1}`, history: h };
    case 2: {
      const j = 1 + r.int(Math.max(1, n - 1));
      [events[i], events[j]] = [at(j), at(i)];
      return { what: `swap events ${i + 1} and ${j + 1}`, history: h };
    }
    case 3: {
      const t = r.pick(EVENT_TYPES);
      at(i).eventType = t;
      return { what: `event ${i + 1} retyped ${EventType[t]}`, history: h };
    }
    case 4: {
      const t = r.pick(EVENT_TYPES);
      at(i).eventType = t;
      at(i).attributes = at(r.int(n)).attributes;
      h.events.forEach((e, k) => (e.eventId = BigInt(k + 1)));
      return { what: `event ${i + 1} retyped ${EventType[t]} with other attributes`, history: h };
    }
    case 5:
      at(i).attributes = { case: undefined };
      return { what: `event ${i + 1} without attributes`, history: h };
    case 6:
      at(i).eventId = BigInt(r.int(3) === 0 ? -1 : r.int(n * 2));
      return { what: `event ${i + 1} renumbered`, history: h };
    case 7:
      h.events = events.slice(0, i);
      return { what: `truncated to ${i} events`, history: h };
    case 8: {
      // Drop an event, renumber: the ids pass, the sequence is wrong.
      events.splice(i, 1);
      events.forEach((e, k) => (e.eventId = BigInt(k + 1)));
      return { what: `drop event ${i + 1} and renumber`, history: h };
    }
    case 9: {
      // Point a reference (scheduled/started/initiated event id) somewhere else.
      const e = at(i);
      const v = e.attributes.value as Record<string, unknown> | undefined;
      const keys = v ? Object.keys(v).filter((k) => k.endsWith("EventId")) : [];
      if (v && keys.length > 0) {
        const k = r.pick(keys);
        v[k] = BigInt(r.int(n + 3) - 1);
        return { what: `event ${i + 1} ${k} changed`, history: h };
      }
      events.reverse();
      return { what: "all events reversed", history: h };
    }
    case 10: {
      const a = events[0]!.attributes;
      if (a.case === "workflowExecutionStartedEventAttributes") {
        const field = r.pick(["workflowType", "taskQueue", "input", "originalExecutionRunId", "workflowRunTimeout", "header"] as const);
        (a.value as Record<string, unknown>)[field] = field === "originalExecutionRunId" ? "" : undefined;
        return { what: `started event without ${field}`, history: h };
      }
      return { what: "unchanged", history: h };
    }
    case 11:
      return { what: "serialized, bytes mutated", history: mutateBytes(r, toBinary(HistorySchema, h)) };
    case 12:
      return { what: "random bytes", history: r.bytes(r.int(512)) };
    default: {
      // Two mutations at once.
      const first = mutateHistory(r, h);
      if (first.history instanceof Uint8Array) return first;
      const second = mutateHistory(r, first.history);
      return { what: `${first.what}; ${second.what}`, history: second.history };
    }
  }
}

class Stats {
  readonly outcomes: Record<string, number> = {};
  readonly latencies: number[] = [];
  readonly hangs: string[] = [];
  count(outcome: string, ms: number): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    this.latencies.push(ms);
  }
  report(): TargetReport {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      inputs: this.latencies.length + this.hangs.length,
      outcomes: this.outcomes,
      maxLatencyMs: Math.round(sorted.at(-1) ?? 0),
      p99LatencyMs: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      hangs: this.hangs,
    };
  }
}

function classOf(err: unknown): string {
  // rpc with gRPC status 0: refused by core before sending (a request that does not decode, an unknown method).
  if (err instanceof NativeBridgeError) return `NativeBridgeError:${err.codeName}${err.codeName === "rpc" ? `:grpc${err.details.grpcStatus ?? 0}` : ""}`;
  if (err instanceof Error) return err.name;
  return typeof err;
}

class Hang extends Error {}

async function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Hang(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function fuzzReplay(r: Rand, opts: FuzzOptions): Promise<TargetReport> {
  const stats = new Stats();
  const inputs: { workflowId: string; history: unknown; what: string }[] = [];
  for (let k = 0; k < opts.n; k++) {
    const source = r.pick(corpus);
    const m = mutateHistory(r, cloneHistory(source.history));
    inputs.push({ workflowId: `fuzz-${k}`, history: m.history, what: `${source.workflowId}: ${m.what}` });
  }
  // Batches through one replay worker each, as users replay many histories.
  const batch = 25;
  for (let start = 0; start < inputs.length; start += batch) {
    const slice = inputs.slice(start, start + batch);
    const it = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, slice)[Symbol.asyncIterator]();
    for (let k = 0; k < slice.length; k++) {
      const t0 = performance.now();
      try {
        const next = await bounded(it.next(), opts.timeoutMs);
        if (next.done) throw new Error(`runReplayHistories ended after ${k} of ${slice.length} histories`);
        stats.count(next.value.error ? next.value.error.name : "ok", performance.now() - t0);
      } catch (err) {
        if (err instanceof Hang) {
          stats.hangs.push(`${slice[k]!.workflowId} (${slice[k]!.what})`);
          return stats.report(); // the iterator is stuck; nothing more can be learnt from it
        }
        throw err;
      }
    }
    await bounded(it.return!(undefined), opts.timeoutMs);
    opts.log?.(`replay: ${Math.min(start + batch, inputs.length)}/${inputs.length}`);
  }
  return stats.report();
}

// ── the activation-completion target ───────────────────────────────────────────────────

const replayOptions = (taskQueue: string): NativeWorkerOptions => ({
  namespace: "default",
  taskQueue,
  maxCachedWorkflows: 1,
  workflowSlots: 1,
  enableWorkflows: true,
  enableActivities: false,
  enableLocalActivities: false,
  workflowPollers: { maximum: 2 },
});

function garbageCompletion(r: Rand, runId: string): { what: string; bytes: Uint8Array } {
  const valid = () =>
    toBinary(
      WorkflowActivationCompletionSchema,
      create(WorkflowActivationCompletionSchema, {
        runId: r.int(3) === 0 ? `not-${runId}` : runId,
        status: {
          case: "successful",
          value: {
            commands: [
              { variant: { case: "startTimer" as const, value: { seq: r.int(5), startToFireTimeout: { seconds: BigInt(r.int(100)) } } } },
              { variant: { case: "completeWorkflowExecution" as const, value: {} } },
            ].slice(0, r.int(3)) as never,
          },
        },
      }),
    );
  switch (r.int(4)) {
    case 0:
      return { what: "random bytes", bytes: r.bytes(1 + r.int(256)) };
    case 1:
      return { what: "valid completion, bytes mutated", bytes: mutateBytes(r, valid()) };
    case 2:
      return { what: "valid completion (maybe for another run)", bytes: valid() };
    default:
      return { what: "failed completion, bytes mutated", bytes: mutateBytes(r, toBinary(WorkflowActivationCompletionSchema, create(WorkflowActivationCompletionSchema, { runId, status: { case: "failed", value: { failure: { message: "fuzz" } } } }))) };
  }
}

const DRIVER_POLL_MS = 1_000;

async function fuzzCompletion(r: Rand, opts: FuzzOptions): Promise<TargetReport> {
  const stats = new Stats();
  const rt = Runtime.default();
  let replayer: NativeReplayer | undefined;
  let histories = 0;
  let resets = 0;
  const fresh = () => {
    if (replayer) {
      try {
        replayer.worker.initiateShutdown();
      } catch {
        // retired by a panic, or already shut down: free still works
      }
      replayer.finishPushing();
      replayer.worker.free();
    }
    replayer = NativeReplayer.create(rt.native, replayOptions(`fuzz-completion-${histories}`));
    replayer.push(`fuzz-completion-${histories++}`, toBinary(HistorySchema, r.pick(corpus).history));
  };
  fresh();
  let done = 0;
  while (done < opts.n) {
    // Driver: an activation to complete. A driver poll that does not answer is not a finding
    // (an accepted garbage completion can leave the run waiting); a fresh worker goes on.
    let activation;
    try {
      const polled = await bounded(replayer!.worker.pollWorkflowActivation(), DRIVER_POLL_MS);
      if (polled.kind === "shutdown") {
        fresh();
        continue;
      }
      activation = fromBinary(WorkflowActivationSchema, polled.bytes);
    } catch {
      resets++;
      fresh();
      continue;
    }
    const runId = activation.runId;
    const eviction = activation.jobs.some((j) => j.variant.case === "removeFromCache");
    let accepted = false;
    for (let k = 0; k < 4 && done < opts.n && !eviction; k++) {
      const g = garbageCompletion(r, runId);
      const t0 = performance.now();
      try {
        await bounded(replayer!.worker.completeWorkflowActivation(g.bytes), opts.timeoutMs);
        stats.count("ok", performance.now() - t0);
        accepted = true;
      } catch (err) {
        if (err instanceof Hang) {
          stats.hangs.push(`completion: ${g.what}`);
          return stats.report();
        }
        stats.count(classOf(err), performance.now() - t0);
      }
      done++;
      if (accepted) break;
    }
    if (accepted) continue;
    // Nothing accepted: end the activation properly (empty success; an eviction needs one too).
    try {
      await bounded(replayer!.worker.completeWorkflowActivation(toBinary(WorkflowActivationCompletionSchema, create(WorkflowActivationCompletionSchema, { runId, status: { case: "successful", value: {} } }))), opts.timeoutMs);
    } catch {
      fresh();
      continue;
    }
    if (eviction) fresh();
    if (done % 50 === 0) opts.log?.(`completion: ${done}/${opts.n}`);
  }
  if (replayer) {
    try {
      replayer.worker.initiateShutdown();
    } catch {
      // retired
    }
    replayer.finishPushing();
    replayer.worker.free();
  }
  return { ...stats.report(), driverResets: resets };
}

// ── the push target ────────────────────────────────────────────────────────────────────

async function fuzzPush(r: Rand, opts: FuzzOptions): Promise<TargetReport> {
  const stats = new Stats();
  const rt = Runtime.default();
  for (let k = 0; k < opts.n; k++) {
    // A fresh replayer per input: a panic retires the workers that exist when it happens.
    const replayer = NativeReplayer.create(rt.native, replayOptions(`fuzz-push-${opts.seed}-${k}`));
    const choice = r.int(10);
    const m = choice >= 4 ? mutateHistory(r, cloneHistory(r.pick(corpus).history)).history : undefined;
    const bytes =
      choice === 0 ? new Uint8Array(0) : choice < 3 ? r.bytes(r.int(300)) : choice === 3 ? mutateBytes(r, toBinary(HistorySchema, r.pick(corpus).history)) : m instanceof Uint8Array ? m : toBinary(HistorySchema, m!);
    const t0 = performance.now();
    try {
      replayer.push(`fuzz-push-${k}`, bytes);
      const polled = await bounded(replayer.worker.pollWorkflowActivation(), 3_000);
      stats.count(polled.kind === "task" ? "activation" : "shutdown", performance.now() - t0);
    } catch (err) {
      if (err instanceof Hang) stats.count("stalled", performance.now() - t0);
      else stats.count(classOf(err), performance.now() - t0);
    } finally {
      try {
        replayer.worker.initiateShutdown();
      } catch {
        // finalizing or retired: free still works
      }
      replayer.finishPushing();
      replayer.worker.free();
    }
    if ((k + 1) % 50 === 0) opts.log?.(`push: ${k + 1}/${opts.n}`);
  }
  return stats.report();
}

// ── the rpc target ─────────────────────────────────────────────────────────────────────

/** Read-only methods only: the server may be shared with other tests. */
const READ_ONLY: [RpcServiceName, string][] = [
  ["workflow", "GetSystemInfo"],
  ["workflow", "DescribeNamespace"],
  ["workflow", "ListNamespaces"],
  ["workflow", "DescribeWorkflowExecution"],
  ["workflow", "GetWorkflowExecutionHistory"],
  ["workflow", "ListWorkflowExecutions"],
  ["workflow", "CountWorkflowExecutions"],
  ["workflow", "DescribeTaskQueue"],
  ["workflow", "GetSearchAttributes"],
  ["workflow", "ListSchedules"],
  ["workflow", "GetClusterInfo"],
  ["operator", "ListSearchAttributes"],
  ["health", "Check"],
];

function rpcInput(r: Rand): { service: RpcServiceName; method: string; bytes: Uint8Array; what: string } {
  const valid = [
    toBinary(GetSystemInfoRequestSchema, create(GetSystemInfoRequestSchema)),
    toBinary(DescribeNamespaceRequestSchema, create(DescribeNamespaceRequestSchema, { namespace: "default" })),
    toBinary(ListWorkflowExecutionsRequestSchema, create(ListWorkflowExecutionsRequestSchema, { namespace: "default", pageSize: 1 })),
  ];
  const choice = r.int(10);
  if (choice === 0) {
    const method = String.fromCharCode(...Array.from({ length: 1 + r.int(20) }, () => 33 + r.int(94)));
    return { service: r.pick(["workflow", "operator", "health"] as const), method, bytes: r.bytes(r.int(64)), what: `unknown method ${JSON.stringify(method)}` };
  }
  const [service, method] = r.pick(READ_ONLY);
  const bytes = choice < 5 ? r.bytes(r.int(256)) : mutateBytes(r, r.pick(valid));
  return { service, method, bytes, what: `${service}.${method} with ${choice < 5 ? "random" : "mutated"} bytes` };
}

async function fuzzRpc(r: Rand, opts: FuzzOptions, address: string): Promise<TargetReport> {
  const stats = new Stats();
  const rt = Runtime.default();
  const client = await NativeClient.connect(rt.native, { targetUrl: address, identity: "fuzz" });
  // A server-backed worker (never polled) for activity completions and heartbeats with garbage bytes.
  const worker = NativeWorker.create(client, { namespace: "default", taskQueue: `fuzz-activities-${opts.seed}`, enableWorkflows: false, enableActivities: true, enableLocalActivities: false });
  try {
    for (let k = 0; k < opts.n; k++) {
      const t0 = performance.now();
      const kind = r.int(10);
      let what: string;
      try {
        if (kind < 8) {
          const input = rpcInput(r);
          what = input.what;
          await bounded(client.rpc(input.service, input.method, input.bytes, { timeoutMs: Math.min(5_000, opts.timeoutMs), retry: false }), opts.timeoutMs);
        } else if (kind === 8) {
          what = "activity completion with garbage bytes";
          await bounded(worker.completeActivityTask(r.bytes(1 + r.int(256))), opts.timeoutMs);
        } else {
          what = "activity heartbeat with garbage bytes";
          worker.recordActivityHeartbeat(r.bytes(1 + r.int(256)));
        }
        stats.count("ok", performance.now() - t0);
      } catch (err) {
        if (err instanceof Hang) {
          stats.hangs.push(`rpc #${k}`);
          return stats.report();
        }
        stats.count(classOf(err), performance.now() - t0);
      }
      void what!;
      if ((k + 1) % 100 === 0) opts.log?.(`rpc: ${k + 1}/${opts.n}`);
    }
  } finally {
    try {
      worker.initiateShutdown();
      await bounded(worker.pollActivityTask().catch(() => undefined), opts.timeoutMs).catch(() => undefined);
    } finally {
      worker.free();
      client.free();
    }
  }
  return stats.report();
}

// ── driver ─────────────────────────────────────────────────────────────────────────────

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = performance.now();
  const before = corePanics();
  const report: FuzzReport = { seed: opts.seed, n: opts.n, durationMs: 0, corePanics: 0, callsFailedByPanics: 0, targets: {} };
  // Each target draws from its own stream, so adding inputs to one does not shift the others.
  const streams = { replay: 1, completion: 2, rpc: 3, push: 4 } as const;
  for (const target of opts.targets) {
    const r = new Rand(opts.seed * 7919 + streams[target]);
    if (target === "replay") report.targets.replay = await fuzzReplay(r, opts);
    if (target === "completion") report.targets.completion = await fuzzCompletion(r, opts);
    if (target === "push") report.targets.push = await fuzzPush(r, opts);
    if (target === "rpc") {
      if (!opts.address) throw new Error("the rpc target needs a server address");
      report.targets.rpc = await fuzzRpc(r, opts, opts.address);
    }
    opts.log?.(`${target}: ${JSON.stringify(report.targets[target])}`);
  }
  const after = corePanics();
  report.corePanics = after.panics - before.panics;
  report.callsFailedByPanics = after.failedCalls - before.failedCalls;
  report.durationMs = Math.round(performance.now() - t0);
  return report;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.main) {
  const seed = Number(arg("seed") ?? Math.floor(Math.random() * 2 ** 31));
  const n = Number(arg("n") ?? 200);
  const targets = (arg("targets") ?? "replay,completion,rpc,push").split(",") as Target[];
  const timeoutMs = Number(arg("timeout-ms") ?? 15_000);
  const json = process.argv.includes("--json");
  const log = (line: string) => console.error(line);
  log(`fuzz seed ${seed} (rerun with --seed ${seed}), ${n} inputs per target: ${targets.join(", ")}`);
  let address = arg("address");
  let teardown: (() => Promise<void>) | undefined;
  if (targets.includes("rpc") && !address) {
    const { TestWorkflowEnvironment } = await import("../../src/testing/index.js");
    const env = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error" } });
    address = env.address;
    teardown = () => env.teardown();
  }
  let code = 0;
  try {
    const report = await runFuzz({ seed, n, targets, address, timeoutMs, log });
    const hangs = Object.values(report.targets).flatMap((t) => t.hangs);
    if (json) console.log(JSON.stringify(report));
    else {
      console.log(`seed ${report.seed}: ${report.durationMs} ms, core panics ${report.corePanics} (calls they failed: ${report.callsFailedByPanics})`);
      for (const [t, rep] of Object.entries(report.targets)) {
        console.log(`${t.padEnd(10)} inputs ${rep.inputs}  max ${rep.maxLatencyMs} ms  p99 ${rep.p99LatencyMs} ms  hangs ${rep.hangs.length}`);
        for (const [k, v] of Object.entries(rep.outcomes).sort((a, b) => b[1] - a[1])) console.log(`           ${String(v).padStart(6)}  ${k}`);
      }
    }
    if (hangs.length > 0) {
      console.error(`HANG (seed ${seed}): ${hangs.join("; ")}`);
      code = 2;
    }
  } catch (err) {
    console.error(`fuzz harness failed (seed ${seed}):`, err);
    code = 1;
  } finally {
    await teardown?.();
  }
  process.exit(code);
}
