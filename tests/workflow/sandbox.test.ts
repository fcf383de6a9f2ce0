import { beforeAll, describe, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, failureOf, jobs, kinds, resultOf, T0 } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/workflows.ts") });
});

const runtime = (deadlockTimeoutMs = 2000) => {
  const { lines, logger } = capturingLogger();
  return Object.assign(createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger, deadlockTimeoutMs }), { lines });
};

describe("isolation", () => {
  test("two runs of the same workflow type do not share module state or globals", async () => {
    const rt = runtime();
    await rt.activate(activation("a", [jobs.init("moduleStateWorkflow")]));
    await rt.activate(activation("b", [jobs.init("moduleStateWorkflow")]));
    const a = resultOf(await rt.activate(activation("a", [jobs.fireTimer(1)])));
    const b = resultOf(await rt.activate(activation("b", [jobs.fireTimer(1)])));
    expect(a).toBe(101);
    expect(b).toBe(101);
  });

  test("no fetch, process, Bun or require inside workflow code; setTimeout is the durable one", async () => {
    const rt = runtime();
    expect(resultOf(await rt.activate(activation("r", [jobs.init("globalsWorkflow")])))).toEqual({
      fetch: "undefined",
      process: "undefined",
      Bun: "undefined",
      require: "undefined",
      setTimeout: "function",
      ShadowRealm: "undefined",
    });
  });
});

describe("determinism", () => {
  test("Date and Math.random come from the activation; the same seed gives the same values", async () => {
    const results: unknown[] = [];
    for (const runId of ["x", "y"]) {
      const rt = runtime();
      await rt.activate(activation(runId, [jobs.init("determinismWorkflow", [], 7n)]));
      results.push(resultOf(await rt.activate(activation(runId, [jobs.fireTimer(1)], { timeMs: T0 + 5000 }))));
    }
    const [x, y] = results as { before: { now: number; date: number; random: number; uuid: string; cuuid: string }; after: { now: number } }[];
    expect(x!.before.now).toBe(T0);
    expect(x!.before.date).toBe(T0);
    expect(x!.after.now).toBe(T0 + 5000);
    expect(x!.before.random).toBeGreaterThanOrEqual(0);
    expect(x!.before.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(y).toEqual(x!);
    const rt = runtime();
    await rt.activate(activation("z", [jobs.init("determinismWorkflow", [], 8n)]));
    const z = resultOf(await rt.activate(activation("z", [jobs.fireTimer(1)]))) as NonNullable<typeof x>;
    expect(z.before.random).not.toBe(x!.before.random);
  });

  test("updateRandomSeed re-seeds Math.random", async () => {
    const run = async (reseed: boolean) => {
      const rt = runtime();
      await rt.activate(activation("r", [jobs.init("determinismWorkflow", [], 7n)]));
      const extra = reseed ? [jobs.updateRandomSeed(99n)] : [];
      return resultOf(await rt.activate(activation("r", [...extra, jobs.fireTimer(1)]))) as { after: { random: number } };
    };
    expect((await run(true)).after.random).not.toBe((await run(false)).after.random);
  });

  test("WeakRef throws a DeterminismViolationError, which fails the task", async () => {
    const rt = runtime();
    const f = failureOf(await rt.activate(activation("r", [jobs.init("weakRefWorkflow")])));
    expect(f.message).toContain("WeakRef cannot be used in workflow code");
  });

  test("setTimeout/clearTimeout map to durable timers", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r", [jobs.init("setTimeoutWorkflow")]));
    // clearTimeout's cancellation propagates through a promise, so its cancelTimer follows
    // the synchronous code after it (as in the official SDK); the order is deterministic.
    expect(kinds(c1)).toEqual(["startTimer", "startTimer", "cancelTimer"]);
    const c2 = await rt.activate(activation("r", [jobs.fireTimer(2)]));
    expect(resultOf(c2)).toBe("fired");
  });
});

describe("deadlock detection", () => {
  for (const wf of ["busyLoopWorkflow", "awaitLoopWorkflow"]) {
    test(`${wf}: the activation fails after the deadline and the runtime stays usable`, async () => {
      const rt = runtime(300);
      const started = performance.now();
      const c = await rt.activate(activation("stuck", [jobs.init(wf)]));
      const elapsed = performance.now() - started;
      expect(failureOf(c).message).toContain("Potential deadlock detected");
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(2000);
      // the stuck run is not run again
      expect(failureOf(await rt.activate(activation("stuck", [jobs.signal("x")]))).message).toContain("deadlock");
      // other runs still work
      await rt.activate(activation("ok", [jobs.init("timerWorkflow")]));
      expect(resultOf(await rt.activate(activation("ok", [jobs.fireTimer(1)])))).toBe("done");
      // and the stuck one can be evicted
      expect(commands(await rt.activate(activation("stuck", [jobs.evict()])))).toEqual([]);
      expect(rt.lines.some((l) => l.level === "error" && l.message.includes("deadlock"))).toBe(true);
    });
  }
});

describe("deadlock detection and host code", () => {
  test("host microtasks queued before an activation never run under the watchdog (a deadline hit cannot terminate them)", async () => {
    const rt = runtime(100);
    const hostSteps: string[] = [];
    // A host continuation (like the worker loop or the bridge's wake-pipe reader) that is
    // queued when the activation starts and runs longer than the deadline.
    const host = (async () => {
      await Promise.resolve();
      const until = performance.now() + 150;
      while (performance.now() < until) {
        // busy: longer than the 100 ms watchdog
      }
      hostSteps.push("finished");
    })();
    const c = await rt.activate(activation("stuck-host", [jobs.init("busyLoopWorkflow")]));
    expect(failureOf(c).message).toContain("Potential deadlock detected");
    await host;
    expect(hostSteps).toEqual(["finished"]);
  });
});

describe("unhandled rejections", () => {
  // bun test turns every unhandled rejection into a test failure, whatever listeners exist,
  // so this runs in a child process the way a worker runs.
  test("a floating rejected promise in workflow code is logged and does not end the process", async () => {
    const proc = Bun.spawn([process.execPath, path.join(import.meta.dir, "fixtures/unhandled-rejection-main.ts")], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect({ code, err: err.slice(0, 500) }).toEqual({ code: 0, err: "" });
    const lines = out.trim().split("\n");
    expect(lines).toContain("logged: Unhandled promise rejection in workflow code: floating rejection");
    expect(lines).toContain("result: survived");
  });
});
