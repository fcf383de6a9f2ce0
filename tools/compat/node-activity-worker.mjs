// The official @temporalio/worker 1.24 side of tests/compat/activity-interceptors-official.test.ts,
// run by `node`: an activity-only Worker with tools/compat/activity-interceptor-scenarios.mjs's
// interceptors and activities on COMPAT_TASK_QUEUE. Prints "ready" once it polls; when its stdin
// receives "stop" (or closes) it shuts the worker down and prints one JSON line: the record and
// the log lines its Runtime logger received.
// Env: COMPAT_SDK_DIR (tools/official-sdk.ts), COMPAT_ADDRESS, COMPAT_NAMESPACE, COMPAT_TASK_QUEUE.
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { makeActivityWorkerParts } from "./activity-interceptor-scenarios.mjs";

const sdkDir = process.env.COMPAT_SDK_DIR;
if (!sdkDir) throw new Error("COMPAT_SDK_DIR is not set");
const require = createRequire(join(sdkDir, "package.json"));
const { Worker, NativeConnection, Runtime, DefaultLogger } = require("@temporalio/worker");
const { Context } = require("@temporalio/activity");
const { ApplicationFailure } = require("@temporalio/common");

const lines = [];
Runtime.install({ logger: new DefaultLogger("TRACE", (entry) => lines.push({ level: entry.level.toLowerCase(), message: entry.message, meta: entry.meta })) });

const { record, interceptors, activities } = makeActivityWorkerParts({ Context, ApplicationFailure });
const connection = await NativeConnection.connect({ address: process.env.COMPAT_ADDRESS });
const worker = await Worker.create({ connection, namespace: process.env.COMPAT_NAMESPACE ?? "default", taskQueue: process.env.COMPAT_TASK_QUEUE, activities, interceptors });

const stopped = new Promise((resolve) => {
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (l) => l.trim() === "stop" && resolve());
  rl.on("close", resolve);
});
const running = worker.run();
console.log("ready");
await stopped;
worker.shutdown();
await running;
await connection.close();
console.log(JSON.stringify({ record, lines }, (_k, v) => (typeof v === "bigint" ? String(v) : v)));
process.exit(0);
