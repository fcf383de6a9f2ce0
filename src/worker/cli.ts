/**
 * `temporal-bun-worker` (bin/temporal-bun-worker.ts, `bun run start-worker`): runs a worker
 * for a workflows module and an activities module until SIGINT/SIGTERM.
 *
 * Configuration comes from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_TASK_QUEUE, TLS / API key variables) through `loadTemporalConfig`. Prints one
 * ready line; exit code 0 after a clean shutdown, otherwise 1 with a one-line reason.
 * A second signal during shutdown exits at once (130 for SIGINT, 143 for SIGTERM).
 *
 * `temporal-bun-worker build …` compiles the same worker into one executable
 * (single-binary/build.ts); that executable runs through runWorker below, like the CLI.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { loadNativeLibrary, bridgeVariant, isZigBridgeEnabled, bridgeDisabledError } from "../bridge/index.js";
import { loadTemporalConfig } from "../common/config.js";
import { NativeConnection } from "./connection.js";
import { Worker } from "./worker.js";

const PACKAGE_ROOT = path.resolve(import.meta.dir, "../..");
export const DEFAULT_WORKFLOWS = path.join(PACKAGE_ROOT, "samples", "workflows.ts");
export const DEFAULT_ACTIVITIES = path.join(PACKAGE_ROOT, "samples", "activities.ts");

export const HELP = `Usage: temporal-bun-worker [--workflows <path>] [--activities <path>] [--task-queue <name>]
       temporal-bun-worker build [--workflows <path>] [--activities <path>] [--task-queue <name>] -o <file>

Runs a Temporal worker until SIGINT/SIGTERM (a second signal exits immediately).
\`build\` compiles the same worker into one executable that runs without Bun installed
(see \`temporal-bun-worker build --help\`).

Options:
  --workflows <path>    module exporting workflow functions (default: the package's samples/workflows.ts)
  --activities <path>   module exporting activity functions (default: the package's samples/activities.ts)
  --task-queue <name>   task queue to poll (overrides TEMPORAL_TASK_QUEUE; one of the two is required)
  -h, --help            show this help

Environment:
  TEMPORAL_ADDRESS      host:port of the Temporal frontend (default 127.0.0.1:7233)
  TEMPORAL_NAMESPACE    namespace (default "default")
  TEMPORAL_TASK_QUEUE   task queue to poll (required unless --task-queue is given)
  TEMPORAL_IDENTITY     worker identity (default pid@hostname)
  TEMPORAL_API_KEY, TEMPORAL_TLS*   TLS and API-key settings (see README)
  TEMPORAL_BUN_SDK_USE_ZIG          unset = auto, 1/true/on = required, 0/false/off = disabled
  TEMPORAL_BUN_SDK_NATIVE_PATH      the native bridge library to load (default: found by the SDK)

Exit code: 0 after a clean shutdown, 1 with a one-line reason otherwise.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  if (argv[0] === "build") {
    // Loaded only for this subcommand: it pulls in Bun.build, which a running worker never needs.
    const { buildMain } = await import("./single-binary/build.js");
    return buildMain(argv.slice(1), io);
  }
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        workflows: { type: "string" },
        activities: { type: "string" },
        "task-queue": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    io.err(`temporal-bun-worker: ${err instanceof Error ? err.message : String(err)} (see --help)`);
    return 1;
  }
  if (args.values.help) {
    io.out(HELP);
    return 0;
  }
  const workflowsPath = path.resolve(args.values.workflows ?? DEFAULT_WORKFLOWS);
  const activitiesPath = path.resolve(args.values.activities ?? DEFAULT_ACTIVITIES);
  return runWorker(
    {
      workflowsPath,
      activities: () => importActivities(activitiesPath),
      workflowsLabel: workflowsPath,
      activitiesLabel: activitiesPath,
      taskQueueFlag: args.values["task-queue"],
    },
    io,
  );
}

export type ActivityFunctions = Record<string, (...args: unknown[]) => unknown>;

/** Where a worker's code comes from: the CLI's module paths, or what a compiled worker embeds. */
export interface WorkerCode {
  workflowsPath?: string;
  /** A bundle made by bundleWorkflowCode (a compiled worker's), instead of workflowsPath. */
  workflowBundle?: { code: string };
  /** Called once the configuration is known to be valid: importing activities runs user code. */
  activities: () => Promise<ActivityFunctions>;
  /** How the ready line names the workflows and activities. */
  workflowsLabel: string;
  activitiesLabel: string;
  /** --task-queue, which wins over TEMPORAL_TASK_QUEUE. */
  taskQueueFlag?: string;
  /** Used when neither --task-queue nor TEMPORAL_TASK_QUEUE is given (a compiled worker's build-time queue). */
  defaultTaskQueue?: string;
}

/**
 * Connects, creates the worker, prints the ready line and runs until SIGINT/SIGTERM; resolves
 * with the exit code. Shared by the CLI and compiled workers, so both read the same
 * configuration and print the same lines.
 */
export async function runWorker(code: WorkerCode, io: CliIo = stdio): Promise<number> {
  try {
    if (!isZigBridgeEnabled()) throw bridgeDisabledError("temporal-bun-worker");
    const config = await loadTemporalConfig();
    const taskQueue = code.taskQueueFlag ?? config.taskQueue ?? code.defaultTaskQueue;
    if (taskQueue === undefined || taskQueue === "") {
      // No default on purpose: a worker polling a queue nobody starts workflows on would look healthy and do nothing.
      throw new Error("no task queue: pass --task-queue <name> or set TEMPORAL_TASK_QUEUE");
    }
    const lib = loadNativeLibrary();
    const activities = await code.activities();
    const connection = await NativeConnection.connect({
      address: config.address,
      tls: config.tls,
      apiKey: config.apiKey,
      identity: config.identity,
    });
    let worker: Worker;
    try {
      worker = await Worker.create({
        connection,
        namespace: config.namespace,
        taskQueue,
        ...(code.workflowBundle ? { workflowBundle: code.workflowBundle } : { workflowsPath: code.workflowsPath }),
        activities,
        identity: config.identity,
      });
    } catch (err) {
      await connection.close();
      throw err;
    }
    // run() registers the SIGINT/SIGTERM handlers synchronously. Registered before the ready
    // line is printed, a signal sent as soon as the line is read shuts down cleanly; with the
    // line printed first, such a signal killed the process (exit 143).
    const running = worker.run();
    io.out(
      `temporal-bun-worker ready: address=${config.address} namespace=${config.namespace} taskQueue=${taskQueue} ` +
        `bridge=${bridgeVariant()} library=${lib.path} (ABI ${lib.abiVersion}) workflows=${code.workflowsLabel} activities=${code.activitiesLabel} pid=${process.pid}`,
    );
    try {
      await running;
    } finally {
      await connection.close();
    }
    io.out("temporal-bun-worker: shut down cleanly");
    return 0;
  } catch (err) {
    io.err(`temporal-bun-worker: ${oneLine(err)}`);
    return 1;
  }
}

/** The functions a module exports, as activities (the CLI's rule for --activities). */
export function activityFunctions(mod: Record<string, unknown>): ActivityFunctions {
  const activities: ActivityFunctions = {};
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function") activities[name] = value as (...args: unknown[]) => unknown;
  }
  return activities;
}

async function importActivities(file: string): Promise<ActivityFunctions> {
  return activityFunctions((await import(file)) as Record<string, unknown>);
}

/** An error as one line: the CLI's and compiled workers' failures are one line each. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name === "Error" ? "" : err.name + ": "}${err.message}` : String(err);
  return text.replace(/\s*\n\s*/g, " | ");
}
