/**
 * The official SDK 1.24 on Node, for tests that compare with it on the shared dev server:
 * a Worker of tools/compat/node-worker.mjs for a workflow file that imports
 * `temporal-bun-sdk/workflow` (mapped to @temporalio/workflow there), and its replayer.
 * Each node process gets a pipe from this one as stdin and exits when it closes, so a test
 * process that dies leaves none behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { toBinary } from "@bufbuild/protobuf";
import { HistorySchema, type History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { env, uid } from "../e2e/helpers.js";

const NODE_WORKER = new URL("../../tools/compat/node-worker.mjs", import.meta.url).pathname;

export interface OfficialWorker {
  taskQueue: string;
  stderr: string[];
  stop(): Promise<void>;
}

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

function spawnNode(args: string[], extraEnv: Record<string, string>): { child: ChildProcess; stderr: string[] } {
  const child = spawn("node", [NODE_WORKER, ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, COMPAT_EXIT_WITH_STDIN: "1", ...extraEnv } });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderr.push(line);
    if (stderr.length > 100) stderr.shift();
  });
  return { child, stderr };
}

/** An official Worker for `workflowsPath` on a fresh task queue of the shared dev server, once it polls. */
export async function startOfficialWorker(sdkDir: string, workflowsPath: string, label: string, extraEnv: Record<string, string> = {}): Promise<OfficialWorker> {
  const e = await env();
  const taskQueue = uid(`${label}-official`);
  const { child, stderr } = spawnNode(["run"], {
    COMPAT_SDK_DIR: sdkDir,
    COMPAT_ADDRESS: e.address,
    COMPAT_NAMESPACE: e.namespace,
    COMPAT_TASK_QUEUE: taskQueue,
    COMPAT_IDENTITY: `${label}-official@${process.pid}`,
    COMPAT_WORKFLOWS_PATH: workflowsPath,
    ...extraEnv,
  });
  const stop = () => stopChild(child);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the official worker was not ready after 90 s:\n${stderr.join("\n")}`)), 90_000);
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line.trim() === "COMPAT_READY") {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the official worker exited (${code ?? signal}) before it was ready:\n${stderr.join("\n")}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { taskQueue, stderr, stop };
}

/** Replays `histories` with the official SDK's replayer on `workflowsPath`; one verdict per history. */
export async function replayOnOfficial(
  sdkDir: string,
  workflowsPath: string,
  histories: { workflowId: string; history: History }[],
  extraEnv: Record<string, string> = {},
): Promise<{ workflowId: string; error?: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), "official-replay-"));
  try {
    const file = join(dir, "histories.jsonl");
    writeFileSync(file, histories.map((h) => JSON.stringify({ workflowId: h.workflowId, history: Buffer.from(toBinary(HistorySchema, h.history)).toString("base64") })).join("\n") + "\n");
    const { child, stderr } = spawnNode(["replay", file], { COMPAT_SDK_DIR: sdkDir, COMPAT_WORKFLOWS_PATH: workflowsPath, ...extraEnv });
    const verdicts: { workflowId: string; error?: string }[] = [];
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("{")) verdicts.push(JSON.parse(line));
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`the official replayer exited with ${code}:\n${stderr.join("\n")}`);
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
