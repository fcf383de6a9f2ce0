/**
 * Re-records tests/compat/fixtures/official-schedule-requests.json: the CreateSchedule request
 * @temporalio/client 1.24 builds for each case of tests/compat/fixtures/schedule-cases.json
 * (tools/compat/record-schedule-requests.mjs runs them under Node, nothing is sent).
 *
 *   bun tools/record-official-schedule-requests.ts   # installs the official SDK into the cache if needed
 */
import { join } from "node:path";
import { ensureOfficialSdk } from "./official-sdk.js";

const root = join(import.meta.dir, "..");
const dir = await ensureOfficialSdk();
const proc = Bun.spawn(
  ["node", join(root, "tools/compat/record-schedule-requests.mjs"), dir, join(root, "tests/compat/fixtures/schedule-cases.json"), join(root, "tests/compat/fixtures/official-schedule-requests.json")],
  { stdout: "inherit", stderr: "inherit" },
);
const code = await proc.exited;
if (code !== 0) throw new Error(`record-schedule-requests.mjs exited ${code}`);
