/**
 * Our client's updates against the official @temporalio/client 1.24's: the same scenarios
 * (tools/compat/update-client-scenarios.mjs — results, validator rejections, unknown updates,
 * failing handlers, reused ids, update handles, closed and missing workflows, update-with-start
 * new/existing/FAIL/reused/refused by the server) run by each client against our worker on the
 * dev server, the official one in node (tools/compat/node-update-client.mjs). What they return
 * and throw (class names, messages, codes, workflow fields, the update failures' causes) must be
 * the same, except KNOWN_DIFFERENCES, each a row of docs/compatibility.md.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { WithStartWorkflowOperation } from "../../src/client/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { runUpdateScenarios } from "../../tools/compat/update-client-scenarios.mjs";
import { client, env, startWorker, uid, type RunningWorker } from "../e2e/helpers.js";

const NODE_CLIENT = new URL("../../tools/compat/node-update-client.mjs", import.meta.url).pathname;

/**
 * docs/compatibility.md, "Client": our errors made from an RPC failure carry the `ServiceError`
 * as `cause` (official: none), and a failed multi-operation is our `ServiceError` with the
 * failing operation's code and message (official: the grpc-js error, its message replaced by that
 * operation's).
 */
const KNOWN_DIFFERENCES = [
  "updateHandleOfUnknownId.error.hasCause: official false, ours true",
  "updateOfClosed.error.hasCause: official false, ours true",
  "updateOfMissing.error.hasCause: official false, ours true",
  "withStartFail.error.hasCause: official false, ours true",
  "withStartFailHandle.error.hasCause: official false, ours true",
  "withStartServerRefuses.error.hasCause: official false, ours true",
  'withStartServerRefuses.error.message: official "CronSchedule is not allowed.", ours "ExecuteMultiOperation: INVALID_ARGUMENT: CronSchedule is not allowed."',
  'withStartServerRefuses.error.name: official "Error", ours "ServiceError"',
];

/** Ids and run ids by placeholders (each client has its own prefix). */
function normalize(value: unknown, prefix: string): unknown {
  if (typeof value === "string") return value.replaceAll(prefix, "<prefix>").replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>");
  if (Array.isArray(value)) return value.map((v) => normalize(v, prefix));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, prefix)]));
  return value;
}

function differences(official: unknown, ours: unknown, path = ""): string[] {
  if (Array.isArray(official) && Array.isArray(ours) && official.length === ours.length) return official.flatMap((x, i) => differences(x, ours[i], `${path}.${i}`));
  if (official !== null && ours !== null && typeof official === "object" && typeof ours === "object" && !Array.isArray(official) && !Array.isArray(ours)) {
    const a = official as Record<string, unknown>;
    const b = ours as Record<string, unknown>;
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(official) === JSON.stringify(ours) ? [] : [`${path}: official ${JSON.stringify(official)}, ours ${JSON.stringify(ours)}`];
}

async function officialOutcomes(sdkDir: string, taskQueue: string, prefix: string): Promise<unknown> {
  const e = await env();
  // stdin is a pipe from this process: the node process exits when this one dies.
  const child = spawn("node", [NODE_CLIENT], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, COMPAT_EXIT_WITH_STDIN: "1", COMPAT_SDK_DIR: sdkDir, COMPAT_ADDRESS: e.address, COMPAT_NAMESPACE: e.namespace, COMPAT_TASK_QUEUE: taskQueue, COMPAT_PREFIX: prefix },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal ? -1 : null))));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the official client exited with ${code}:\n${err}`);
  return JSON.parse(out.trim().split("\n").pop()!);
}

let w: RunningWorker;
beforeAll(async () => {
  w = await startWorker("update-workflows.ts");
});
afterAll(async () => {
  await w?.stop();
});

test("our client and the official one return and throw the same for the same updates (except the documented differences)", async () => {
  const sdkDir = await ensureOfficialSdk();
  const oursPrefix = uid("ours");
  const officialPrefix = uid("official");
  const [ours, official] = await Promise.all([
    runUpdateScenarios({ client: await client(), WithStartWorkflowOperation, taskQueue: w.taskQueue, prefix: oursPrefix }),
    officialOutcomes(sdkDir, w.taskQueue, officialPrefix),
  ]);
  // The scenarios ran: a few values, so that a broken run cannot pass as "no difference".
  expect(normalize(ours, oursPrefix)).toMatchObject({
    result: { value: 2 },
    sameIdTwice: [{ value: 7 }, { value: 7 }],
    withStartNew: { value: 2 },
    withStartExisting: { value: 12 },
    workflowResult: { value: 7 },
    withStartFail: { error: { name: "WorkflowExecutionAlreadyStartedError" } },
  });
  expect(differences(normalize(official, officialPrefix), normalize(ours, oursPrefix))).toEqual(KNOWN_DIFFERENCES);
}, 120_000);
