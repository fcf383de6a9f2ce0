/**
 * Records tests/compat/fixtures/alea-known-answers.json: numbers drawn by the official SDK
 * 1.24's workflow random code on Node (tools/compat/alea-known-answers.node.mjs) for several
 * seeds. tests/compat/alea.test.ts checks our src/workflow/random.ts against them without
 * Node. Run once, commit the output: `bun tools/compat/record-alea-known-answers.ts`.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureOfficialSdk } from "../official-sdk.js";

const sdkDir = await ensureOfficialSdk();
const script = join(import.meta.dir, "alea-known-answers.node.mjs");
const out = join(import.meta.dir, "../../tests/compat/fixtures/alea-known-answers.json");
const r = spawnSync("node", [script, sdkDir], { encoding: "utf8", maxBuffer: 16 << 20 });
if (r.status !== 0) throw new Error(`node ${script} failed (exit ${r.status}):\n${r.stderr}`);
const parsed = JSON.parse(r.stdout) as { cases: unknown[] };
writeFileSync(out, r.stdout);
console.log(`wrote ${parsed.cases.length} cases to ${out}`);
