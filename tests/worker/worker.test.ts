import { describe, expect, test } from "bun:test";
import { bridgeCounters } from "../../src/bridge/index.js";
import { NamespaceNotFoundError, Worker, WorkerOptionsError, type State } from "../../src/worker/index.js";
import * as activities from "./fixtures/activities.js";
import { connection, executeWorkflow, fixturesDir, samplesDir, taskQueue } from "./helpers.js";
import * as sampleActivities from "../../samples/activities.js";

const workflowsPath = `${fixturesDir}workflows.ts`;

describe("Worker.create", () => {
  test("invalid options are WorkerOptionsErrors that name the option", async () => {
    const conn = await connection();
    const cases: [Record<string, unknown>, string][] = [
      [{ connection: conn, taskQueue: "" }, "taskQueue"],
      [{ connection: conn, taskQueue: "q", activities: 5 }, "activities"],
      [{ connection: conn, taskQueue: "q", activities, maxConcurrentActivityTaskExecutions: 0 }, "maxConcurrentActivityTaskExecutions"],
      [{ connection: conn, taskQueue: "q", activities, shutdownGraceTime: "soon" }, "shutdownGraceTime"],
      [{ connection: conn, taskQueue: "q", activities, maxCachedWorkflow: 10 }, "maxCachedWorkflow"],
      [{ connection: conn, taskQueue: "q" }, "workflowsPath"],
      [{ connection: {}, taskQueue: "q", activities }, "connection"],
      [{ connection: conn, taskQueue: "q", activities, dataConverter: 5 }, "dataConverter"],
      [{ connection: conn, taskQueue: "q", activities, dataConverter: { payloadCodecs: [{ encode() {} }] } }, "dataConverter.payloadCodecs[0]"],
      [{ connection: conn, taskQueue: "q", activities, dataConverter: { payloadConverter: {} } }, "dataConverter.payloadConverter"],
    ];
    for (const [options, option] of cases) {
      const err = await Worker.create(options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkerOptionsError);
      expect((err as WorkerOptionsError).option).toBe(option);
      expect((err as Error).message).toContain(option);
    }
  });

  test("a namespace the server does not know fails fast with NamespaceNotFoundError", async () => {
    const conn = await connection();
    const before = bridgeCounters().live.worker;
    const t0 = performance.now();
    const err = await Worker.create({ connection: conn, namespace: "no-such-namespace", taskQueue: "q", activities }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NamespaceNotFoundError);
    expect((err as Error).message).toContain("no-such-namespace");
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(bridgeCounters().live.worker).toBe(before);
  });
});

describe("Worker.run", () => {
  test("runs the sample workflow and activity; states INITIALIZED → RUNNING → STOPPING → DRAINING → DRAINED → STOPPED; native handles released", async () => {
    const conn = await connection();
    const before = bridgeCounters();
    const tq = taskQueue("hello");
    const worker = await Worker.create({
      connection: conn,
      taskQueue: tq,
      workflowsPath: `${samplesDir}workflows.ts`,
      activities: sampleActivities,
      shutdownSignals: [],
    });
    expect(bridgeCounters().live.worker).toBe(before.live.worker + 1);
    const states: State[] = [worker.getState()];
    const timer = setInterval(() => {
      const s = worker.getState();
      if (states.at(-1) !== s) states.push(s);
    }, 0);
    const running = worker.run();
    expect(worker.getState()).toBe("RUNNING");
    const result = await executeWorkflow("greet", { taskQueue: tq, args: ["Bun"] });
    expect(result).toBe("Hello, Bun!");
    worker.shutdown();
    worker.shutdown(); // idempotent
    expect(worker.getState()).toBe("STOPPING");
    // Seen synchronously above: record it even when draining ends before the sampling timer's next tick.
    if (states.at(-1) !== "STOPPING") states.push("STOPPING");
    await running;
    clearInterval(timer);
    if (states.at(-1) !== worker.getState()) states.push(worker.getState());
    expect(states[0]).toBe("INITIALIZED");
    expect(states).toContain("RUNNING");
    expect(states).toContain("STOPPING");
    expect(states.at(-1)).toBe("STOPPED");
    for (const s of states) expect(["INITIALIZED", "RUNNING", "STOPPING", "DRAINING", "DRAINED", "STOPPED"]).toContain(s);
    const after = bridgeCounters();
    expect(after.live.worker).toBe(before.live.worker);
    expect(worker.getStatus().numCachedWorkflows).toBe(0);
    await expect(worker.run()).rejects.toThrow(/may be called once/);
  });

  test("runUntil returns the promise's value and leaves the worker STOPPED", async () => {
    const conn = await connection();
    const tq = taskQueue("run-until");
    const worker = await Worker.create({ connection: conn, taskQueue: tq, workflowsPath, activities, shutdownSignals: [] });
    const result = await worker.runUntil(executeWorkflow("hello", { taskQueue: tq, args: ["runUntil"] }));
    expect(result).toBe("Hello, runUntil!");
    expect(worker.getState()).toBe("STOPPED");
  });

  test("shutdown() before run(): the worker is released and run() refuses", async () => {
    const conn = await connection();
    const before = bridgeCounters().live.worker;
    const worker = await Worker.create({ connection: conn, taskQueue: taskQueue("never-run"), activities, shutdownSignals: [] });
    worker.shutdown();
    expect(worker.getState()).toBe("STOPPED");
    await expect(worker.run()).rejects.toThrow(/may be called once/);
    for (let i = 0; i < 100 && bridgeCounters().live.worker !== before; i++) await Bun.sleep(20);
    expect(bridgeCounters().live.worker).toBe(before);
  });

  test("many workflows on one worker: different runs proceed concurrently, each in order", async () => {
    const conn = await connection();
    const tq = taskQueue("many");
    const worker = await Worker.create({ connection: conn, taskQueue: tq, workflowsPath, activities, shutdownSignals: [] });
    const results = await worker.runUntil(Promise.all(Array.from({ length: 20 }, (_, i) => executeWorkflow("hello", { taskQueue: tq, args: [`n${i}`] }))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `Hello, n${i}!`));
  });
});
