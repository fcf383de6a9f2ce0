/**
 * The start of a worker compiled by `temporal-bun-worker build` (build.ts writes the entry that
 * calls runCompiledWorker with what it embedded).
 *
 * It writes the embedded bridge library to a cache folder (native-cache.ts), points
 * TEMPORAL_BUN_SDK_NATIVE_PATH at it before anything loads the library, and then runs the
 * worker through the CLI's own runWorker: the same configuration, the same ready line, the same
 * clean shutdown on SIGINT/SIGTERM and the same exit codes as `temporal-bun-worker`.
 */
import { parseArgs } from "node:util";
import { NATIVE_PATH_ENV } from "../../bridge/index.js";
import { activityFunctions, oneLine, runWorker, type CliIo } from "../cli.js";
import { extractNativeLibrary, type EmbeddedLibrary } from "./native-cache.js";

/** What build.ts records in the executable besides the code itself. */
export interface CompiledWorkerManifest {
  sdkVersion: string;
  /** ISO time of the build. */
  builtAt: string;
  /** The modules it was built from (absolute paths on the build machine), for the ready line and --help. */
  workflowsPath?: string;
  activitiesPath?: string;
  /** `build --task-queue`: used when neither --task-queue nor TEMPORAL_TASK_QUEUE is given. */
  taskQueue?: string;
  library: Omit<EmbeddedLibrary, "embeddedPath">;
}

export interface CompiledWorker {
  manifest: CompiledWorkerManifest;
  /** The workflow bundle's code (bundleWorkflowCode), embedded as text. */
  workflowBundle?: string;
  /** Imports the compiled-in activities module (a dynamic import, so it runs after the configuration is checked). */
  activities?: () => Promise<Record<string, unknown>>;
  /** Path of the gzip-compressed library inside the executable. */
  nativeLibrary: string;
}

const stdio: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export function compiledWorkerHelp(m: CompiledWorkerManifest): string {
  return `Usage: ${programName()} [--task-queue <name>]

A Temporal worker compiled by temporal-bun-worker build (temporal-bun-sdk ${m.sdkVersion}, ${m.builtAt}).
Runs until SIGINT/SIGTERM (a second signal exits immediately).

Built in:
  workflows   ${m.workflowsPath ?? "(none)"}
  activities  ${m.activitiesPath ?? "(none)"}
  library     ${m.library.fileName} (sha256 ${m.library.sha256.slice(0, 16)}…), written on first start to
              $XDG_CACHE_HOME/temporal-bun-sdk/native/<hash>/ (else ~/.cache/…, else the temp folder)

Options:
  --task-queue <name>   task queue to poll (overrides TEMPORAL_TASK_QUEUE${m.taskQueue ? `; built-in default "${m.taskQueue}"` : "; one of the two is required"})
  -h, --help            show this help

Environment: as temporal-bun-worker (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
TEMPORAL_IDENTITY, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_BUN_SDK_USE_ZIG);
TEMPORAL_BUN_SDK_NATIVE_PATH, when set, is loaded instead of the built-in library.

Exit code: 0 after a clean shutdown, 1 with a one-line reason otherwise.`;
}

function programName(): string {
  const self = process.argv[1] ?? "worker";
  return self.slice(self.lastIndexOf("/") + 1) || "worker";
}

/** Runs a compiled worker; resolves with the process exit code. */
export async function runCompiledWorker(argv: string[], w: CompiledWorker, io: CliIo = stdio): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { "task-queue": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const builtIn = /--workflows|--activities/.test(why) ? " (this worker's workflows and activities are built in)" : "";
    io.err(`temporal-bun-worker: ${why}${builtIn} (see --help)`);
    return 1;
  }
  if (args.values.help) {
    io.out(compiledWorkerHelp(w.manifest));
    return 0;
  }
  // An explicit library wins, as everywhere in the SDK (a debug build, a patched library).
  if (!process.env[NATIVE_PATH_ENV]) {
    try {
      const lib = await extractNativeLibrary({ ...w.manifest.library, embeddedPath: w.nativeLibrary });
      process.env[NATIVE_PATH_ENV] = lib.path;
    } catch (err) {
      io.err(`temporal-bun-worker: ${oneLine(err)}`);
      return 1;
    }
  }
  const { activities } = w;
  return runWorker(
    {
      workflowBundle: w.workflowBundle === undefined ? undefined : { code: w.workflowBundle },
      activities: async () => (activities ? activityFunctions(await activities()) : {}),
      workflowsLabel: w.manifest.workflowsPath ? `embedded:${w.manifest.workflowsPath}` : "(none)",
      activitiesLabel: w.manifest.activitiesPath ? `embedded:${w.manifest.activitiesPath}` : "(none)",
      taskQueueFlag: args.values["task-queue"],
      defaultTaskQueue: w.manifest.taskQueue,
    },
    io,
  );
}
