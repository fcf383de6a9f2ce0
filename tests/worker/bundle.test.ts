/**
 * `workflowBundle` in the official shapes: `{ codePath }` (a file holding bundleWorkflowCode's
 * code, the production deployment of @temporalio/worker) and `{ code }`. Workers made from
 * them run workflows; files that are not bundles of ours (an official webpack bundle, any
 * script, a damaged or other-version header, a missing file) are refused at Worker.create
 * with a WorkerOptionsError that names the option and says what to do.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker, WorkerOptionsError, bundleWorkflowCode, type WorkerOptions } from "../../src/worker/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import * as activities from "./fixtures/activities.js";
import { connection, executeWorkflow, fixturesDir, startWorkflow, taskQueue, workflowOutcome } from "./helpers.js";
import { Client } from "../../src/client/index.js";

const workflowsPath = path.join(fixturesDir, "workflows.ts");
let dir: string;
let bundlePath: string;
let code: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "bundle-test-"));
  // What a deployment does at build time: bundle once, write the code to a file.
  ({ code } = await bundleWorkflowCode({ workflowsPath }));
  bundlePath = path.join(dir, "workflow-bundle.js");
  writeFileSync(bundlePath, code);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function runHello(workflowBundle: WorkerOptions["workflowBundle"]): Promise<unknown> {
  const tq = taskQueue("bundle");
  const worker = await Worker.create({ connection: await connection(), taskQueue: tq, workflowBundle, activities, shutdownSignals: [] });
  return worker.runUntil(executeWorkflow("hello", { taskQueue: tq, args: ["bundle"] }));
}

async function refusal(workflowBundle: unknown): Promise<WorkerOptionsError> {
  const err = await Worker.create({
    connection: await connection(),
    taskQueue: taskQueue("bundle-refused"),
    workflowBundle: workflowBundle as never,
    activities,
    shutdownSignals: [],
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerOptionsError);
  return err as WorkerOptionsError;
}

describe("workflowBundle in the official shapes", () => {
  test("{ codePath }: a worker from a bundle file written by bundleWorkflowCode runs workflows; the history replays from the same file", async () => {
    const tq = taskQueue("bundle");
    const conn = await connection();
    const worker = await Worker.create({ connection: conn, taskQueue: tq, workflowBundle: { codePath: bundlePath }, activities, shutdownSignals: [] });
    const { workflowId } = await worker.runUntil(async () => {
      const started = await startWorkflow("hello", { taskQueue: tq, args: ["bundle"] });
      const outcome = await workflowOutcome(started.workflowId);
      expect(outcome).toEqual({ status: "completed", result: await activities.greet("bundle") });
      return started;
    });
    const history = await new Client({ connection: conn }).workflow.getHandle(workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, history, workflowId);
  });

  test("{ codePath, sourceMapPath } (official, deprecated) and { code } work too; so does bundleWorkflowCode's result as it is", async () => {
    expect(await runHello({ codePath: bundlePath, sourceMapPath: path.join(dir, "none.map") } as never)).toBe(await activities.greet("bundle"));
    expect(await runHello({ code })).toBe(await activities.greet("bundle"));
    expect(await runHello(await bundleWorkflowCode({ workflowsPath }))).toBe(await activities.greet("bundle"));
  });

  test("workflowsPath beside workflowBundle is ignored with a warning, as in the official worker", async () => {
    const tq = taskQueue("bundle-and-path");
    const conn = await connection();
    const lines: string[] = [];
    const logger = conn.runtime.logger as unknown as { warn: (m: string, meta?: unknown) => void };
    const own = Object.prototype.hasOwnProperty.call(logger, "warn");
    const original = logger.warn;
    logger.warn = (m, meta) => {
      lines.push(m);
      original.call(logger, m, meta);
    };
    try {
      const worker = await Worker.create({ connection: conn, taskQueue: tq, workflowBundle: { codePath: bundlePath }, workflowsPath: "/no/such/workflows.ts", activities, shutdownSignals: [] });
      expect(await worker.runUntil(executeWorkflow("hello", { taskQueue: tq, args: ["both"] }))).toBe(await activities.greet("both"));
    } finally {
      if (own) logger.warn = original;
      else delete (logger as { warn?: unknown }).warn;
    }
    expect(lines).toContain("Ignoring WorkerOptions.workflowsPath because WorkerOptions.workflowBundle is set");
  });

  test("the bundle starts with a recognisable header naming the SDK version and the workflows path", () => {
    const m = /^\/\* temporal-bun-sdk workflow bundle (\{.*?\}) \*\//.exec(code);
    expect(m).not.toBeNull();
    const header = JSON.parse(m![1]!);
    expect(header).toMatchObject({ format: 1, workflowsPath });
    expect(typeof header.sdkVersion).toBe("string");
  });

  test("bundleWorkflowCode: an unknown option is refused naming it; an official one without effect here warns", async () => {
    await expect(bundleWorkflowCode({ workflowsPath, payloadConverterPat: "x" } as never)).rejects.toThrow(
      "bundleWorkflowCode options: unknown option 'payloadConverterPat' (did you mean 'payloadConverterPath'?)",
    );
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      await bundleWorkflowCode({ workflowsPath, webpackConfigHook: (c: unknown) => c } as never);
    } finally {
      console.warn = warn;
    }
    expect(warnings.some((w) => w.includes("webpackConfigHook"))).toBe(true);
  });

  test("bundleWorkflowCode's result has the official { code, sourceMap } strings (a deploy script may write both)", async () => {
    const b = await bundleWorkflowCode({ workflowsPath });
    expect(typeof b.code).toBe("string");
    expect(typeof b.sourceMap).toBe("string");
  });
});

describe("files that are not bundles of ours are refused at Worker.create", () => {
  test("a missing file names workflowBundle.codePath", async () => {
    const missing = path.join(dir, "nope.js");
    const err = await refusal({ codePath: missing });
    expect(err.option).toBe("workflowBundle.codePath");
    expect(err.message).toContain(`cannot read '${missing}'`);
  });

  test("any other script, or a damaged header", async () => {
    const other = path.join(dir, "other.js");
    writeFileSync(other, "module.exports = { hello() {} };\n");
    const err = await refusal({ codePath: other });
    expect(err.option).toBe("workflowBundle.codePath");
    expect(err.message).toContain(`workflowBundle.codePath '${other}' is not a workflow bundle made by temporal-bun-sdk's bundleWorkflowCode: rebuild it`);
    expect((await refusal({ code: "/* temporal-bun-sdk workflow bundle {oops */ x" })).message).toContain("header is damaged");
  });

  test("a bundle of another SDK version or bundle format", async () => {
    const other = code.replace(/"sdkVersion":"[^"]*"/, '"sdkVersion":"0.0.0-other"');
    const err = await refusal({ code: other });
    expect(err.message).toMatch(/was built by temporal-bun-sdk 0\.0\.0-other \(bundle format 1\); this worker runs .* rebuild the bundle/);
  });

  test("bad shapes", async () => {
    expect((await refusal({ codePath: 5 })).message).toContain("workflowBundle.codePath: expected a string, got number");
    expect((await refusal({ workflowsPath })).message).toContain("expected { codePath } or { code } (from bundleWorkflowCode), got an object with keys [workflowsPath]");
    expect((await refusal("bundle.js")).message).toContain("expected { codePath } or { code }");
  });

  test("an official webpack bundle (made by @temporalio/worker's bundleWorkflowCode on Node) is recognised and refused", async () => {
    const sdk = await ensureOfficialSdk();
    // The official bundler resolves @temporalio/workflow from the workflows file's folder.
    const work = path.join(sdk, `bundle-test-${process.pid}`);
    mkdirSync(work, { recursive: true });
    try {
      writeFileSync(path.join(work, "workflows.js"), "exports.hello = async function hello(name) { return 'Hello, ' + name; };\n");
      const script =
        "const { bundleWorkflowCode } = require('@temporalio/worker');" +
        "bundleWorkflowCode({ workflowsPath: require.resolve('./workflows.js'), logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } })" +
        ".then(({ code }) => require('fs').writeFileSync('official-bundle.js', code), (e) => { console.error(e); process.exit(1); });";
      const r = spawnSync("node", ["-e", script], { cwd: work, encoding: "utf8", timeout: 120_000 });
      expect(r.status).toBe(0);
      const officialBundle = path.join(work, "official-bundle.js");
      const err = await refusal({ codePath: officialBundle });
      expect(err.message).toContain("it looks like a webpack bundle from @temporalio/worker, which runs only on the official SDK's worker");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
