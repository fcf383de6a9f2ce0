// Records the CreateSchedule request the official @temporalio/client 1.24 sends for each case of
// tests/compat/fixtures/schedule-cases.json, into tests/compat/fixtures/official-schedule-requests.json
// (binary protobuf, base64). tests/compat/schedules.test.ts compares ours with them.
//
//   bun tools/record-official-schedule-requests.ts   (or: node tools/compat/record-schedule-requests.mjs <official sdk dir> <cases.json> <out.json>)
//
// The official ScheduleClient runs with a connection whose createSchedule only captures the
// request: nothing is sent anywhere. requestId (random) is cleared before encoding.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, casesPath, outPath] = process.argv.slice(2);
const require = createRequire(join(dir, "package.json"));
const { ScheduleClient } = require("@temporalio/client");
const { defineSearchAttributeKey } = require("@temporalio/common");
const { temporal } = require("@temporalio/proto");

function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if ("$date" in value) return new Date(value.$date);
    if ("$typed" in value) return value.$typed.map(([name, type, v]) => ({ key: defineSearchAttributeKey(name, type), value: v }));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

const { cases } = JSON.parse(readFileSync(casesPath, "utf8"));
const out = { version: require("@temporalio/client/package.json").version, requests: {} };
for (const c of cases) {
  let captured;
  const connection = {
    workflowService: {
      async createSchedule(req) {
        captured = req;
        return { conflictToken: new Uint8Array() };
      },
    },
  };
  const client = new ScheduleClient({ connection, namespace: "default", identity: "recorder" });
  await client.create(revive(c.options));
  captured.requestId = "";
  const bytes = temporal.api.workflowservice.v1.CreateScheduleRequest.encode(captured).finish();
  out.requests[c.name] = Buffer.from(bytes).toString("base64");
}
writeFileSync(outPath, JSON.stringify(out, null, 2) + "\n");
console.log(`recorded ${cases.length} requests from @temporalio/client ${out.version}`);
