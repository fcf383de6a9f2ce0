/**
 * MockActivityEnvironment runs activity functions with the worker's activity Context, as
 * @temporalio/testing's: results, heartbeat events, cancellation (details and reason as
 * official), sleep, logging with the activity's attributes. No server, no worker.
 */
import { describe, expect, test } from "bun:test";
import { Context, activityInfo, cancellationDetails, heartbeat, log, sleep } from "../../src/activity/index.js";
import { ActivityCancellationDetails, CancelledFailure, type LogLevel, type Logger, type MetricCounter, type MetricMeter } from "../../src/common/index.js";
import type { ActivityInterceptorsFactory } from "../../src/worker/index.js";
import { MockActivityEnvironment, defaultActivityInfo } from "../../src/testing/index.js";

describe("MockActivityEnvironment", () => {
  test("runs the function with the args in a Context whose info is the defaults plus the given fields", async () => {
    const env = new MockActivityEnvironment({ attempt: 3, activityType: "greet" });
    const result = await env.run(async (name: string) => `${activityInfo().activityType}:${name}:${activityInfo().attempt}:${activityInfo().taskQueue}`, "Ann");
    expect(result).toBe("greet:Ann:3:test");
    expect(env.context.info).toEqual({ ...defaultActivityInfo, attempt: 3, activityType: "greet" });
    expect(defaultActivityInfo.base64TaskToken).toBe("dGVzdA==");
    // Outside run(), no activity context.
    expect(() => Context.current()).toThrow();
  });

  test("a thrown error rejects run() as is", async () => {
    const env = new MockActivityEnvironment();
    const err = new Error("boom");
    await expect(
      env.run(async () => {
        throw err;
      }),
    ).rejects.toBe(err);
  });

  test("heartbeats are emitted as 'heartbeat' events with their details", async () => {
    const env = new MockActivityEnvironment();
    const seen: unknown[] = [];
    env.on("heartbeat", (d: unknown) => seen.push(d));
    await env.run(async () => {
      heartbeat(1);
      Context.current().heartbeat({ step: 2 });
      heartbeat();
    });
    expect(seen).toEqual([1, { step: 2 }, undefined]);
  });

  test("cancel() fails sleep and `cancelled` with CancelledFailure; details as official (cancelRequested), plus our reason", async () => {
    const env = new MockActivityEnvironment();
    const running = env.run(async () => {
      try {
        await sleep("1 minute");
        return "not cancelled";
      } catch (e) {
        await Context.current().cancelled.catch(() => undefined);
        const d = cancellationDetails();
        return { error: e, details: d, aborted: Context.current().cancellationSignal.aborted };
      }
    });
    env.cancel();
    const r = (await running) as { error: unknown; details: ActivityCancellationDetails & { reason: string }; aborted: boolean };
    expect(r.error).toBeInstanceOf(CancelledFailure);
    expect((r.error as Error).message).toBe("CANCELLED");
    expect(r.aborted).toBe(true);
    expect(r.details).toBeInstanceOf(ActivityCancellationDetails);
    expect(r.details.cancelRequested).toBe(true);
    expect(r.details.paused).toBe(false);
    expect(r.details.reason).toBe("CANCELLED");
  });

  test("cancel(reason, details) passes them on", async () => {
    const env = new MockActivityEnvironment();
    env.cancel("PAUSED", new ActivityCancellationDetails({ paused: true }));
    const d = await env.run(async () => cancellationDetails());
    expect(d).toMatchObject({ paused: true, cancelRequested: false, reason: "PAUSED" });
  });

  test("log lines go to the given logger with the activity's attributes", async () => {
    const lines: { level: LogLevel; message: string; meta?: Record<string, unknown> }[] = [];
    const rec = (level: LogLevel) => (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, meta });
    const logger: Logger = { log: (l, m, x) => rec(l)(m, x), trace: rec("TRACE"), debug: rec("DEBUG"), info: rec("INFO"), warn: rec("WARN"), error: rec("ERROR") };
    const env = new MockActivityEnvironment({ activityId: "a-1" }, { logger });
    await env.run(async () => log.info("hello", { extra: 1 }));
    // As official: the run's own lines (sdkComponent worker) around the activity's.
    expect(lines.map((l) => [l.level, l.message, l.meta?.sdkComponent])).toEqual([
      ["DEBUG", "Activity started", "worker"],
      ["INFO", "hello", "activity"],
      ["DEBUG", "Activity completed", "worker"],
    ]);
    expect(lines[1]).toMatchObject({ level: "INFO", message: "hello", meta: { sdkComponent: "activity", activityId: "a-1", extra: 1 } });
  });

  test("interceptors run as on the worker: factories once, execute around every run with empty headers, log attributes and metric tags composed in order", async () => {
    const lines: { level: LogLevel; message: string; meta?: Record<string, unknown> }[] = [];
    const rec = (level: LogLevel) => (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, meta });
    const logger: Logger = { log: (l, m, x) => rec(l)(m, x), trace: rec("TRACE"), debug: rec("DEBUG"), info: rec("INFO"), warn: rec("WARN"), error: rec("ERROR") };
    const records: { name: string; value: number; tags: Record<string, unknown> }[] = [];
    const counter = (name: string): MetricCounter => {
      const c: MetricCounter = { name, kind: "counter", valueType: "int", add: (value, tags) => void records.push({ name, value, tags: { ...tags } }), withTags: () => c };
      return c;
    };
    const meter: MetricMeter = { createCounter: counter, createHistogram: () => undefined as never, createGauge: () => undefined as never, withTags: () => meter };
    const order: string[] = [];
    const contexts: Context[] = [];
    const layer =
      (who: string): ActivityInterceptorsFactory =>
      (ctx) => {
        contexts.push(ctx);
        return {
          inbound: {
            async execute(input, next) {
              order.push(`${who}:${JSON.stringify(input)}`);
              const r = await next({ ...input, args: [...input.args, who] });
              return `${r}<${who}`;
            },
          },
          outbound: {
            getLogAttributes: (a, next) => next({ ...a, path: `${a.path ?? ""}${who}`, taskToken: undefined }),
            getMetricTags: (t, next) => next({ ...t, path: `${t.path ?? ""}${who}` }),
          },
        };
      };
    const env = new MockActivityEnvironment({ activityType: "join" }, { logger, metricMeter: meter, interceptors: [layer("A"), layer("B")] });
    expect(contexts).toEqual([env.context, env.context]);
    const join = async (...parts: string[]) => {
      log.info("joining");
      Context.current().metricMeter.createCounter("joins").add(1, { extra: "x" });
      return parts.join("+");
    };
    expect(await env.run(join, "x")).toBe("x+A+B<B<A");
    expect(await env.run(join, "y")).toBe("y+A+B<B<A");
    expect(contexts.length).toBe(2);
    expect(order).toEqual(['A:{"args":["x"],"headers":{}}', 'B:{"args":["x","A"],"headers":{}}', 'A:{"args":["y"],"headers":{}}', 'B:{"args":["y","A"],"headers":{}}']);
    const joining = lines.filter((l) => l.message === "joining");
    expect(joining.length).toBe(2);
    expect(joining[0]!.meta).toMatchObject({ sdkComponent: "activity", activityType: "join", path: "AB" });
    expect(joining[0]!.meta).not.toHaveProperty("taskToken");
    expect(lines.find((l) => l.message === "Activity completed")!.meta).toMatchObject({ sdkComponent: "worker", path: "AB" });
    expect(records).toEqual([
      { name: "joins", value: 1, tags: { namespace: "test", taskQueue: "test", activityType: "join", path: "AB", extra: "x" } },
      { name: "joins", value: 1, tags: { namespace: "test", taskQueue: "test", activityType: "join", path: "AB", extra: "x" } },
    ]);
  });

  test("an interceptor that throws rejects run() with its error and the function does not run", async () => {
    let ran = false;
    const err = new Error("refused");
    const env = new MockActivityEnvironment({}, { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} }, interceptors: [() => ({ inbound: { execute: async () => Promise.reject(err) } })] });
    await expect(env.run(async () => void (ran = true))).rejects.toBe(err);
    expect(ran).toBe(false);
  });

  test("bad interceptors are TypeErrors naming the entry", () => {
    expect(() => new MockActivityEnvironment({}, { interceptors: ["x"] as never })).toThrow('MockActivityEnvironment option interceptors[0]: expected a function, got "x"');
    expect(() => new MockActivityEnvironment({}, { interceptors: [() => undefined as never] })).toThrow("MockActivityEnvironment option interceptors[0] returned undefined; expected { inbound?, outbound? }");
  });

  test("an unknown option is a TypeError naming it", () => {
    expect(() => new MockActivityEnvironment({}, { loger: {} } as never)).toThrow(/unknown option 'loger'/);
  });
});

describe("activityLogAttributes (/worker)", () => {
  test("gives the official attributes for an Info", async () => {
    const { activityLogAttributes } = await import("../../src/worker/index.js");
    // Official result for its defaultActivityInfo (the fields both SDKs have are the same).
    expect(activityLogAttributes(defaultActivityInfo)).toEqual({
      isLocal: false,
      attempt: 1,
      namespace: "test",
      taskToken: "dGVzdA==",
      activityId: "test",
      activityType: "unknown",
      taskQueue: "test",
      workflowId: "test",
      workflowRunId: "00000000-0000-0000-0000-000000000000",
      workflowType: "test",
    });
  });
});
