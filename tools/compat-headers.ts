/**
 * Mixed-fleet check for headers and payload codecs (issue 9 §4): headers written by the
 * official SDK reach ours undecoded, with a payload codec configured on both sides.
 *
 *   bun tools/compat-headers.ts
 *
 * Both sides use a strict codec (it tags what it encodes and refuses to decode anything else),
 * so a header passed through a codec anywhere fails the run.
 * 1. An official Client (Node) with an interceptor writing a `tracing` header starts a workflow
 *    on a temporal-bun-sdk Worker: it must complete, and the header must be in history byte for
 *    byte (not encoded) while the input is encoded.
 * 2. An official Worker (Node) with a workflow interceptor writing an activity header runs a
 *    workflow whose activity runs on a temporal-bun-sdk activity Worker: the activity
 *    interceptor must see the header as the official workflow wrote it (json/plain).
 * Exits non-zero if a check fails. Starts a dev server (TestWorkflowEnvironment.createLocal)
 * and stops it, the Node process and our workers on every exit path.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { defaultPayloadConverter, payloadEncoding } from "../src/common/index.js";
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { Worker } from "../src/worker/index.js";
import { ensureOfficialSdk } from "./official-sdk.js";
import { strictCodec } from "./compat/strict-codec.js";

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void cleanup().finally(() => process.exit(130)));
}

function killChild(child: ChildProcess): Promise<void> {
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

async function main(): Promise<boolean> {
  const sdkDir = await ensureOfficialSdk();
  const env = await TestWorkflowEnvironment.createLocal();
  cleanups.push(() => env.teardown());

  const workflowWorker = await Worker.create({
    connection: env.connection,
    taskQueue: "compat-headers-workflows",
    workflowsPath: new URL("./compat-headers/workflows-bun.ts", import.meta.url).pathname,
    dataConverter: { payloadCodecs: [strictCodec] },
    shutdownSignals: [],
  });
  const activityWorker = await Worker.create({
    connection: env.connection,
    taskQueue: "compat-headers-activities",
    dataConverter: { payloadCodecs: [strictCodec] },
    shutdownSignals: [],
    activities: {
      // Returns the header the interceptor saw (set just before the activity runs).
      async echoHeaders() {
        return lastHeader;
      },
    },
    interceptors: {
      activity: [
        () => ({
          inbound: {
            async execute(input, next) {
              const h = input.headers.tracing;
              lastHeader = h ? { encoding: payloadEncoding(h), value: defaultPayloadConverter.fromPayload(h) } : undefined;
              return next(input);
            },
          },
        }),
      ],
    },
  });
  let lastHeader: unknown;
  const running = [workflowWorker.run(), activityWorker.run()];
  cleanups.push(async () => {
    workflowWorker.shutdown();
    activityWorker.shutdown();
    await Promise.allSettled(running);
  });

  const child = spawn("node", [new URL("./compat-headers/official.mjs", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, COMPAT_SDK_DIR: sdkDir, COMPAT_ADDRESS: env.address },
  });
  cleanups.push(() => killChild(child));
  const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
  cleanups.push(() => clearTimeout(timer));
  let ok = true;
  let checks = 0;
  for await (const line of createInterface({ input: child.stdout! })) {
    const { check, ok: passed, detail } = JSON.parse(line) as { check: string; ok: boolean; detail: unknown };
    checks++;
    ok &&= passed;
    console.log(`${passed ? "ok  " : "FAIL"} ${check}: ${JSON.stringify(detail)}`);
  }
  return ok && checks === 2;
}

let passed = false;
try {
  passed = await main();
} catch (err) {
  console.error(err);
} finally {
  await cleanup();
}
console.log(passed ? "headers: all checks passed" : "headers: FAILED");
process.exit(passed ? 0 : 1);
