/**
 * The child-workflow suite (tests/e2e/child-workflows.suite.ts) with the official SDK 1.24's
 * workers on Node (tools/compat/node-worker.mjs, the packages of tools/official-sdk.ts) running
 * the same fixture file: every assertion our workers meet, the official ones meet too (the
 * errors workflow code sees, the cancellation types' timing, what reaches history), and every
 * history the official workers write replays on ours.
 *
 * The fixture imports `temporal-bun-sdk/workflow` (mapped to @temporalio/workflow by
 * node-worker.mjs) and `temporal-bun-sdk/common`, rewritten here to @temporalio/common in a
 * temporary copy, where official workflow code imports those names from.
 */
import { afterAll } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { childWorkflowSuite, type SuiteWorker } from "../e2e/child-workflows.suite.js";
import { env, fixture, uid } from "../e2e/helpers.js";

const NODE_WORKER = new URL("../../tools/compat/node-worker.mjs", import.meta.url).pathname;

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** An official Worker on Node for `workflowsPath`; its stdin is a pipe from this process, so it exits when we do. */
async function startOfficialWorker(sdkDir: string, workflowsPath: string): Promise<SuiteWorker> {
  const e = await env();
  const taskQueue = uid("child-official");
  const child = spawn("node", [NODE_WORKER, "run"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      COMPAT_EXIT_WITH_STDIN: "1",
      COMPAT_SDK_DIR: sdkDir,
      COMPAT_ADDRESS: e.address,
      COMPAT_NAMESPACE: e.namespace,
      COMPAT_TASK_QUEUE: taskQueue,
      COMPAT_IDENTITY: `child-official@${process.pid}`,
      COMPAT_WORKFLOWS_PATH: workflowsPath,
    },
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderr.push(line);
    if (stderr.length > 200) stderr.shift();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the official worker did not start within 120 s")), 120_000);
      child.once("exit", (code) => reject(new Error(`the official worker exited (${code}) before it was ready:\n${stderr.join("\n")}`)));
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line.includes("COMPAT_READY")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { taskQueue, stop: () => stopChild(child) };
}

let dir: string | undefined;

childWorkflowSuite(async () => {
  const sdkDir = await ensureOfficialSdk();
  dir = mkdtempSync(join(tmpdir(), "child-workflows-official-"));
  const workflowsPath = join(dir, "child-workflows.ts");
  const source = readFileSync(fixture("child-workflows.ts"), "utf8");
  if (!source.includes('from "temporal-bun-sdk/common"')) throw new Error("the fixture no longer imports temporal-bun-sdk/common: update this test's rewrite");
  writeFileSync(workflowsPath, source.replaceAll('from "temporal-bun-sdk/common"', 'from "@temporalio/common"'));
  const workers = await Promise.allSettled([startOfficialWorker(sdkDir, workflowsPath), startOfficialWorker(sdkDir, workflowsPath)]);
  const started = workers.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = workers.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(started.map((w) => w.stop()));
    throw failed.reason;
  }
  return started as [SuiteWorker, SuiteWorker];
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
