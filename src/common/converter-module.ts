/**
 * Host-side loading of `dataConverter.payloadConverterPath` / `failureConverterPath` (as
 * @temporalio/common's internal-non-workflow `loadDataConverter`, which `require`s the path).
 * Not reachable from src/common/index.ts: workflow code never loads modules; the workflow
 * bundle carries its own copy of the converter module (src/worker/workflow/bundler.ts).
 *
 * Paths: absolute, or starting with `.` (resolved against the working directory, since
 * relative to this SDK's own files would mean nothing to a user), or a package specifier
 * (`my-converters/ejson`). Extensions may be omitted, as with `require`.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { ValueError } from "./errors.js";
import { loadDataConverter, type ConverterModuleLoader, type ConverterPathOption, type DataConverter, type LoadedDataConverter } from "./data-converter.js";

const requireFromHere = createRequire(import.meta.url);

/** The file `p` names, or a ValueError naming the option and the path. */
export function resolveConverterPath(p: string, option: ConverterPathOption): string {
  const specifier = path.isAbsolute(p) || p.startsWith(".") ? path.resolve(p) : p;
  try {
    return Bun.resolveSync(specifier, process.cwd());
  } catch {
    throw new ValueError(`dataConverter.${option}: could not find a module at '${p}'` + (specifier !== p ? ` (resolved to ${specifier})` : ""));
  }
}

/** Loads a converter module in the host realm (once per file: the module cache is shared). */
export const requireConverterModule: ConverterModuleLoader = (p, option) => {
  const file = resolveConverterPath(p, option);
  try {
    return requireFromHere(file);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ValueError(`dataConverter.${option}: loading '${p}' failed: ${why}`, { cause: err });
  }
};

/** src/common's loadDataConverter with the converter paths loaded in this (host) realm. */
export function loadDataConverterWithModules(dataConverter?: DataConverter | null): LoadedDataConverter {
  return loadDataConverter(dataConverter, requireConverterModule);
}
