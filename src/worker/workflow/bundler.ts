/**
 * bundleWorkflowCode: the user's workflows module plus the workflow API, bundled in memory
 * with Bun.build into one CommonJS script the sandbox evaluates once and instantiates per run.
 *
 * - `temporal-bun-sdk/workflow` resolves to src/workflow (this package's copy).
 * - src/common is not bundled: the bundle `require`s it and the sandbox hands in the host's
 *   module, so failure classes are the same objects in workflow code and in the worker.
 * - Node/Bun built-in modules (node:fs, node:net, bun:ffi, …) are rejected, with the chain of
 *   imports that reached them; `ignoreModules` replaces listed modules with an empty stub
 *   (for modules imported only for their types).
 * - `payloadConverterPath` / `failureConverterPath` modules are bundled too (as the official
 *   bundler aliases them into the webpack bundle), so workflow code converts with its own
 *   sandboxed, per-run copy of the user's converter.
 * - The code starts with a header comment (BUNDLE_HEADER + JSON: format, SDK version, paths), so
 *   a bundle written to a file and passed back as `workflowBundle: { codePath }` or `{ code }`
 *   is recognised (parseWorkflowBundle), and anything else is refused before it runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import type { BunPlugin } from "bun";
import { requireConverterModule, resolveConverterPath } from "../../common/converter-module.js";
import * as hostCommon from "../../common/index.js";
import { checkOptions, converterFromModule, type ConverterPathOption, type OptionsShape } from "../../common/index.js";
import { COMMON_MODULE_ID } from "./sandbox.js";
import { sourceMapCommentFor } from "./source-map.js";
import { SDK_VERSION } from "../sdk-version.js";

export interface BundleOptions {
  /** Path of the module that exports the workflow functions. */
  workflowsPath: string;
  /** Module specifiers to replace with an empty module instead of rejecting / bundling them. */
  ignoreModules?: string[];
  /** Module with a `payloadConverter` named export, bundled for workflow-side conversion (as @temporalio/worker). */
  payloadConverterPath?: string;
  /** Module with a `failureConverter` named export, bundled likewise. */
  failureConverterPath?: string;
  /**
   * Modules exporting `interceptors(): WorkflowInterceptors` (official option), bundled and
   * instantiated with each run; their factories are called once per run, in this order.
   */
  workflowInterceptorModules?: string[];
}

/**
 * A workflow bundle: `code` as bundleWorkflowCode made it (header first), as @temporalio/worker's
 * `WorkflowBundle` ({ code }). The other fields are filled in once the header is read.
 */
export interface WorkflowBundle {
  /** CommonJS code, starting with the bundle header; see sandbox.ts for how it is evaluated. */
  code: string;
  workflowsPath?: string;
  /** Wall time Bun.build took, in ms (0 for a bundle read back from code). */
  bundleTimeMs?: number;
  /** The converter modules bundled in (absolute paths), from the header. */
  payloadConverterPath?: string;
  failureConverterPath?: string;
  /** The workflow interceptor modules bundled in (absolute paths), from the header. */
  workflowInterceptorModules?: string[];
  sourceMap?: string;
}

/** What bundleWorkflowCode returns (the official name; the official fields are `code` and `sourceMap`). */
export interface WorkflowBundleWithSourceMap extends WorkflowBundle {
  workflowsPath: string;
  bundleTimeMs: number;
  /**
   * Kept for scripts written for @temporalio/worker, whose result has a (deprecated, unused)
   * `sourceMap` string they may write to a file: the source map is inline in `code`.
   */
  sourceMap: string;
}

/** `workflowBundle: { codePath }`: a file holding a bundle's code (official name). */
export interface WorkflowBundlePath {
  codePath: string;
}

/** @deprecated as in @temporalio/worker: `sourceMapPath` is not read (the source map is inline). */
export interface WorkflowBundlePathWithSourceMap {
  codePath: string;
  sourceMapPath: string;
}

const SOURCE_MAP_NOTE = "the source map is inline in the bundle's code\n";

/**
 * First characters of every bundle this bundler makes: a block comment holding a JSON
 * BundleHeader, on the bundle's first line with no line break after it, so line numbers
 * (stack traces, source maps) are those Bun.build produced.
 */
export const BUNDLE_HEADER = "/* temporal-bun-sdk workflow bundle ";
const BUNDLE_HEADER_END = " */";
/** Bumped when the bundle's contract with the sandbox/runtime changes. */
export const BUNDLE_FORMAT = 1;

interface BundleHeader {
  format: number;
  sdkVersion: string;
  workflowsPath: string;
  payloadConverterPath?: string;
  failureConverterPath?: string;
  workflowInterceptorModules?: string[];
}


export class WorkflowBundleError extends Error {
  override name = "WorkflowBundleError";
}

const SRC_DIR = path.resolve(import.meta.dir, "../..");
const WORKFLOW_API = path.join(SRC_DIR, "workflow", "index.ts");
const WORKFLOW_INTERNALS = path.join(SRC_DIR, "workflow", "internals.ts");
const COMMON_DIR = path.join(SRC_DIR, "common") + path.sep;
const ENTRY = "temporal-bun-sdk:workflow-entry";

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function isForbiddenBuiltin(specifier: string): boolean {
  return BUILTINS.has(specifier) || specifier.startsWith("node:") || specifier === "bun" || specifier.startsWith("bun:");
}

/**
 * The converter module for `option`, resolved and checked in the host (exists, has the named
 * export of the right shape) so a bad path fails here, naming the option, rather than in
 * every workflow task.
 */
function converterModulePath(p: string | undefined, option: ConverterPathOption): string | undefined {
  if (p === undefined) return undefined;
  if (typeof p !== "string" || p === "") throw new WorkflowBundleError(`${option}: expected a non-empty module path, got ${JSON.stringify(p)}`);
  try {
    const file = resolveConverterPath(p, option);
    converterFromModule(requireConverterModule(file, option), p, option);
    return file;
  } catch (err) {
    // bundleWorkflowCode's own option names have no "dataConverter." prefix.
    throw new WorkflowBundleError((err as Error).message.replace(/^dataConverter\./, ""), { cause: err });
  }
}

/** Options of bundleWorkflowCode: ours, and the official ones that have no effect here (a warning each, once). */
const bundleOptionsShape: OptionsShape = {
  name: "bundleWorkflowCode options",
  supported: ["workflowsPath", "ignoreModules", "payloadConverterPath", "failureConverterPath", "workflowInterceptorModules"],
  officialOnly: ["preloadModules", "webpackConfigHook", "plugins", "logger"],
};

export async function bundleWorkflowCode(options: BundleOptions): Promise<WorkflowBundleWithSourceMap> {
  if (typeof options !== "object" || options === null) throw new WorkflowBundleError("bundleWorkflowCode needs an options object ({ workflowsPath })");
  try {
    checkOptions(bundleOptionsShape, options);
  } catch (err) {
    throw new WorkflowBundleError((err as Error).message, { cause: err });
  }
  const workflowsPath = path.resolve(options.workflowsPath);
  if (!(await Bun.file(workflowsPath).exists())) {
    throw new WorkflowBundleError(`workflowsPath does not exist: ${workflowsPath}`);
  }
  const payloadConverterPath = converterModulePath(options.payloadConverterPath, "payloadConverterPath");
  const failureConverterPath = converterModulePath(options.failureConverterPath, "failureConverterPath");
  const workflowInterceptorModules = await interceptorModulePaths(options.workflowInterceptorModules, path.dirname(workflowsPath));
  const ignored = new Set(options.ignoreModules ?? []);
  /** resolved path → the module that first imported it: walks back to the entry. */
  const importedBy = new Map<string, string>();
  const violations: { specifier: string; importer: string }[] = [];

  const chainOf = (importer: string): string[] => {
    const chain: string[] = [];
    const seen = new Set<string>();
    for (let at: string | undefined = importer; at !== undefined && at !== ENTRY && !seen.has(at); at = importedBy.get(at)) {
      seen.add(at);
      chain.unshift(at);
    }
    return chain;
  };

  const plugin: BunPlugin = {
    name: "temporal-bun-sdk-workflow",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        const { path: specifier, importer } = args;
        if (specifier === ENTRY) return { path: ENTRY, namespace: "temporal-entry" };
        if (ignored.has(specifier)) return { path: specifier, namespace: "temporal-ignored" };
        if (specifier === "temporal-bun-sdk/workflow") {
          importedBy.set(WORKFLOW_API, importer);
          return { path: WORKFLOW_API };
        }
        if (isForbiddenBuiltin(specifier)) {
          violations.push({ specifier, importer });
          return { path: specifier, namespace: "temporal-ignored" };
        }
        let resolved: string | undefined;
        try {
          resolved = Bun.resolveSync(specifier, importer === ENTRY || importer === "" ? path.dirname(workflowsPath) : path.dirname(importer));
        } catch {
          return undefined; // let Bun report it
        }
        // A package's "module" entry (ES modules) over its "main" (CommonJS), as the official
        // bundler (webpack, target web: mainFields browser, module, main) picks it: ES modules
        // let Bun.build drop unused exports, and each run evaluates every module it keeps.
        resolved = moduleFieldEntry(specifier, resolved);
        // The package's "browser" field, as the official bundler (webpack, target web) applies it.
        const alias = browserFieldAlias(resolved);
        if (alias === false) return { path: resolved, namespace: "temporal-ignored" };
        if (alias !== undefined) resolved = alias;
        if (specifier === "temporal-bun-sdk/common" || resolved.startsWith(COMMON_DIR)) {
          return { path: COMMON_MODULE_ID, external: true };
        }
        if (!importedBy.has(resolved)) importedBy.set(resolved, importer);
        return { path: resolved };
      });
      build.onLoad({ filter: /.*/, namespace: "temporal-entry" }, () => ({
        contents:
          `export * as workflows from ${JSON.stringify(workflowsPath)};\n` +
          `export * as __internals from ${JSON.stringify(WORKFLOW_INTERNALS)};\n` +
          // Converter modules are evaluated per run, like every module of the bundle; the
          // runtime picks their exports up (runtime.ts, createRun).
          (payloadConverterPath ? `export * as __payloadConverterModule from ${JSON.stringify(payloadConverterPath)};\n` : "") +
          (failureConverterPath ? `export * as __failureConverterModule from ${JSON.stringify(failureConverterPath)};\n` : "") +
          // Evaluated before the workflow modules' exports are read, like the official bundle's
          // interceptor requires; createRun calls their factories (src/workflow/internals.ts).
          workflowInterceptorModules.map((m, i) => `import * as __interceptorModule${i} from ${JSON.stringify(m)};\n`).join("") +
          `export const __interceptorModules = [${workflowInterceptorModules.map((_, i) => `__interceptorModule${i}`).join(", ")}];\n`,
        loader: "ts",
      }));
      build.onLoad({ filter: /.*/, namespace: "temporal-ignored" }, () => ({ contents: "module.exports = {};", loader: "js" }));
      build.onLoad({ filter: /[\\/]workflow[\\/]index\.ts$/ }, async (args) => {
        if (args.path !== WORKFLOW_API) return undefined;
        let source: string;
        try {
          source = await Bun.file(WORKFLOW_API).text();
        } catch {
          return undefined; // not readable here: Bun loads it as usual (and reports why)
        }
        return { contents: withStaticCommonExports(source), loader: "ts" };
      });
    },
  };

  const started = performance.now();
  let result: Awaited<ReturnType<typeof Bun.build>>;
  try {
    result = await Bun.build({
      entrypoints: [ENTRY],
      format: "cjs",
      target: "browser",
      plugins: [plugin],
      minify: false,
      // Mapped back by the stack trace queries (stack-traces.ts); appended to the code inline.
      sourcemap: "external",
      throw: false,
    });
  } catch (err) {
    throw new WorkflowBundleError(`Failed to bundle ${workflowsPath}: ${(err as Error).message}`);
  }
  const bundleTimeMs = performance.now() - started;

  if (violations.length > 0) {
    const lines = violations.map(({ specifier, importer }) => `  ${[...chainOf(importer).map(rel), specifier].join(" → ")}`);
    throw new WorkflowBundleError(
      `Workflow code imports modules that do I/O or are not deterministic; workflows run in a sandbox without them:\n` +
        `${lines.join("\n")}\n` +
        `Move this code into an activity. If a module is imported only for its types, use \`import type\`, ` +
        `or list it in ignoreModules.`,
    );
  }
  if (!result.success || result.outputs.length === 0) {
    const messages = result.logs.map((l) => `  ${l.message}`).join("\n");
    throw new WorkflowBundleError(`Failed to bundle ${workflowsPath}:\n${messages}`);
  }
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    sdkVersion: SDK_VERSION,
    workflowsPath,
    payloadConverterPath,
    failureConverterPath,
    workflowInterceptorModules: workflowInterceptorModules.length > 0 ? workflowInterceptorModules : undefined,
  };
  // "\/" is JSON for "/": no "*/" inside the header can end the comment early.
  const code = `${BUNDLE_HEADER}${JSON.stringify(header).replaceAll("/", "\\/")}${BUNDLE_HEADER_END}${await result.outputs[0]!.text()}${await sourceMapCommentFor(result.outputs, SRC_DIR + path.sep)}`;
  return { code, workflowsPath, bundleTimeMs, payloadConverterPath, failureConverterPath, workflowInterceptorModules, sourceMap: SOURCE_MAP_NOTE };
}

/**
 * src/workflow/index.ts re-exports src/common with `export * from "../common/index.js"`. src/common
 * is external to the bundle (the host's module), so Bun cannot know its names statically and
 * builds the workflow API's namespace at run time: every run (each instantiation of the bundle)
 * then defined a getter for each of src/common's ~180 exports and for every module the index
 * re-exports — about a third of the cost of starting a run (bench/workflow-runtime.ts). Listing
 * the names (the host module's runtime exports, less those the index exports itself, which win
 * over a star export anyway) lets Bun bind every import statically. Types are erased, so
 * type-only names need not be listed. If the line is not found the source is bundled unchanged.
 */
const COMMON_STAR_EXPORT = 'export * from "../common/index.js";';
function withStaticCommonExports(source: string): string {
  if (!source.includes(COMMON_STAR_EXPORT)) return source;
  const own = new Set(new Bun.Transpiler({ loader: "ts" }).scan(source.replace(COMMON_STAR_EXPORT, "")).exports);
  const names = Object.keys(hostCommon).filter((n) => n !== "default" && !own.has(n));
  return source.replace(COMMON_STAR_EXPORT, `export { ${names.join(", ")} } from "../common/index.js";`);
}

/** package.json folders with an object "browser" field, by the folders looked up (null: none). */
const browserFields = new Map<string, { dir: string; map: Record<string, string | false> } | null>();

function browserFieldOf(dir: string): { dir: string; map: Record<string, string | false> } | null {
  const cached = browserFields.get(dir);
  if (cached !== undefined) return cached;
  let found: { dir: string; map: Record<string, string | false> } | null = null;
  let pkg: { browser?: unknown } | undefined;
  try {
    pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { browser?: unknown };
  } catch {
    pkg = undefined;
  }
  if (pkg !== undefined) {
    // The nearest package.json decides, with or without a browser field.
    if (typeof pkg.browser === "object" && pkg.browser !== null) found = { dir, map: pkg.browser as Record<string, string | false> };
  } else {
    const parent = path.dirname(dir);
    found = parent === dir ? null : browserFieldOf(parent);
  }
  browserFields.set(dir, found);
  return found;
}

/**
 * For a bare package specifier (`pkg`, `@scope/pkg`, no subpath) that resolved to the package's
 * "main" file: its "module" file when the package has one (and it exists); otherwise `resolved`.
 */
function moduleFieldEntry(specifier: string, resolved: string): string {
  if (!/^(@[^/]+\/)?[^./@][^/]*$/.test(specifier) || !resolved.includes(`${path.sep}node_modules${path.sep}`)) return resolved;
  const dir = resolved.slice(0, resolved.lastIndexOf(`${path.sep}node_modules${path.sep}`)) + `${path.sep}node_modules${path.sep}${specifier.split("/").join(path.sep)}`;
  let pkg: { main?: unknown; module?: unknown };
  try {
    pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { main?: unknown; module?: unknown };
  } catch {
    return resolved;
  }
  if (typeof pkg.module !== "string") return resolved;
  const main = path.resolve(dir, typeof pkg.main === "string" ? pkg.main : "index.js");
  if (resolved !== main && resolved !== `${main}.js`) return resolved;
  const moduleFile = path.resolve(dir, pkg.module);
  return existsSync(moduleFile) ? moduleFile : resolved;
}

/**
 * The file a package's "browser" field substitutes for `file` (a path, or false for an empty
 * module), or undefined. Packages such as @opentelemetry/core pick their platform code this
 * way: the browser files use globals, the Node files import node: modules the sandbox forbids.
 */
function browserFieldAlias(file: string): string | false | undefined {
  if (!file.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
  const field = browserFieldOf(path.dirname(file));
  if (field === null) return undefined;
  const rel = `./${path.relative(field.dir, file).split(path.sep).join("/")}`;
  for (const key of [rel, rel.replace(/\.js$/, "")]) {
    const target = field.map[key];
    if (target === false) return false;
    if (typeof target === "string") return path.resolve(field.dir, target);
  }
  return undefined;
}

/**
 * The interceptor modules as absolute paths (relative ones against the workflows module's
 * folder, packages through Bun's resolution), deduplicated in order as official; a module
 * that cannot be found is a WorkflowBundleError naming it.
 */
async function interceptorModulePaths(modules: unknown, fromDir: string): Promise<string[]> {
  if (modules === undefined || modules === null) return [];
  if (!Array.isArray(modules)) throw new WorkflowBundleError(`workflowInterceptorModules: expected an array of module paths, got ${typeof modules}`);
  const out: string[] = [];
  for (const m of modules) {
    if (typeof m !== "string" || m === "") throw new WorkflowBundleError(`workflowInterceptorModules: expected non-empty module paths, got ${JSON.stringify(m)}`);
    let resolved: string;
    try {
      resolved = Bun.resolveSync(m, path.isAbsolute(m) ? "/" : fromDir);
    } catch {
      throw new WorkflowBundleError(`workflowInterceptorModules: cannot find module '${m}' (relative paths are resolved from ${fromDir})`);
    }
    if (!out.includes(resolved)) out.push(resolved);
  }
  return out;
}

/**
 * A bundle's code read back (from `workflowBundle: { code }` or the file of `{ codePath }`):
 * checks that this bundler made it, for this SDK version, and recovers what the header says.
 * Anything else is refused here with a WorkflowBundleError, before any of it runs.
 */
export function parseWorkflowBundle(code: string, source: string): WorkflowBundleWithSourceMap {
  if (!code.startsWith(BUNDLE_HEADER)) {
    const webpack = code.includes("__webpack_require__") || code.includes("__TEMPORAL__");
    throw new WorkflowBundleError(
      `${source} is not a workflow bundle made by temporal-bun-sdk's bundleWorkflowCode` +
        (webpack ? " (it looks like a webpack bundle from @temporalio/worker, which runs only on the official SDK's worker)" : "") +
        `: rebuild it with bundleWorkflowCode({ workflowsPath }) from temporal-bun-sdk/worker, or pass workflowsPath instead`,
    );
  }
  const end = code.indexOf(BUNDLE_HEADER_END, BUNDLE_HEADER.length);
  let header: Partial<BundleHeader>;
  try {
    header = JSON.parse(code.slice(BUNDLE_HEADER.length, end < 0 ? 0 : end)) as Partial<BundleHeader>;
  } catch {
    throw new WorkflowBundleError(`${source}: the workflow bundle header is damaged; rebuild the bundle with bundleWorkflowCode`);
  }
  if (header.format !== BUNDLE_FORMAT || header.sdkVersion !== SDK_VERSION) {
    throw new WorkflowBundleError(
      `${source} was built by temporal-bun-sdk ${header.sdkVersion ?? "?"} (bundle format ${header.format ?? "?"}); ` +
        `this worker runs ${SDK_VERSION} (format ${BUNDLE_FORMAT}): rebuild the bundle with this version's bundleWorkflowCode`,
    );
  }
  if (typeof header.workflowsPath !== "string") throw new WorkflowBundleError(`${source}: the workflow bundle header has no workflowsPath; rebuild the bundle`);
  return {
    code,
    workflowsPath: header.workflowsPath,
    bundleTimeMs: 0,
    payloadConverterPath: header.payloadConverterPath,
    failureConverterPath: header.failureConverterPath,
    workflowInterceptorModules: header.workflowInterceptorModules,
    sourceMap: SOURCE_MAP_NOTE,
  };
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r.startsWith("..") ? p : r;
}

/**
 * `workflowBundle` as @temporalio/worker takes it: `{ code }` (what bundleWorkflowCode returns,
 * or its code read back) or `{ codePath }` (a file the code was written to). `sourceMap` /
 * `sourceMapPath` are accepted and ignored, as in the official SDK 1.24 (source maps are inline).
 */
export type WorkflowBundleOption = WorkflowBundle | WorkflowBundleWithSourceMap | WorkflowBundlePath | WorkflowBundlePathWithSourceMap;

/** Checks the shape of a `workflowBundle` value; the message says what was expected. */
export function checkWorkflowBundleOption(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return `expected { codePath } or { code } (from bundleWorkflowCode), got ${value === null ? "null" : typeof value}`;
  const v = value as { code?: unknown; codePath?: unknown };
  if (typeof v.code === "string" || typeof v.codePath === "string") return undefined;
  if (v.code !== undefined) return `workflowBundle.code: expected a string, got ${typeof v.code}`;
  if (v.codePath !== undefined) return `workflowBundle.codePath: expected a string, got ${typeof v.codePath}`;
  return `expected { codePath } or { code } (from bundleWorkflowCode), got an object with keys [${Object.keys(v).join(", ")}]`;
}

/**
 * The bundle a worker (or replayer) runs: `workflowBundle` read and checked (code wins over
 * codePath, as in the official SDK), else `workflowsPath` bundled with the data converter's
 * module paths; undefined when neither is given. Throws WorkflowBundleError.
 */
export async function workflowBundleFor(o: {
  workflowBundle?: WorkflowBundleOption;
  workflowsPath?: string;
  ignoreModules?: string[];
  payloadConverterPath?: string;
  failureConverterPath?: string;
  workflowInterceptorModules?: string[];
}): Promise<WorkflowBundle | undefined> {
  const wb = o.workflowBundle as { code?: unknown; codePath?: unknown } | undefined;
  if (wb !== undefined) {
    if (typeof wb.code === "string") return parseWorkflowBundle(wb.code, "workflowBundle.code");
    if (typeof wb.codePath === "string") {
      const file = path.resolve(wb.codePath);
      let code: string;
      try {
        code = await Bun.file(file).text();
      } catch (err) {
        throw new WorkflowBundleError(`workflowBundle.codePath: cannot read '${wb.codePath}': ${(err as Error).message}`, { cause: err });
      }
      return parseWorkflowBundle(code, `workflowBundle.codePath '${wb.codePath}'`);
    }
    throw new WorkflowBundleError(`workflowBundle: ${checkWorkflowBundleOption(wb) ?? "invalid"}`);
  }
  if (o.workflowsPath === undefined) return undefined;
  return bundleWorkflowCode({
    workflowsPath: o.workflowsPath,
    ignoreModules: o.ignoreModules,
    payloadConverterPath: o.payloadConverterPath,
    failureConverterPath: o.failureConverterPath,
    workflowInterceptorModules: o.workflowInterceptorModules,
  });
}

/**
 * The converters the workflow runtime gets from the host, as the official SDK decides: workflow
 * code converts with the bundle's modules (runtime.ts picks them from the bundle), and when the
 * bundle has none, with the defaults, even if the worker's dataConverter names a module. A
 * host-loaded module must not reach workflow code: its `instanceof Date/Map/Set` checks and the
 * values it makes belong to the host realm, so sandbox values would be converted wrongly
 * (a Date written as `{}`) instead of failing. Converter instances (`payloadConverter`, ours
 * only) are the exception: they have always been handed in.
 */
export function hostConvertersForWorkflows<P, F>(
  bundle: WorkflowBundle,
  paths: { payloadConverterPath?: string; failureConverterPath?: string },
  loaded: { payloadConverter: P; failureConverter: F },
  defaults: { payloadConverter: P; failureConverter: F },
): { payloadConverter: P; failureConverter: F } {
  return {
    payloadConverter: paths.payloadConverterPath !== undefined && bundle.payloadConverterPath === undefined ? defaults.payloadConverter : loaded.payloadConverter,
    failureConverter: paths.failureConverterPath !== undefined && bundle.failureConverterPath === undefined ? defaults.failureConverter : loaded.failureConverter,
  };
}

/**
 * When a prebuilt bundle has a converter module and the worker's `dataConverter` has none, or
 * the reverse.
 * The official SDK says nothing (workflows use the bundle's converter, or the default one, as
 * here); we warn, since such code is valid there.
 */
export function converterMismatchWarning(bundle: WorkflowBundle, paths: { payloadConverterPath?: string; failureConverterPath?: string }): string | undefined {
  const lines: string[] = [];
  for (const option of ["payloadConverterPath", "failureConverterPath"] as const) {
    const inBundle = bundle[option];
    let inWorker: string | undefined;
    try {
      inWorker = paths[option] === undefined ? undefined : resolveConverterPath(paths[option]!, option);
    } catch {
      inWorker = paths[option];
    }
    // Both set: the paths may well name the same module (a bundle built in CI, at another
    // path, is the usual deployment), so only a module on one side only is reported.
    if ((inBundle === undefined) === (inWorker === undefined)) continue;
    const what = option === "payloadConverterPath" ? "payload converter" : "failure converter";
    lines.push(
      inBundle === undefined
        ? `the workflow bundle was built without ${option}: workflow code converts with the default ${what}, activities with dataConverter.${option} '${inWorker}'`
        : `the workflow bundle was built with ${option} '${inBundle}' but dataConverter.${option} is not set: ` +
            `workflow code converts with the bundle's module, activities with the default ${what}`,
    );
  }
  if (lines.length === 0) return undefined;
  return `${lines.join("; ")}. Pass the same paths to bundleWorkflowCode({ workflowsPath, payloadConverterPath, failureConverterPath }) and to the Worker's dataConverter.`;
}
