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
 */
import { builtinModules } from "node:module";
import path from "node:path";
import type { BunPlugin } from "bun";
import { COMMON_MODULE_ID } from "./sandbox.js";

export interface BundleOptions {
  /** Path of the module that exports the workflow functions. */
  workflowsPath: string;
  /** Module specifiers to replace with an empty module instead of rejecting / bundling them. */
  ignoreModules?: string[];
}

export interface WorkflowBundle {
  /** CommonJS code; see sandbox.ts for how it is evaluated. */
  code: string;
  workflowsPath: string;
  /** Wall time Bun.build took, in ms. */
  bundleTimeMs: number;
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

export async function bundleWorkflowCode(options: BundleOptions): Promise<WorkflowBundle> {
  const workflowsPath = path.resolve(options.workflowsPath);
  if (!(await Bun.file(workflowsPath).exists())) {
    throw new WorkflowBundleError(`workflowsPath does not exist: ${workflowsPath}`);
  }
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
        if (specifier === "temporal-bun-sdk/common" || resolved.startsWith(COMMON_DIR)) {
          return { path: COMMON_MODULE_ID, external: true };
        }
        if (!importedBy.has(resolved)) importedBy.set(resolved, importer);
        return { path: resolved };
      });
      build.onLoad({ filter: /.*/, namespace: "temporal-entry" }, () => ({
        contents:
          `export * as workflows from ${JSON.stringify(workflowsPath)};\n` +
          `export * as __internals from ${JSON.stringify(WORKFLOW_INTERNALS)};\n`,
        loader: "ts",
      }));
      build.onLoad({ filter: /.*/, namespace: "temporal-ignored" }, () => ({ contents: "module.exports = {};", loader: "js" }));
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
  const code = await result.outputs[0]!.text();
  return { code, workflowsPath, bundleTimeMs };
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r.startsWith("..") ? p : r;
}
