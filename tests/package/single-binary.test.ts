/**
 * `temporal-bun-worker build`: a worker compiled into one executable runs a workflow end to end
 * in a clean environment (no bun on PATH, an empty HOME), against the test dev server, and
 * stops with exit code 0 on SIGTERM; bad build input gets a one-line error naming the option.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { testEnv } from "../helpers/dev-server.js";
import { readLine } from "../helpers/read-line.js";

const repo = path.resolve(import.meta.dir, "../..");
const cli = path.join(repo, "bin", "temporal-bun-worker.ts");
const fixtures = path.join(import.meta.dir, "fixtures", "single-binary");
/** The only PATH the executable gets: no bun there (asserted). */
const CLEAN_PATH = "/usr/bin:/bin";

let work: string;
let binary: string;
/** Baked in with `build --task-queue`: used when neither --task-queue nor TEMPORAL_TASK_QUEUE is given. */
const builtInQueue = `single-binary-default-${crypto.randomUUID()}`;

/** Runs the CLI (under this bun) and collects its output. */
async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, cli, ...args], { stdout: "pipe", stderr: "pipe", env: process.env });
  try {
    const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
    return { code, out, err };
  } finally {
    p.kill("SIGKILL");
  }
}

/** Starts the executable with only the given environment; stderr is collected in the background. */
function startBinary(env: Record<string, string>, args: string[] = []) {
  const p = Bun.spawn([binary, ...args], { env, stdout: "pipe", stderr: "pipe", cwd: work });
  let err = "";
  const errDone = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of p.stderr) err += decoder.decode(chunk, { stream: true });
  })();
  return { p, stderr: () => err, errDone };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "single-binary-test-"));
  binary = path.join(work, "out", "my-worker");
  const built = await runCli(["build", "--workflows", path.join(fixtures, "workflows.ts"), "--activities", path.join(fixtures, "activities.ts"), "--task-queue", builtInQueue, "-o", binary]);
  if (built.code !== 0) throw new Error(`build failed (${built.code}): ${built.err}`);
  expect(built.out).toContain(`wrote ${binary}`);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a worker compiled by temporal-bun-worker build", () => {
  test("is one executable file (no source map or library beside it)", () => {
    const st = statSync(binary);
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o111).not.toBe(0);
    expect(Bun.spawnSync(["ls", path.dirname(binary)]).stdout.toString().trim()).toBe("my-worker");
  });

  test("runs a workflow and its activity with no bun on PATH and an empty HOME, then exits 0 on SIGTERM (TEMPORAL_TASK_QUEUE over the built-in queue)", async () => {
    expect(Bun.which("bun", { PATH: CLEAN_PATH })).toBeNull();
    const env = await testEnv();
    const home = mkdtempSync(path.join(work, "home-"));
    const taskQueue = `single-binary-${crypto.randomUUID()}`;
    const { p, stderr, errDone } = startBinary({ PATH: CLEAN_PATH, HOME: home, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue });
    try {
      const ready = await readLine(p.stdout, /ready:/, 30_000, stderr);
      expect(ready).toStartWith("temporal-bun-worker ready: ");
      expect(ready).toContain(`address=${env.address}`);
      expect(ready).toContain("namespace=default");
      expect(ready).toContain(`taskQueue=${taskQueue}`);
      expect(ready).toContain("bridge=zig");
      // The embedded library, written under the empty HOME's cache folder, keyed by its hash.
      expect(ready).toMatch(new RegExp(`library=${home}/\\.cache/temporal-bun-sdk/native/[0-9a-f]{32}/libtemporal_bun_bridge\\.so \\(ABI \\d+\\)`));
      expect(ready).toContain(`workflows=embedded:${path.join(fixtures, "workflows.ts")}`);
      expect(ready).toContain(`activities=embedded:${path.join(fixtures, "activities.ts")}`);

      const result = await env.client.workflow.execute("greetFromBinary", { taskQueue, workflowId: `single-binary-${crypto.randomUUID()}`, args: ["Binary"] });
      expect(result).toBe(`Hello, Binary! activity describeRuntime attempt 1 in a compiled executable; workflow greetFromBinary on ${taskQueue}`);

      p.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      await errDone;
      expect(stderr()).not.toMatch(/error/i);
    } finally {
      p.kill("SIGKILL");
      await p.exited;
    }
  });

  test("reuses the library a previous start wrote; with HOME unusable it writes it under the temp folder; SIGINT exits 0 too; --task-queue and the built-in queue", async () => {
    const env = await testEnv();
    const home = mkdtempSync(path.join(work, "home-"));
    const tmp = mkdtempSync(path.join(work, "tmp-"));
    const flagQueue = `single-binary-${crypto.randomUUID()}`;
    /** Starts the executable, waits for ready, stops it; returns the library path and the task queue of the ready line. */
    const runToReady = async (extra: Record<string, string>, args: string[], signal: "SIGTERM" | "SIGINT" = "SIGTERM"): Promise<{ library: string; taskQueue: string }> => {
      const { p, stderr } = startBinary({ PATH: CLEAN_PATH, TEMPORAL_ADDRESS: env.address, ...extra }, args);
      try {
        const ready = await readLine(p.stdout, /ready:/, 30_000, stderr);
        p.kill(signal);
        expect(await p.exited).toBe(0);
        return { library: /library=(\S+)/.exec(ready)![1]!, taskQueue: /taskQueue=(\S+)/.exec(ready)![1]! };
      } finally {
        p.kill("SIGKILL");
        await p.exited;
      }
    };
    const first = await runToReady({ HOME: home, TEMPORAL_TASK_QUEUE: "loses-to-the-flag" }, ["--task-queue", flagQueue]);
    expect(first.taskQueue).toBe(flagQueue);
    const writtenAt = statSync(first.library).mtimeMs;
    // SIGINT this time: Ctrl-C shuts down as cleanly as SIGTERM. No queue given: the built-in one.
    expect(await runToReady({ HOME: home }, [], "SIGINT")).toEqual({ library: first.library, taskQueue: builtInQueue });
    expect(statSync(first.library).mtimeMs).toBe(writtenAt);

    // /dev/null is not a folder: nothing can be created under it, so the temp folder is used.
    const { library: fallback } = await runToReady({ HOME: "/dev/null", TMPDIR: tmp }, ["--task-queue", flagQueue]);
    expect(fallback).toStartWith(`${tmp}/temporal-bun-sdk-${process.getuid!()}/native/`);
    expect(path.basename(fallback)).toBe("libtemporal_bun_bridge.so");
    expect(statSync(path.dirname(fallback)).mode & 0o077).toBe(0);
  });

  test("--help names what is built in; --workflows is refused; a bad TEMPORAL_ADDRESS is a one-line error", async () => {
    const help = Bun.spawnSync([binary, "--help"], { env: { PATH: CLEAN_PATH } });
    expect(help.exitCode).toBe(0);
    expect(help.stdout.toString()).toContain(path.join(fixtures, "workflows.ts"));
    expect(help.stdout.toString()).toContain(path.join(fixtures, "activities.ts"));
    expect(help.stdout.toString()).toContain(`built-in default "${builtInQueue}"`);

    const flag = Bun.spawnSync([binary, "--workflows", "x.ts"], { env: { PATH: CLEAN_PATH } });
    expect(flag.exitCode).toBe(1);
    expect(flag.stderr.toString()).toContain("built in");

    const home = mkdtempSync(path.join(work, "home-"));
    const badAddress = Bun.spawnSync([binary], { env: { PATH: CLEAN_PATH, HOME: home, TEMPORAL_ADDRESS: "nope" } });
    expect(badAddress.exitCode).toBe(1);
    const err = badAddress.stderr.toString();
    expect(err).toContain("TemporalConfigError");
    expect(err).toContain("TEMPORAL_ADDRESS='nope': expected host:port");
    expect(err.trim().split("\n")).toHaveLength(1);
  });
});

describe("temporal-bun-worker build: bad input", () => {
  test("a missing --workflows file, code that does not bundle, an unwritable -o, an empty --task-queue and no -o each fail in one line naming the option", async () => {
    const out = path.join(work, "bad", "w");
    const missing = await runCli(["build", "--workflows", path.join(fixtures, "nope.ts"), "--activities", path.join(fixtures, "activities.ts"), "-o", out]);
    expect(missing.code).toBe(1);
    expect(missing.err.trim()).toBe(`temporal-bun-worker build: WorkerBuildError: --workflows ${path.join(fixtures, "nope.ts")}: no such file (${path.join(fixtures, "nope.ts")})`);

    const noBundle = await runCli(["build", "--workflows", path.join(fixtures, "does-not-bundle.ts"), "--activities", path.join(fixtures, "activities.ts"), "-o", out]);
    expect(noBundle.code).toBe(1);
    expect(noBundle.err).toContain("WorkerBuildError: --workflows");
    expect(noBundle.err).toContain("does not bundle");
    expect(noBundle.err).toContain("node:fs");
    expect(noBundle.err.trim().split("\n")).toHaveLength(1);

    // A regular file where a folder is needed: no user (not even root) can write below it.
    const file = path.join(work, "a-file");
    writeFileSync(file, "");
    const unwritable = await runCli(["build", "--workflows", path.join(fixtures, "workflows.ts"), "-o", path.join(file, "w")]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toContain(`WorkerBuildError: -o ${path.join(file, "w")}: cannot write there`);

    mkdirSync(path.join(work, "a-dir"), { recursive: true });
    const dir = await runCli(["build", "--workflows", path.join(fixtures, "workflows.ts"), "-o", path.join(work, "a-dir")]);
    expect(dir.code).toBe(1);
    expect(dir.err).toContain("is a directory");

    const emptyQueue = await runCli(["build", "--workflows", path.join(fixtures, "workflows.ts"), "--task-queue", " ", "-o", out]);
    expect(emptyQueue.code).toBe(1);
    expect(emptyQueue.err.trim()).toBe("temporal-bun-worker build: WorkerBuildError: --task-queue: expected a task queue name, got \" \"");

    const noOut = await runCli(["build", "--workflows", path.join(fixtures, "workflows.ts")]);
    expect(noOut.code).toBe(1);
    expect(noOut.err.trim()).toBe("temporal-bun-worker build: missing -o <file>: the path of the executable to write (see --help)");
    expect(statOrNull(out)).toBeNull();
  });
});

function statOrNull(file: string) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
