/**
 * The CreateSchedule request of `client.schedule.create` equals the official
 * @temporalio/client 1.24's for the same ScheduleOptions: calendar specs (ranges, loose ranges,
 * names, `*`, omitted fields), intervals, cron strings, skip, jitter, time zone, start/end, the
 * startWorkflow action with its options, memo and search attributes (typed and untyped),
 * policies, state and the initial patch (triggerImmediately, backfill). The official requests
 * were recorded by `bun tools/record-official-schedule-requests.ts` from tests/compat/fixtures/schedule-cases.json.
 */
import { describe, expect, test } from "bun:test";
import { fromBinary, toJson } from "@bufbuild/protobuf";
import { CreateScheduleRequestSchema } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { ScheduleAlreadyRunning, ScheduleClient, ScheduleNotFoundError, defineSearchAttributeKey } from "../../src/client/index.js";
import { compileScheduleOptions } from "../../src/client/schedule-helpers.js";
import type { SearchAttributeType } from "../../src/common/index.js";
import cases from "./fixtures/schedule-cases.json";
import recorded from "./fixtures/official-schedule-requests.json";

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if ("$date" in value) return new Date((value as { $date: string }).$date);
    if ("$typed" in value) {
      return (value as { $typed: [string, SearchAttributeType, unknown][] }).$typed.map(([name, type, v]) => ({ key: defineSearchAttributeKey(name, type), value: v }));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

// Only builds requests: the lazy connection never connects.
const client = new ScheduleClient({ namespace: "default", identity: "recorder" });

describe("CreateSchedule requests equal the official client's", () => {
  test("the recording is of 1.24.0 and covers every case", () => {
    expect(recorded.version).toBe("1.24.0");
    expect(Object.keys(recorded.requests).sort()).toEqual(cases.cases.map((c) => c.name).sort());
  });

  for (const c of cases.cases) {
    test(c.name, async () => {
      const options = revive(c.options) as Parameters<typeof compileScheduleOptions>[0];
      const ours = await client.createScheduleRequest({ options: compileScheduleOptions(options), headers: {} });
      ours.requestId = "";
      const official = fromBinary(CreateScheduleRequestSchema, Buffer.from((recorded.requests as Record<string, string>)[c.name]!, "base64"));
      expect(toJson(CreateScheduleRequestSchema, ours)).toEqual(toJson(CreateScheduleRequestSchema, official));
    });
  }
});

describe("schedule errors", () => {
  test("official names and fields; symbol-based instanceof (an instance from another copy, e.g. @temporalio/client's, matches)", () => {
    const running = new ScheduleAlreadyRunning("Schedule already exists and is running", "s1");
    expect([running.name, running.message, running.scheduleId]).toEqual(["ScheduleAlreadyRunning", "Schedule already exists and is running", "s1"]);
    const missing = new ScheduleNotFoundError("gone", "s2");
    expect([missing.name, missing.scheduleId]).toEqual(["ScheduleNotFoundError", "s2"]);
    const foreign = Object.assign(new Error("x"), { [Symbol.for("__temporal_isScheduleNotFoundError")]: true });
    expect(foreign).toBeInstanceOf(ScheduleNotFoundError);
    expect(foreign).not.toBeInstanceOf(ScheduleAlreadyRunning);
  });
});
