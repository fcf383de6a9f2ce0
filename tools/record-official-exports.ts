/**
 * Records the public names of the official TypeScript SDK 1.24 packages — every value and
 * type exported by each package's entry point — into tests/compat/fixtures/official-exports.json.
 * tests/compat/exports.test.ts compares them with ours: every official name must be exported
 * by the matching temporal-bun-sdk subpath or be listed in docs/compatibility.md (a difference
 * that is not in that table is a bug).
 *
 *   bun tools/record-official-exports.ts          # installs the official SDK into the cache if needed
 *
 * The names are read from the packages' declaration files with the TypeScript compiler API
 * (the same checker `tsc` uses), so types and interfaces are included, not only runtime values.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { OFFICIAL_VERSION, ensureOfficialSdk } from "./official-sdk.js";

/** Official package → our subpath (the import map of docs/compatibility.md). */
export const PACKAGE_MAP = {
  "@temporalio/common": "temporal-bun-sdk/common",
  "@temporalio/workflow": "temporal-bun-sdk/workflow",
  "@temporalio/activity": "temporal-bun-sdk/activity",
  "@temporalio/client": "temporal-bun-sdk/client",
  "@temporalio/worker": "temporal-bun-sdk/worker",
  "@temporalio/testing": "temporal-bun-sdk/testing",
  "@temporalio/interceptors-opentelemetry": "temporal-bun-sdk/opentelemetry",
  "@temporalio/envconfig": "temporal-bun-sdk/envconfig",
} as const;

export interface ModuleExports {
  values: string[];
  types: string[];
}

/** Every exported name of `entry` (a .d.ts or .ts file), split into values and type-only names. */
export function exportsOf(entry: string): ModuleExports {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: false,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  const values = new Set<string>();
  const types = new Set<string>();
  for (const sym of checker.getExportsOfModule(moduleSymbol)) {
    const name = sym.getName();
    if (name === "default" || name.startsWith("__")) continue;
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    if (target.flags & ts.SymbolFlags.Value) values.add(name);
    else types.add(name);
  }
  return { values: [...values].sort(), types: [...types].sort() };
}

if (import.meta.main) {
  const dir = await ensureOfficialSdk();
  const out: Record<string, ModuleExports & { ours: string }> = {};
  for (const [pkg, ours] of Object.entries(PACKAGE_MAP)) {
    const entry = join(dir, "node_modules", pkg, "lib", "index.d.ts");
    out[pkg] = { ours, ...exportsOf(entry) };
    console.log(`${pkg}: ${out[pkg].values.length} values, ${out[pkg].types.length} types`);
  }
  const file = new URL("../tests/compat/fixtures/official-exports.json", import.meta.url).pathname;
  writeFileSync(file, JSON.stringify({ version: OFFICIAL_VERSION, packages: out }, null, 1) + "\n");
  console.log(`wrote ${file}`);
}
