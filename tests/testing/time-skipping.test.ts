/**
 * TestWorkflowEnvironment.createTimeSkipping: Temporal's Java test server (./dev setup installs
 * it), workers on env.nativeConnection, automatic time skipping while a result is awaited,
 * env.sleep / env.currentTimeMs, and no server process left behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Worker } from "../../src/worker/index.js";
import { JavaNotFoundError, TestWorkflowEnvironment, TestServerNotFoundError } from "../../src/testing/index.js";
import { bundleWorkflowCode } from "../../src/worker/index.js";

const workflowsPath = new URL("./fixtures/time-skipping-workflows.ts", import.meta.url).pathname;
const uid = (p: string) => `${p}-${crypto.randomUUID()}`;

async function portFree(address: string): Promise<boolean> {
  const [host, port] = address.split(":");
  try {
    const s = await Bun.connect({ hostname: host!, port: Number(port), socket: { data() {} } });
    s.end();
    return false;
  } catch {
    return true;
  }
}

let env: TestWorkflowEnvironment;
let bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>;

beforeAll(async () => {
  const started = performance.now();
  env = await TestWorkflowEnvironment.createTimeSkipping();
  console.log(`time-skipping test server start: ${Math.round(performance.now() - started)} ms`);
  bundle = await bundleWorkflowCode({ workflowsPath });
});

afterAll(async () => {
  await env?.teardown();
});

describe("createTimeSkipping", () => {
  test("a workflow sleeping 30 days then running an activity completes in seconds (worker on env.nativeConnection)", async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    expect(env.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const taskQueue = uid("ts");
    const stamps: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: { async stamp(label: string) { stamps.push(label); return `stamp:${label}`; } },
    });
    const wall = performance.now();
    const result = await worker.runUntil(env.client.workflow.execute("sleepThirtyDays", { taskQueue, workflowId: uid("sleep30") }));
    const wallMs = performance.now() - wall;
    const sleptMs = Number(/slept=(\d+)/.exec(result as string)![1]);
    console.log(`30-day sleep: workflow time ${(sleptMs / 86_400_000).toFixed(2)} days, wall time ${Math.round(wallMs)} ms`);
    expect(result).toStartWith("stamp:after");
    expect(stamps).toEqual(["after"]);
    expect(sleptMs).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(wallMs).toBeLessThan(10_000);
  });

  test("a timer race (condition with a 1-day timeout vs a signal) is resolved by time skipping", async () => {
    const taskQueue = uid("race");
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    await worker.runUntil(async () => {
      // Nobody signals: awaiting the result lets the server skip the day, and the timeout wins.
      const wall = performance.now();
      expect(await env.client.workflow.execute("raceTimerAndSignal", { taskQueue, workflowId: uid("race-timeout") })).toBe("timeout");
      expect(performance.now() - wall).toBeLessThan(10_000);
      // Signalled before the result is awaited: time is locked meanwhile, so the signal wins.
      const h = await env.client.workflow.start("raceTimerAndSignal", { taskQueue, workflowId: uid("race-signal") });
      await Bun.sleep(500);
      await h.signal("release");
      expect(await h.result()).toBe("signal");
    });
  });

  test("env.sleep advances the server clock; currentTimeMs reads it; time is locked outside result waits", async () => {
    const t0 = await env.currentTimeMs();
    await env.sleep("2 hours");
    const t1 = await env.currentTimeMs();
    expect(t1 - t0).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(t1 - t0).toBeLessThan(2 * 3_600_000 + 60_000);
    // Locked: a running 1-hour timer does not fire on its own in real time...
    const taskQueue = uid("lock");
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start("sleeper", { taskQueue, workflowId: uid("sleeper"), args: [3_600_000] });
      await Bun.sleep(1500);
      expect((await h.describe()).status.name).toBe("RUNNING");
      // ...until env.sleep moves the clock past it.
      await env.sleep("61 minutes");
      expect(await h.result()).toBeGreaterThanOrEqual(3_600_000);
    });
  });

  test("server.address: a test server already running; teardown leaves it running and unlocked", async () => {
    const { TimeSkippingServer } = await import("../../src/testing/index.js");
    const server = await TimeSkippingServer.start();
    try {
      for (let round = 0; round < 2; round++) {
        const e = await TestWorkflowEnvironment.createTimeSkipping({ server: { address: server.target } });
        expect(e.address).toBe(server.target);
        const taskQueue = uid("existing");
        const worker = await Worker.create({ connection: e.nativeConnection, taskQueue, workflowBundle: bundle });
        const wall = performance.now();
        // A day-long timer: time skipping works in each environment, one after the other.
        expect(await worker.runUntil(e.client.workflow.execute("sleeper", { taskQueue, workflowId: uid("existing"), args: [86_400_000] }))).toBeGreaterThanOrEqual(86_400_000);
        expect(performance.now() - wall).toBeLessThan(10_000);
        await e.teardown();
        expect(await portFree(server.target)).toBe(false);
      }
    } finally {
      await server.shutdown();
    }
    expect(await portFree(server.target)).toBe(true);
    expect(await TestWorkflowEnvironment.createTimeSkipping({ server: { address: "nope" } }).catch((e) => e)).toBeInstanceOf(TypeError);
  });

  test("options are checked: bad port, cached-download, a missing executable", async () => {
    expect(await TestWorkflowEnvironment.createTimeSkipping({ server: { port: -1 } }).catch((e) => e)).toBeInstanceOf(TypeError);
    const cached = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: "cached-download" } } }).catch((e) => e);
    expect(cached.message).toContain("cached-download");
    const missing = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: "existing-path", path: "/nonexistent/test-server" } } }).catch((e) => e);
    expect(missing).toBeInstanceOf(TestServerNotFoundError);
    expect(missing.message).toContain("./dev setup");
  });

  test("a missing Java is a clear error naming the fix", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const err = await TestWorkflowEnvironment.createTimeSkipping().catch((e) => e);
      if (err instanceof TestWorkflowEnvironment) await err.teardown();
      expect(err).toBeInstanceOf(JavaNotFoundError);
      expect(err.message).toContain("install a Java runtime");
      expect(err.message).toContain("java");
    } finally {
      process.env.PATH = path;
    }
  });
});
