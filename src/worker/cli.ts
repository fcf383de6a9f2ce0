/**
 * `temporal-bun-worker` (bin/temporal-bun-worker.ts, `bun run start-worker`): runs a worker
 * for a workflows module and an activities module until SIGINT/SIGTERM.
 *
 * Configuration comes from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_TASK_QUEUE, TLS / API key variables) through `loadTemporalConfig`. Prints one
 * ready line; exit code 0 after a clean shutdown, otherwise 1 with a one-line reason.
 * A second signal during shutdown exits at once (130 for SIGINT, 143 for SIGTERM).
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

Runs a Temporal worker until SIGINT/SIGTERM (a second signal exits immediately).

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

Exit code: 0 after a clean shutdown, 1 with a one-line reason otherwise.`;

interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
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
  try {
    if (!isZigBridgeEnabled()) throw bridgeDisabledError("temporal-bun-worker");
    const config = await loadTemporalConfig();
    const workflowsPath = path.resolve(args.values.workflows ?? DEFAULT_WORKFLOWS);
    const activitiesPath = path.resolve(args.values.activities ?? DEFAULT_ACTIVITIES);
    const taskQueue = args.values["task-queue"] ?? config.taskQueue;
    if (taskQueue === undefined || taskQueue === "") {
      // No default on purpose: a worker polling a queue nobody starts workflows on would look healthy and do nothing.
      throw new Error("no task queue: pass --task-queue <name> or set TEMPORAL_TASK_QUEUE");
    }
    const lib = loadNativeLibrary();
    const activities = await importActivities(activitiesPath);
    const connection = await NativeConnection.connect({
      address: config.address,
      tls: config.tls,
      apiKey: config.apiKey,
      identity: config.identity,
    });
    let worker: Worker;
    try {
      worker = await Worker.create({ connection, namespace: config.namespace, taskQueue, workflowsPath, activities, identity: config.identity });
    } catch (err) {
      await connection.close();
      throw err;
    }
    io.out(
      `temporal-bun-worker ready: address=${config.address} namespace=${config.namespace} taskQueue=${taskQueue} ` +
        `bridge=${bridgeVariant()} library=${lib.path} (ABI ${lib.abiVersion}) workflows=${workflowsPath} activities=${activitiesPath} pid=${process.pid}`,
    );
    try {
      await worker.run();
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

async function importActivities(file: string): Promise<Record<string, (...args: unknown[]) => unknown>> {
  const mod = (await import(file)) as Record<string, unknown>;
  const activities: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function") activities[name] = value as (...args: unknown[]) => unknown;
  }
  return activities;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name === "Error" ? "" : err.name + ": "}${err.message}` : String(err);
  return text.replace(/\s*\n\s*/g, " | ");
}
