#!/usr/bin/env bun
/**
 * One worker process of the fault suite (started by lib.ts's startWorker). Configuration from
 * the environment: FAULT_ADDRESS, FAULT_TASK_QUEUE, FAULT_ACTIVITY_LOG, FAULT_WORKER_NAME,
 * FAULT_SHUTDOWN_GRACE_MS. Prints `ready` once polling and `stopped <ms>` after a clean
 * shutdown (the time from the first SIGTERM/SIGINT to the end of `run()`); exit code 0 then.
 * The signals are the worker's own (default `shutdownSignals`), as in a deployed worker.
 */
import path from "node:path";
import { NativeConnection, Worker } from "../../src/worker/index.js";
import * as activities from "./activities.js";

const address = process.env.FAULT_ADDRESS ?? "127.0.0.1:7233";
const taskQueue = process.env.FAULT_TASK_QUEUE ?? "";
if (taskQueue === "") {
  console.error("worker: FAULT_TASK_QUEUE is required");
  process.exit(2);
}
const graceMs = Number(process.env.FAULT_SHUTDOWN_GRACE_MS ?? "0");

let signalledAt = 0;
for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => (signalledAt ||= Date.now()));

const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: path.join(import.meta.dir, "workflows.ts"),
  activities,
  shutdownGraceTime: graceMs,
  identity: `${process.env.FAULT_WORKER_NAME ?? "worker"}-${process.pid}`,
});
console.log(`ready pid=${process.pid}`);
await worker.run();
await connection.close();
console.log(`stopped ${signalledAt ? Date.now() - signalledAt : 0}`);
process.exit(0);
