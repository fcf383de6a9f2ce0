import { describe, expect, test } from "bun:test";
import { NativeBridgeError } from "../../src/bridge/index.js";
import { NativeConnection, Worker } from "../../src/worker/index.js";
import * as activities from "./fixtures/activities.js";
import { executeWorkflow, fixturesDir, taskQueue } from "./helpers.js";
import { testServer } from "../helpers/dev-server.js";
import { readLine } from "../helpers/read-line.js";

const bin = new URL("../../bin/temporal-bun-worker.ts", import.meta.url).pathname;

function spawnCli(args: string[], env: Record<string, string | undefined>) {
  return Bun.spawn(["bun", bin, ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
}

describe("temporal-bun-worker CLI", () => {
  test("--help prints usage and exits 0", async () => {
    const p = spawnCli(["--help"], {});
    expect(await p.exited).toBe(0);
    expect(await new Response(p.stdout).text()).toContain("Usage: temporal-bun-worker");
  });

  test("--help names the build subcommand; build --help says what the executable embeds", async () => {
    const p = spawnCli(["--help"], {});
    expect(await p.exited).toBe(0);
    expect(await new Response(p.stdout).text()).toContain("temporal-bun-worker build [--workflows <path>] [--activities <path>] [--task-queue <name>] -o <file>");
    const b = spawnCli(["build", "--help"], {});
    expect(await b.exited).toBe(0);
    const help = await new Response(b.stdout).text();
    expect(help).toStartWith("Usage: temporal-bun-worker build");
    for (const part of ["workflow bundle", "activities module", "native bridge library", "-o, --outfile <path>", "SIGINT/SIGTERM"]) expect(help).toContain(part);
    const bad = spawnCli(["build", "--bogus"], {});
    expect(await bad.exited).toBe(1);
    expect(await new Response(bad.stderr).text()).toContain("temporal-bun-worker build: Unknown option '--bogus'");
  });

  test("SIGTERM sent as soon as the ready line is read shuts down cleanly (exit 0)", async () => {
    const { address } = await testServer();
    const p = spawnCli(["--workflows", `${fixturesDir}workflows.ts`, "--activities", `${fixturesDir}activities.ts`, "--task-queue", taskQueue("cli-early")], {
      TEMPORAL_ADDRESS: address,
    });
    try {
      await readLine(p.stdout, /ready:/, 20_000);
      p.kill("SIGTERM");
      expect(await p.exited).toBe(0);
    } finally {
      p.kill("SIGKILL");
    }
  });

  test("processes a workflow, then exits 0 within a few seconds of SIGTERM", async () => {
    const { address } = await testServer();
    const tq = taskQueue("cli");
    const p = spawnCli(["--workflows", `${fixturesDir}workflows.ts`, "--activities", `${fixturesDir}activities.ts`], {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: tq,
      TEMPORAL_BUN_SDK_USE_ZIG: "1",
    });
    try {
      const ready = await readLine(p.stdout, /ready:/, 20_000);
      expect(ready).toContain(`address=${address}`);
      expect(ready).toContain("namespace=default");
      expect(ready).toContain(`taskQueue=${tq}`);
      expect(ready).toContain("bridge=zig");
      expect(ready).toMatch(/library=\S+libtemporal_bun_bridge\.so/);
      expect(await executeWorkflow("hello", { taskQueue: tq, args: ["CLI"] })).toBe("Hello, CLI!");
      const t0 = performance.now();
      p.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      expect(performance.now() - t0).toBeLessThan(5_000);
    } finally {
      p.kill("SIGKILL");
    }
  });

  test("TEMPORAL_BUN_SDK_USE_ZIG=0 exits 1 with a reason naming the flag; an invalid value lists the accepted ones", async () => {
    const off = spawnCli([], { TEMPORAL_BUN_SDK_USE_ZIG: "0" });
    expect(await off.exited).toBe(1);
    const offErr = await new Response(off.stderr).text();
    expect(offErr).toContain("TEMPORAL_BUN_SDK_USE_ZIG=0");
    expect(offErr.trim().split("\n")).toHaveLength(1);

    const bad = spawnCli([], { TEMPORAL_BUN_SDK_USE_ZIG: "maybe" });
    expect(await bad.exited).toBe(1);
    const badErr = await new Response(bad.stderr).text();
    expect(badErr).toContain("'maybe' is not valid");
    expect(badErr).toContain("'1', 'true' or 'on'");
  });
});

describe("TEMPORAL_BUN_SDK_USE_ZIG in process", () => {
  test("off: Worker.create and NativeConnection.connect reject with a bridge_disabled error naming the flag", async () => {
    const saved = process.env.TEMPORAL_BUN_SDK_USE_ZIG;
    process.env.TEMPORAL_BUN_SDK_USE_ZIG = "off";
    try {
      const w = await Worker.create({ taskQueue: "q", activities }).catch((e: unknown) => e);
      expect(w).toBeInstanceOf(NativeBridgeError);
      expect((w as NativeBridgeError).codeName).toBe("bridge_disabled");
      expect((w as Error).message).toContain("TEMPORAL_BUN_SDK_USE_ZIG");
      const c = await NativeConnection.connect({ address: "127.0.0.1:1" }).catch((e: unknown) => e);
      expect((c as NativeBridgeError).codeName).toBe("bridge_disabled");
      process.env.TEMPORAL_BUN_SDK_USE_ZIG = "perhaps";
      await expect(Worker.create({ taskQueue: "q", activities })).rejects.toThrow(/accepted values/);
    } finally {
      if (saved === undefined) delete process.env.TEMPORAL_BUN_SDK_USE_ZIG;
      else process.env.TEMPORAL_BUN_SDK_USE_ZIG = saved;
    }
  });

  test("without --task-queue or TEMPORAL_TASK_QUEUE it exits 1 saying how to give one; bad TEMPORAL_* variables are named", async () => {
    const env: Record<string, string | undefined> = { ...process.env, TEMPORAL_ADDRESS: "127.0.0.1:1" };
    delete env.TEMPORAL_TASK_QUEUE;
    const p = Bun.spawn(["bun", bin], { env, stdout: "pipe", stderr: "pipe" });
    expect(await p.exited).toBe(1);
    const err = await new Response(p.stderr).text();
    expect(err.trim()).toBe("temporal-bun-worker: no task queue: pass --task-queue <name> or set TEMPORAL_TASK_QUEUE");

    const bad = spawnCli(["--task-queue", "q"], { TEMPORAL_ADDRESS: "nope" });
    expect(await bad.exited).toBe(1);
    const badErr = await new Response(bad.stderr).text();
    expect(badErr).toContain("TemporalConfigError");
    expect(badErr).toContain("TEMPORAL_ADDRESS='nope': expected host:port");
    expect(badErr.trim().split("\n")).toHaveLength(1);
  });
});
