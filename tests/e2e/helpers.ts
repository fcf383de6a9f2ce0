/**
 * End-to-end helpers: real Workers on the shared dev server (tests/helpers/dev-server.ts),
 * the SDK's client, and replay of every finished workflow's history.
 */
import { expect } from "bun:test";
import { Worker, bundleWorkflowCode, type WorkerOptions, type WorkflowBundle } from "../../src/worker/index.js";
import type { Client, WorkflowHandle } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { History, HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { testEnv } from "../helpers/dev-server.js";
import * as activities from "./fixtures/activities.js";

export const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
export const uid = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

const bundles = new Map<string, Promise<WorkflowBundle>>();

/** One bundle per fixture file per process (bundling is the slow part of Worker.create). */
export function bundle(file: string): Promise<WorkflowBundle> {
  let b = bundles.get(file);
  if (!b) bundles.set(file, (b = bundleWorkflowCode({ workflowsPath: fixture(file) })));
  return b;
}

export async function env() {
  return testEnv();
}

export async function client(): Promise<Client> {
  return (await testEnv()).client;
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Shuts the worker down and waits for run() to end (rethrows its error). */
  stop(): Promise<void>;
}

/** Creates and runs a worker for `file` on a fresh task queue (or `options.taskQueue`). */
export async function startWorker(file: string, options: Partial<WorkerOptions> = {}): Promise<RunningWorker> {
  const e = await testEnv();
  const taskQueue = options.taskQueue ?? uid(file.replace(/\.ts$/, ""));
  const worker = await Worker.create({
    connection: e.connection,
    taskQueue,
    workflowBundle: await bundle(file),
    activities,
    shutdownSignals: [],
    ...options,
  });
  const running = worker.run();
  running.catch(() => undefined); // observed by stop()
  return {
    worker,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

/** Replays the workflow's history (fetched from the server) with the code of `file`; throws what replay throws. */
export async function replay(handle: WorkflowHandle, file: string, workflowId = handle.workflowId): Promise<History> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await bundle(file) }, history, workflowId);
  return history;
}

/** Replays and expects success (the end of every end-to-end test). */
export async function expectReplays(handle: WorkflowHandle, file: string): Promise<History> {
  const history = await replay(handle, file);
  expect(history.events.length).toBeGreaterThan(2);
  return history;
}

/** Polls the workflow's history until `predicate` holds for one of its events. */
export async function waitForEvent(handle: WorkflowHandle, predicate: (e: HistoryEvent) => boolean, what: string, timeoutMs = 15_000): Promise<HistoryEvent> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const history = await handle.fetchHistory();
    const event = history.events.find(predicate);
    if (event) return event;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} in ${handle.workflowId}`);
    await Bun.sleep(50);
  }
}

export const isType = (type: EventType) => (e: HistoryEvent) => e.eventType === type;

export interface LogLine {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}

/**
 * Records what the shared connection's runtime logger receives (the logger workers on it
 * use), still passing lines on. Returns the lines and a function that stops recording.
 */
export async function captureWorkerLog(): Promise<{ lines: LogLine[]; restore: () => void }> {
  const logger = (await testEnv()).connection.runtime.logger as unknown as Record<string, (m: string, meta?: Record<string, unknown>) => void>;
  const lines: LogLine[] = [];
  const levels = ["trace", "debug", "info", "warn", "error"] as const;
  const originals = levels.map((l) => [l, Object.prototype.hasOwnProperty.call(logger, l) ? logger[l] : undefined] as const);
  for (const level of levels) {
    const original = logger[level]!.bind(logger);
    logger[level] = (message, meta) => {
      lines.push({ level, message, meta });
      original(message, meta);
    };
  }
  return {
    lines,
    restore() {
      for (const [l, f] of originals) {
        if (f === undefined) delete logger[l];
        else logger[l] = f;
      }
    },
  };
}

export { activities };
