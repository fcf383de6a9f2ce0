/**
 * Records the values of every constant the official TypeScript SDK 1.24 packages export —
 * each exported plain object whose own values are all strings or numbers (the enum-like
 * objects such as `ActivityCancellationType`, `WorkflowIdReusePolicy` with its legacy
 * `WORKFLOW_ID_REUSE_POLICY_*` aliases, `encodingTypes`, the built-in query definitions),
 * arrays of strings (`MONTHS`) and exported strings and numbers (`FAILURE_SOURCE`) — into
 * tests/compat/fixtures/official-constants.json, keyed by package and export name.
 * tests/compat/constants.test.ts compares ours with them (no Node needed there).
 *
 *   bun tools/record-official-constants.ts      # installs the official SDK into the cache if needed
 *
 * The packages are loaded on Node (tools/record-official-constants.mjs), the runtime they are
 * made for; that script prints JSON on stdout.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { OFFICIAL_VERSION, ensureOfficialSdk } from "./official-sdk.js";

const root = join(import.meta.dir, "..");
const out = join(root, "tests", "compat", "fixtures", "official-constants.json");

const dir = await ensureOfficialSdk();
const run = spawnSync("node", [join(import.meta.dir, "record-official-constants.mjs"), dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
if (run.status !== 0) throw new Error(`node tools/record-official-constants.mjs failed (exit ${run.status}): ${run.stderr}`);
const packages = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
const fixture = {
  description:
    "Values of the constants exported by the official Temporal TypeScript SDK packages, recorded by tools/record-official-constants.ts. " +
    "An object's key whose value is undefined in the official SDK is recorded as null.",
  version: OFFICIAL_VERSION,
  packages,
};
writeFileSync(out, JSON.stringify(fixture, null, 2) + "\n");
const count = Object.values(packages).reduce((n, c) => n + Object.keys(c).length, 0);
console.log(`wrote ${count} constants of ${Object.keys(packages).length} packages to ${out}`);
