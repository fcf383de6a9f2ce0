/**
 * `client.schedule` end to end on the dev server with a real worker: a schedule firing every
 * second whose runs complete, pause/unpause/trigger/backfill seen through describe(), update of
 * the spec, list (visibility is eventually consistent: bounded polling), delete, and the typed
 * errors (ScheduleAlreadyRunning, ScheduleNotFoundError, TypeErrors for bad options).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  defineSearchAttributeKey,
  type ScheduleClientInterceptor,
  type ScheduleDescription,
  type ScheduleHandle,
} from "../../src/client/index.js";
import { Client, NamespaceNotFoundError, type Payload, type PayloadCodec } from "../../src/client/index.js";
import { SearchAttributeType, type TypedSearchAttributes } from "../../src/common/index.js";
import { client, env, startWorker, uid, type RunningWorker } from "./helpers.js";

const FILE = "workflows.ts";
let w: RunningWorker;
const created: ScheduleHandle[] = [];

beforeAll(async () => {
  w = await startWorker(FILE);
});

afterAll(async () => {
  // Every schedule this file made is deleted, whichever test failed.
  for (const h of created) await h.delete().catch(() => undefined);
  await w?.stop();
});

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(200);
  }
}

const keyword = defineSearchAttributeKey("TestKeyword", SearchAttributeType.KEYWORD);

describe("client.schedule on the dev server", () => {
  test("an every-second schedule fires at least twice and its runs complete", async () => {
    const c = await client();
    const scheduleId = uid("sched-every");
    const handle = await c.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: "1s" }] },
      action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue, memo: { m: 1 }, typedSearchAttributes: [{ key: keyword, value: "sched" }], staticSummary: "sum" },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
      memo: { owner: "tests" },
    });
    created.push(handle);
    const d = await eventually(() => handle.describe(), (d) => d.info.recentActions.length >= 2, "two actions");
    expect(d.info.numActionsTaken).toBeGreaterThanOrEqual(2);
    expect(d.action).toMatchObject({ type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue, workflowId: `${scheduleId}-workflow`, memo: { m: 1 }, staticSummary: "sum" });
    expect((d.action.typedSearchAttributes as TypedSearchAttributes).get(keyword)).toBe("sched");
    expect(d.memo).toEqual({ owner: "tests" });
    expect(d.spec.intervals).toEqual([{ every: 1000, offset: 0 }]);
    expect(d.policies.overlap).toBe("ALLOW_ALL");
    for (const a of d.info.recentActions.slice(0, 2)) {
      expect(a.action.workflow.workflowId.startsWith(`${scheduleId}-workflow-`)).toBe(true);
      const run = c.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId);
      expect(await run.result()).toBe("pong");
    }
    await handle.delete();
  });

  test("create paused with a note and limited actions; pause/unpause/trigger/backfill through describe()", async () => {
    const c = await client();
    const handle = await c.schedule.create({
      scheduleId: uid("sched-state"),
      spec: { calendars: [{ hour: 3, dayOfWeek: "MONDAY", comment: "weekly" }], timezone: "Europe/Paris", jitter: "1s" },
      action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue },
      policies: { catchupWindow: "2m", pauseOnFailure: true },
      state: { paused: true, note: "created paused", remainingActions: 5 },
    });
    created.push(handle);
    let d = await handle.describe();
    expect(d.state).toEqual({ paused: true, note: "created paused", remainingActions: 5 });
    expect(d.policies).toEqual({ overlap: "SKIP", catchupWindow: 120_000, pauseOnFailure: true });
    expect(d.spec.timezone).toBe("Europe/Paris");
    expect(d.spec.jitter).toBe(1000);
    expect(d.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], dayOfWeek: [{ start: "MONDAY", end: "MONDAY", step: 1 }], comment: "weekly" });

    await handle.unpause("go");
    d = await handle.describe();
    expect(d.state.paused).toBe(false);
    expect(d.state.note).toBe("go");
    await handle.pause();
    d = await handle.describe();
    expect(d.state).toMatchObject({ paused: true, note: 'Paused via TypeScript SDK"' });

    // A paused schedule still takes triggered and backfilled actions.
    await handle.trigger();
    d = await eventually(() => handle.describe(), (d) => d.info.numActionsTaken >= 1, "the triggered action");
    // Manual actions (trigger, backfill) do not use up the remaining actions (a server rule).
    expect(d.state.remainingActions).toBe(5);
    // Mondays at 03:00 Paris (02:00Z in winter) between these: 1, 8 and 15 January 2024.
    await handle.backfill({ start: new Date("2024-01-01T00:00:00Z"), end: new Date("2024-01-21T12:00:00Z"), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
    d = await eventually(() => handle.describe(), (d) => d.info.numActionsTaken >= 4, "the backfilled actions");
    expect(d.info.numActionsTaken).toBe(4);
    expect(d.state.remainingActions).toBe(5);
    for (const a of d.info.recentActions) {
      const run = c.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId);
      expect(await run.result()).toBe("pong");
    }
    await handle.delete();
  });

  test("backfill at create and triggerImmediately", async () => {
    const c = await client();
    const handle = await c.schedule.create({
      scheduleId: uid("sched-backfill"),
      spec: { cronExpressions: ["0 * * * *"] },
      action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue, workflowId: uid("wf") },
      state: { paused: true, triggerImmediately: true, backfill: [{ start: new Date("2024-03-01T00:30:00Z"), end: new Date("2024-03-01T03:30:00Z"), overlap: "ALLOW_ALL" }] },
    });
    created.push(handle);
    // 1 trigger + 3 hourly backfilled actions (01:00, 02:00, 03:00).
    const d = await eventually(() => handle.describe(), (d) => d.info.numActionsTaken >= 4, "trigger and backfill at create");
    expect(d.info.numActionsTaken).toBe(4);
    expect(d.spec.calendars?.[0]).toMatchObject({ second: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }], hour: [{ start: 0, end: 23, step: 1 }] });
    await handle.delete();
  });

  test("update replaces the spec (read-modify-write) and keeps the rest", async () => {
    const c = await client();
    const handle = await c.schedule.create({
      scheduleId: uid("sched-update"),
      spec: { intervals: [{ every: "1h" }] },
      action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue, args: [] },
      state: { paused: true, note: "n" },
    });
    created.push(handle);
    let seen: ScheduleDescription | undefined;
    await handle.update((prev) => {
      seen = prev;
      return { ...prev, spec: { calendars: [{ hour: { start: 2, end: 10, step: 4 }, month: ["JANUARY", "MARCH"] }] }, state: { ...prev.state, note: "updated" } };
    });
    expect(seen?.spec.intervals).toEqual([{ every: 3_600_000, offset: 0 }]);
    const d = await handle.describe();
    expect(d.spec.intervals).toEqual([]);
    expect(d.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 10, step: 4 }], month: [{ start: "JANUARY", end: "JANUARY", step: 1 }, { start: "MARCH", end: "MARCH", step: 1 }] });
    expect(d.state).toMatchObject({ paused: true, note: "updated" });
    expect(d.action.taskQueue).toBe(w.taskQueue);
    expect(d.info.lastUpdatedAt).toBeInstanceOf(Date);
    await handle.delete();
  });

  test("list finds it (with a query), delete removes it", async () => {
    const c = await client();
    const scheduleId = uid("sched-list");
    const handle = await c.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: "1d" }] },
      action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue },
      state: { paused: true, note: "listed" },
      memo: { k: "v" },
    });
    created.push(handle);
    const listIds = async (query?: string) => {
      const out = [];
      for await (const s of c.schedule.list({ pageSize: 10, query })) out.push(s);
      return out;
    };
    const all = await eventually(() => listIds(), (l) => l.some((s) => s.scheduleId === scheduleId), "the schedule in list()");
    const mine = all.find((s) => s.scheduleId === scheduleId)!;
    expect(mine.action).toEqual({ type: "startWorkflow", workflowType: "ping" });
    expect(mine.state).toEqual({ paused: true, note: "listed" });
    expect(mine.memo).toEqual({ k: "v" });
    const byQuery = await eventually(() => listIds(`ScheduleId = '${scheduleId}'`), (l) => l.length === 1, "the schedule by query");
    expect(byQuery[0]!.scheduleId).toBe(scheduleId);

    await handle.delete();
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await eventually(() => listIds(), (l) => !l.some((s) => s.scheduleId === scheduleId), "the schedule gone from list()");
  });

  test("typed errors: existing id, missing schedule, bad options", async () => {
    const c = await client();
    const scheduleId = uid("sched-dup");
    const options = { scheduleId, spec: { intervals: [{ every: "1h" }] }, action: { type: "startWorkflow" as const, workflowType: "ping", taskQueue: w.taskQueue }, state: { paused: true } };
    const handle = await c.schedule.create(options);
    created.push(handle);
    const dup = await c.schedule.create(options).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ScheduleAlreadyRunning);
    expect((dup as ScheduleAlreadyRunning).scheduleId).toBe(scheduleId);

    const missing = c.schedule.getHandle(uid("no-such-schedule"));
    const err = await missing.describe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScheduleNotFoundError);
    expect((err as ScheduleNotFoundError).scheduleId).toBe(missing.scheduleId);
    await expect(missing.delete()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await expect(missing.pause()).rejects.toBeInstanceOf(ScheduleNotFoundError);

    const bad = (o: object) => c.schedule.create(o as never);
    await expect(bad({ ...options, scheduleId: uid("s"), polices: {} })).rejects.toThrow("ScheduleOptions: unknown option 'polices' (did you mean 'policies'?)");
    await expect(bad({ ...options, scheduleId: uid("s"), spec: { interval: [] } })).rejects.toThrow("ScheduleOptions.spec: unknown option 'interval' (did you mean 'intervals'?)");
    await expect(bad({ ...options, scheduleId: uid("s"), action: { ...options.action, taskQueue: undefined } })).rejects.toThrow("Missing ScheduleOptions.action.taskQueue");
    await expect(bad({ ...options, scheduleId: uid("s"), spec: { calendars: [{ hour: 25 }] } })).rejects.toThrow("ScheduleOptions.spec.calendars[0].hour: invalid CalendarSpec component number 25 of type 'number'");
    await expect(bad({ ...options, scheduleId: uid("s"), policies: { overlap: "SOMETIMES" } })).rejects.toThrow("ScheduleOptions.policies.overlap");
    await expect(bad({ ...options, scheduleId: uid("s"), spec: { intervals: [{ every: "soon" }] } })).rejects.toThrow("ScheduleOptions.spec.intervals[0].every");
    // A spec the server refuses: a TypeError with its reason, as official.
    const serverRefused = await bad({ ...options, scheduleId: uid("s"), spec: { cronExpressions: ["not a cron"] } }).catch((e: unknown) => e);
    expect(serverRefused).toBeInstanceOf(TypeError);
    await handle.delete();
  });

  test("ClientOptions.interceptors.schedule: the create hook sees the compiled options and sets headers kept by update", async () => {
    const e = await env();
    const calls: string[] = [];
    const interceptor: ScheduleClientInterceptor = {
      async create(input, next) {
        calls.push(`${input.options.scheduleId}:${input.options.action.workflowId}`);
        return next({ ...input, headers: { ...input.headers, marker: { metadata: { encoding: new TextEncoder().encode("json/plain") }, data: new TextEncoder().encode('"x"') } as never } });
      },
    };
    const c = new Client({ connection: e.connection, interceptors: { schedule: [interceptor] } });
    const scheduleId = uid("sched-icpt");
    const handle = await c.schedule.create({ scheduleId, spec: { intervals: [{ every: "1h" }] }, action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue }, state: { paused: true } });
    created.push(handle);
    expect(calls).toEqual([`${scheduleId}:${scheduleId}-workflow`]);
    const header = (d: ScheduleDescription) => {
      const a = d.raw.schedule?.action?.action;
      return a?.case === "startWorkflow" ? Object.keys(a.value.header?.fields ?? {}) : [];
    };
    expect(header(await handle.describe())).toEqual(["marker"]);
    await handle.update((d) => ({ ...d, state: { ...d.state, note: "kept" } }));
    expect(header(await handle.describe())).toEqual(["marker"]);
    await handle.delete();
  });

  test("codecs run over the schedule's payloads (memo, args, summary), decoded by describe(); raw stays encoded", async () => {
    const e = await env();
    const ENC = new TextEncoder().encode("binary/reversed");
    // A codec whose output the server stores as is: bytes reversed, encoding marked.
    const codec: PayloadCodec = {
      async encode(ps: Payload[]) {
        return ps.map((p) => ({ metadata: { encoding: ENC }, data: new Uint8Array(new Uint8Array(Buffer.from(JSON.stringify({ m: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString("base64")])), d: Buffer.from(p.data ?? new Uint8Array()).toString("base64") }))).reverse()) }) as unknown as Payload);
      },
      async decode(ps: Payload[]) {
        return ps.map((p) => {
          if (new TextDecoder().decode(p.metadata?.encoding) !== "binary/reversed") return p;
          const o = JSON.parse(Buffer.from(new Uint8Array(p.data!).reverse()).toString()) as { m: Record<string, string>; d: string };
          return { metadata: Object.fromEntries(Object.entries(o.m).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, "base64"))])), data: new Uint8Array(Buffer.from(o.d, "base64")) } as unknown as Payload;
        });
      },
    };
    const c = new Client({ connection: e.connection, dataConverter: { payloadCodecs: [codec] } });
    const handle = await c.schedule.create({
      scheduleId: uid("sched-codec"),
      spec: { intervals: [{ every: "1h" }] },
      action: { type: "startWorkflow", workflowType: "ping", taskQueue: w.taskQueue, args: [{ secret: 42 }], memo: { am: "x" }, staticSummary: "s" },
      memo: { sm: [1, 2] },
      state: { paused: true },
    });
    created.push(handle);
    const d = await handle.describe();
    expect(d.action.args).toEqual([{ secret: 42 }]);
    expect(d.action.memo).toEqual({ am: "x" });
    expect(d.action.staticSummary).toBe("s");
    expect(d.memo).toEqual({ sm: [1, 2] });
    const raw = d.raw.schedule?.action?.action;
    expect(raw?.case).toBe("startWorkflow");
    const encoding = raw?.case === "startWorkflow" ? new TextDecoder().decode(raw.value.input?.payloads[0]?.metadata.encoding) : "";
    expect(encoding).toBe("binary/reversed");
    // A client without the codec sees the encoded payloads (they reached the server encoded).
    const plain = await (await client()).schedule.getHandle(handle.scheduleId).describe().catch((err: unknown) => err);
    expect(plain instanceof Error ? plain.message : JSON.stringify((plain as ScheduleDescription).action.args)).not.toContain("42");
    await handle.delete();
  });

  test("a missing namespace is NamespaceNotFoundError", async () => {
    const e = await env();
    const c = new Client({ connection: e.connection, namespace: `no-such-ns-${crypto.randomUUID()}` });
    const err = await c.schedule.getHandle("x").describe().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(NamespaceNotFoundError);
  });
});
