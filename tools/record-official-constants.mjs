// Run by tools/record-official-constants.ts on Node (the official SDK targets Node): loads each
// official package from the install folder given as argv[2] and prints, as JSON, its exported
// constants: plain objects whose own enumerable values are all strings, numbers or undefined
// (the enum-like objects and their legacy `*_UNSPECIFIED: undefined` aliases, recorded as null),
// arrays of strings, and strings and numbers. File-system paths (which differ per install, such
// as @temporalio/testing's workflowInterceptorModules) are left out.
import { createRequire } from "node:module";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node tools/record-official-constants.mjs <official-sdk-dir>");
const require = createRequire(join(dir, "package.json"));
const packages = ["@temporalio/common", "@temporalio/workflow", "@temporalio/client", "@temporalio/worker", "@temporalio/activity", "@temporalio/testing"];

const isScalar = (v) => typeof v === "string" || typeof v === "number";
const isPath = (v) => typeof v === "string" && (v.startsWith("/") || v.includes("node_modules"));

function constantValue(value) {
  if (isScalar(value)) return isPath(value) ? undefined : value;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => typeof v === "string" && !isPath(v)) ? [...value] : undefined;
  if (value === null || typeof value !== "object") return undefined;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([, v]) => isScalar(v) || v === undefined)) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, v === undefined ? null : v]));
}

const out = {};
for (const pkg of packages) {
  const mod = require(pkg);
  const constants = {};
  for (const name of Object.keys(mod).sort()) {
    let value;
    try {
      value = mod[name];
    } catch {
      continue; // a throwing getter is no constant
    }
    const recorded = constantValue(value);
    if (recorded !== undefined) constants[name] = recorded;
  }
  out[pkg] = constants;
}
process.stdout.write(JSON.stringify(out) + "\n");
