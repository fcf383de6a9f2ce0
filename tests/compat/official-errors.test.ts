/**
 * The error classes @temporalio/common defines and the other packages re-export are one class
 * each here too: the same constructor from every subpath, official fields, names and messages,
 * and the official symbol-based `instanceof` (Symbol.for('__temporal_is<Name>')), so an
 * instance made by another copy of the class still matches.
 */
import { describe, expect, test } from "bun:test";
import * as activity from "../../src/activity/index.js";
import * as client from "../../src/client/index.js";
import * as common from "../../src/common/index.js";
import * as worker from "../../src/worker/index.js";
import * as workflow from "../../src/workflow/index.js";

describe("errors shared through @temporalio/common", () => {
  test("each is one class, re-exported by every subpath that exports it officially", () => {
    for (const m of [client, worker, workflow]) expect(m.IllegalStateError).toBe(common.IllegalStateError);
    for (const m of [client, workflow]) {
      expect(m.NamespaceNotFoundError).toBe(common.NamespaceNotFoundError);
      expect(m.WorkflowNotFoundError).toBe(common.WorkflowNotFoundError);
      expect(m.CompleteAsyncError).toBe(common.CompleteAsyncError);
    }
    expect(worker.NamespaceNotFoundError).toBe(common.NamespaceNotFoundError);
    expect(activity.CompleteAsyncError).toBe(common.CompleteAsyncError);
    expect(worker.CompleteAsyncError).toBe(common.CompleteAsyncError);
    expect(client.WorkflowExecutionAlreadyStartedError).toBe(common.WorkflowExecutionAlreadyStartedError);
  });

  test("official names, fields and messages", () => {
    const ns = new common.NamespaceNotFoundError("nope");
    expect(ns.name).toBe("NamespaceNotFoundError");
    expect(ns.namespace).toBe("nope");
    expect(ns.message).toBe("Namespace not found: 'nope'");
    const nf = new common.WorkflowNotFoundError("gone", "wf-1", undefined);
    expect([nf.name, nf.message, nf.workflowId, nf.runId]).toEqual(["WorkflowNotFoundError", "gone", "wf-1", undefined]);
    const started = new common.WorkflowExecutionAlreadyStartedError("already", "wf-2", "MyWorkflow");
    expect([started.name, started.workflowId, started.workflowType]).toEqual(["WorkflowExecutionAlreadyStartedError", "wf-2", "MyWorkflow"]);
    // Official: a TemporalFailure.
    expect(started).toBeInstanceOf(common.TemporalFailure);
    expect(new common.IllegalStateError("closed").name).toBe("IllegalStateError");
    expect(new common.CompleteAsyncError().name).toBe("CompleteAsyncError");
  });

  test("instanceof matches by the official marker symbol, not by prototype chain", () => {
    for (const name of ["IllegalStateError", "NamespaceNotFoundError", "WorkflowNotFoundError", "CompleteAsyncError", "WorkflowExecutionAlreadyStartedError"] as const) {
      const foreign = Object.assign(new Error("from another copy"), { [Symbol.for(`__temporal_is${name}`)]: true });
      expect(foreign instanceof (common[name] as unknown as new () => Error)).toBe(true);
      expect(new Error("plain") instanceof (common[name] as unknown as new () => Error)).toBe(false);
    }
    class MyIllegalState extends common.IllegalStateError {}
    expect(new MyIllegalState("x")).toBeInstanceOf(common.IllegalStateError);
    expect(new common.IllegalStateError("x") instanceof MyIllegalState).toBe(false);
  });
});

describe("ActivityCancellationDetails", () => {
  test("a class with the official flags, all false unless given", () => {
    expect(new common.ActivityCancellationDetails()).toEqual(
      Object.assign(Object.create(common.ActivityCancellationDetails.prototype), {
        notFound: false,
        cancelRequested: false,
        paused: false,
        timedOut: false,
        workerShutdown: false,
        reset: false,
      }),
    );
    const d = new common.ActivityCancellationDetails({ paused: true, cancelRequested: true });
    expect([d.notFound, d.cancelRequested, d.paused, d.timedOut, d.workerShutdown, d.reset]).toEqual([false, true, true, false, false, false]);
  });
});

describe("TransportError from /worker", () => {
  test("is what NativeConnection.connect rejects with when nothing listens", async () => {
    const net = await import("node:net");
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const err = await worker.NativeConnection.connect({ address: `127.0.0.1:${port}` }).then(
      (c) => c.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(worker.TransportError);
    expect(worker.TransportError).toBe(client.TransportError);
  }, 30_000);
});
