/**
 * The official @temporalio/client 1.24 (in node, tools/compat/node-schedule-client.mjs) and ours
 * describe and list the same schedule on the dev server: the decoded ScheduleDescription
 * (compiled calendars with names, intervals, action with args/memo/search attributes, policies,
 * state, info) and ScheduleSummary must be equal, `raw` aside (each library's own message type),
 * and both answer ScheduleNotFoundError for a missing one.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { ScheduleNotFoundError, defineSearchAttributeKey, type ScheduleHandle, type ScheduleSummary } from "../../src/client/index.js";
import { SearchAttributeType } from "../../src/common/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { scheduleView } from "../../tools/compat/schedule-view.mjs";
import { client, env, startWorker, uid, type RunningWorker } from "../e2e/helpers.js";

const NODE_CLIENT = new URL("../../tools/compat/node-schedule-client.mjs", import.meta.url).pathname;

let w: RunningWorker;
let handle: ScheduleHandle | undefined;
beforeAll(async () => {
  w = await startWorker("workflows.ts");
});
afterAll(async () => {
  await handle?.delete().catch(() => undefined);
  await w?.stop();
});

async function official(sdkDir: string, scheduleId: string, missingId: string): Promise<{ description: unknown; summary: unknown; missing: unknown }> {
  const e = await env();
  // stdin is a pipe from this process: the node process exits when this one dies.
  const child = spawn("node", [NODE_CLIENT], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, COMPAT_EXIT_WITH_STDIN: "1", COMPAT_SDK_DIR: sdkDir, COMPAT_ADDRESS: e.address, COMPAT_NAMESPACE: e.namespace, COMPAT_SCHEDULE_ID: scheduleId, COMPAT_MISSING_ID: missingId },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal ? -1 : null))));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the official client exited with ${code}:\n${err}`);
  return JSON.parse(out.trim().split("\n").pop()!);
}

test("the official client and ours describe and list the same schedule alike", async () => {
  const sdkDir = await ensureOfficialSdk();
  const c = await client();
  const scheduleId = uid("sched-compat");
  handle = await c.schedule.create({
    scheduleId,
    spec: {
      calendars: [{ hour: { start: 8, end: 18, step: 2 }, dayOfWeek: ["MONDAY", "FRIDAY"], month: { start: "MARCH", end: "JUNE" }, comment: "c" }],
      cronExpressions: ["15 4 1 * *"],
      intervals: [{ every: "90m", offset: "10m" }],
      skip: [{ dayOfMonth: 25, month: "DECEMBER" }],
      timezone: "America/New_York",
      jitter: "5s",
      startAt: new Date("2030-01-01T00:00:00Z"),
      endAt: new Date("2031-01-01T00:00:00Z"),
    },
    action: {
      type: "startWorkflow",
      workflowType: "ping",
      taskQueue: w.taskQueue,
      args: [1, { a: ["b"] }],
      memo: { m: true },
      typedSearchAttributes: [{ key: defineSearchAttributeKey("TestKeyword", SearchAttributeType.KEYWORD), value: "kw" }],
      retry: { maximumAttempts: 2 },
      workflowRunTimeout: "1h",
      staticSummary: "summary",
    },
    policies: { overlap: "BUFFER_ALL", catchupWindow: "5m", pauseOnFailure: true },
    memo: { owner: "compat" },
    typedSearchAttributes: [{ key: defineSearchAttributeKey("TestInt", SearchAttributeType.INT), value: 3 }],
    state: { paused: true, note: "compat", remainingActions: 3 },
  });
  // One completed action, so that recentActions is not empty; then nothing changes until the end.
  await handle.trigger();
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const d = await handle.describe();
    if (d.info.recentActions.length === 1 && d.info.runningActions.length === 0) break;
    await Bun.sleep(200);
  }
  let summary: ScheduleSummary | undefined;
  for (let attempt = 0; attempt < 100 && !summary; attempt++) {
    for await (const s of c.schedule.list({ query: `ScheduleId = '${scheduleId}'` })) if (s.scheduleId === scheduleId) summary = s;
    if (!summary) await Bun.sleep(200);
  }
  const missingId = uid("sched-missing");
  const theirs = await official(sdkDir, scheduleId, missingId);
  const ours = scheduleView(await handle.describe());
  // The schedule was really described (a broken run cannot pass as "no difference").
  expect(ours).toMatchObject({ scheduleId, state: { paused: true, note: "compat", remainingActions: 3 }, info: { numActionsTaken: 1 } });
  expect(ours).toEqual(theirs.description);
  expect(scheduleView(summary)).toEqual(theirs.summary);
  const missing = await c.schedule.getHandle(missingId).describe().catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(ScheduleNotFoundError);
  expect(theirs.missing).toEqual({ error: { name: "ScheduleNotFoundError", scheduleId: missingId } });
}, 120_000);
