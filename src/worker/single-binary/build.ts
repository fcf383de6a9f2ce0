/**
 * `temporal-bun-worker build`: one executable (Bun.build with `compile`) that runs a worker on
 * a machine with no Bun, no node_modules and no native build.
 *
 *   --workflows ──bundleWorkflowCode──▶ workflow-bundle.js ──text import──┐
 *   --activities ─────────────────── dynamic import, compiled in ─────────┤
 *   bridge library (the one this SDK loads) ──gzip──▶ file import ────────┼─▶ entry.ts ─Bun.build compile─▶ -o
 *   manifest (versions, paths, library hash and size) ────────────────────┘
 *
 * The entry calls run.ts's runCompiledWorker, which writes the library to a cache folder
 * (native-cache.ts) and runs the worker like the CLI does. Everything the build writes apart
 * from the executable lives in a temporary folder removed at the end.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadNativeLibrary } from "../../bridge/index.js";
import { SDK_VERSION } from "../sdk-version.js";
import { WorkflowBundleError, bundleWorkflowCode } from "../workflow/bundler.js";
import { DEFAULT_ACTIVITIES, DEFAULT_WORKFLOWS, oneLine, type CliIo } from "../cli.js";
import type { CompiledWorkerManifest } from "./run.js";

const RUN_MODULE = path.join(import.meta.dir, "run.ts");

export interface BuildWorkerOptions {
  /** Module exporting the workflow functions (bundled now); at least one of the two modules is needed. */
  workflowsPath?: string;
  /** Module exporting the activity functions (compiled in). */
  activitiesPath?: string;
  /** The executable to write. */
  outfile: string;
  /** The executable's task queue when neither --task-queue nor TEMPORAL_TASK_QUEUE is given. */
  taskQueue?: string;
}

export interface BuiltWorker {
  outfile: string;
  /** Size of the executable. */
  bytes: number;
  /** Size of the embedded workflow bundle's code (0 without workflows). */
  bundleBytes: number;
  /** The library embedded: where it was read, its size and its size once gzip-compressed. */
  libraryPath: string;
  libraryBytes: number;
  libraryCompressedBytes: number;
  librarySha256: string;
  buildTimeMs: number;
}

/** A build that cannot be made; `option` is the command-line option at fault (or "build"). */
export class WorkerBuildError extends Error {
  override name = "WorkerBuildError";
  constructor(
    readonly option: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** An existing file, or a WorkerBuildError naming the option. */
function moduleFile(option: string, file: string): string {
  const resolved = path.resolve(file);
  let st;
  try {
    st = statSync(resolved);
  } catch {
    throw new WorkerBuildError(option, `${option} ${file}: no such file (${resolved})`);
  }
  if (!st.isFile()) throw new WorkerBuildError(option, `${option} ${file}: not a file (${resolved})`);
  return resolved;
}

/**
 * The executable's path, its folder created if needed; refused before the (seconds-long) build
 * when it cannot be written.
 */
function outputFile(file: string): string {
  if (file === "") throw new WorkerBuildError("-o", "-o: expected the path of the executable to write, got an empty string");
  const resolved = path.resolve(file);
  const existing = statOrUndefined(resolved);
  if (existing?.isDirectory()) throw new WorkerBuildError("-o", `-o ${file}: is a directory; give the path of the executable to write`);
  const dir = path.dirname(resolved);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    if (existing) accessSync(resolved, constants.W_OK);
  } catch (err) {
    throw new WorkerBuildError("-o", `-o ${file}: cannot write there: ${(err as Error).message}`, { cause: err });
  }
  return resolved;
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** Builds the executable; throws WorkerBuildError (or the loader's NativeBridgeError when no bridge library loads). */
export async function buildWorkerBinary(o: BuildWorkerOptions): Promise<BuiltWorker> {
  const started = performance.now();
  if (o.workflowsPath === undefined && o.activitiesPath === undefined) {
    throw new WorkerBuildError("--workflows", "nothing to build: give --workflows and/or --activities");
  }
  if (o.taskQueue !== undefined && o.taskQueue.trim() === "") throw new WorkerBuildError("--task-queue", `--task-queue: expected a task queue name, got ${JSON.stringify(o.taskQueue)}`);
  const workflowsPath = o.workflowsPath === undefined ? undefined : moduleFile("--workflows", o.workflowsPath);
  const activitiesPath = o.activitiesPath === undefined ? undefined : moduleFile("--activities", o.activitiesPath);
  const outfile = outputFile(o.outfile);

  let bundleCode: string | undefined;
  if (workflowsPath !== undefined) {
    try {
      bundleCode = (await bundleWorkflowCode({ workflowsPath })).code;
    } catch (err) {
      if (!(err instanceof WorkflowBundleError)) throw err;
      throw new WorkerBuildError("--workflows", `--workflows ${o.workflowsPath}: the workflow code does not bundle: ${err.message}`, { cause: err });
    }
  }

  // The library this SDK would load here, checked (it loads, its ABI matches) before it is embedded.
  const library = loadNativeLibrary({ what: "temporal-bun-worker build" });
  const libraryBytes = await Bun.file(library.path).bytes();
  const librarySha256 = new Bun.CryptoHasher("sha256").update(libraryBytes).digest("hex");
  // gzip: about a third of the size; decompressed once per machine and build (native-cache.ts).
  const compressed = Bun.gzipSync(libraryBytes, { level: 6 });
  const fileName = path.basename(library.path);

  const work = mkdtempSync(path.join(tmpdir(), "temporal-bun-worker-build-"));
  try {
    const manifest: CompiledWorkerManifest = {
      sdkVersion: SDK_VERSION,
      builtAt: new Date().toISOString(),
      workflowsPath,
      activitiesPath,
      taskQueue: o.taskQueue,
      library: { fileName, sha256: librarySha256, bytes: libraryBytes.byteLength },
    };
    if (bundleCode !== undefined) writeFileSync(path.join(work, "workflow-bundle.js"), bundleCode);
    writeFileSync(path.join(work, `${fileName}.gz`), compressed);
    const entry = path.join(work, "entry.ts");
    writeFileSync(entry, entrySource(manifest, bundleCode !== undefined, activitiesPath, `./${fileName}.gz`));
    const result = await Bun.build({
      entrypoints: [entry],
      target: "bun",
      // Not minified: activity and workflow names, and stack traces, stay readable. The source
      // map is embedded (stack traces name the original files); the copy Bun also writes beside
      // the executable is removed below.
      sourcemap: "linked",
      // A worker reads its configuration from the environment (and .env, like `bun`), never from
      // a bunfig.toml, tsconfig.json or package.json that happens to be in its working folder.
      compile: { outfile, autoloadBunfig: false, autoloadTsconfig: false, autoloadPackageJson: false },
      // Parsed at build time: the SDK's modules (generated protobuf code, zod) load in
      // about 80 ms less per start (measured: --help 290 vs 375 ms median), for +3 MB.
      bytecode: true,
      format: "esm",
      throw: false,
    });
    if (!result.success) {
      const logs = result.logs.map((l) => `  ${l.message}${l.position ? ` (${l.position.file}:${l.position.line})` : ""}`).join("\n");
      throw new WorkerBuildError("build", `bun build --compile failed:\n${logs}`);
    }
    for (const output of result.outputs) if (output.kind === "sourcemap") rmSync(output.path, { force: true });
    return {
      outfile,
      bytes: statSync(outfile).size,
      bundleBytes: bundleCode?.length ?? 0,
      libraryPath: library.path,
      libraryBytes: libraryBytes.byteLength,
      libraryCompressedBytes: compressed.byteLength,
      librarySha256,
      buildTimeMs: performance.now() - started,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The generated entry of the executable. */
function entrySource(manifest: CompiledWorkerManifest, hasBundle: boolean, activitiesPath: string | undefined, libraryImport: string): string {
  const lines = [
    "// Generated by temporal-bun-worker build.",
    `import { runCompiledWorker } from ${JSON.stringify(RUN_MODULE)};`,
    hasBundle ? `import workflowBundle from "./workflow-bundle.js" with { type: "text" };` : "const workflowBundle = undefined;",
    `import nativeLibrary from ${JSON.stringify(libraryImport)} with { type: "file" };`,
    `const manifest = ${JSON.stringify(manifest)};`,
    // A dynamic import: the activities module's top-level code runs after the configuration is checked, as in the CLI.
    activitiesPath === undefined ? "const activities = undefined;" : `const activities = () => import(${JSON.stringify(activitiesPath)});`,
    "process.exit(await runCompiledWorker(process.argv.slice(2), { manifest, workflowBundle, activities, nativeLibrary }));",
  ];
  return lines.join("\n") + "\n";
}

export const BUILD_HELP = `Usage: temporal-bun-worker build [--workflows <path>] [--activities <path>] [--task-queue <name>] -o <file>

Compiles a worker into one executable (bun build --compile) that runs on a machine with no Bun
installed. It embeds:
  - the workflow bundle, made now from --workflows (code that does not bundle fails the build),
  - the activities module, compiled in,
  - the native bridge library this SDK loads (TEMPORAL_BUN_SDK_NATIVE_PATH, the platform
    package or the repository's build), gzip-compressed. On its first start the executable
    writes it to $XDG_CACHE_HOME/temporal-bun-sdk/native/<hash>/ (else ~/.cache/..., else
    <temp folder>/temporal-bun-sdk-<uid>/...) and loads it from there.
The executable reads the same environment as temporal-bun-worker (TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TLS and API key), takes --task-queue, prints the same
ready line and shuts down cleanly on SIGINT/SIGTERM.

Options:
  --workflows <path>    module exporting workflow functions (default: the package's samples/workflows.ts)
  --activities <path>   module exporting activity functions (default: the package's samples/activities.ts)
  --task-queue <name>   the executable's task queue when it is given neither --task-queue nor TEMPORAL_TASK_QUEUE
  -o, --outfile <path>  the executable to write (required)
  -h, --help            show this help

Exit code: 0 when the executable was written, 1 with a one-line reason otherwise.`;

/** `temporal-bun-worker build …`; resolves with the exit code. */
export async function buildMain(argv: string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        workflows: { type: "string" },
        activities: { type: "string" },
        "task-queue": { type: "string" },
        outfile: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    io.err(`temporal-bun-worker build: ${err instanceof Error ? err.message : String(err)} (see --help)`);
    return 1;
  }
  if (args.values.help) {
    io.out(BUILD_HELP);
    return 0;
  }
  if (args.values.outfile === undefined) {
    io.err("temporal-bun-worker build: missing -o <file>: the path of the executable to write (see --help)");
    return 1;
  }
  try {
    const built = await buildWorkerBinary({
      workflowsPath: args.values.workflows ?? DEFAULT_WORKFLOWS,
      activitiesPath: args.values.activities ?? DEFAULT_ACTIVITIES,
      outfile: args.values.outfile,
      taskQueue: args.values["task-queue"],
    });
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    io.out(
      `temporal-bun-worker build: wrote ${built.outfile} (${mb(built.bytes)}; workflow bundle ${(built.bundleBytes / 1e3).toFixed(0)} KB, ` +
        `library ${built.libraryPath} ${mb(built.libraryBytes)}, ${mb(built.libraryCompressedBytes)} gzipped) in ${(built.buildTimeMs / 1000).toFixed(1)} s`,
    );
    return 0;
  } catch (err) {
    io.err(`temporal-bun-worker build: ${oneLine(err)}`);
    return 1;
  }
}
