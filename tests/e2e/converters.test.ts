/**
 * `dataConverter.payloadConverterPath` / `failureConverterPath` end to end: the client and
 * the worker's activities load the module in the host, the worker bundles it into the
 * workflow code, and every payload the server stores (workflow arguments, activity and
 * local-activity arguments and results, signals, the result, failures) is written by it.
 * The histories replay with the same modules, and not without them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { create } from "@bufbuild/protobuf";
import { ApplicationFailure, Client, ValueError, WorkflowFailedError } from "../../src/client/index.js";
import { collectPayloads, payloadEncoding, type Payload } from "../../src/common/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { HistorySchema, type History, type HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { WorkflowExecutionSchema, WorkflowTypeSchema, type WorkflowExecution } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { Worker, WorkerOptionsError, WorkflowBundleError, bundleWorkflowCode, type WorkerOptions } from "../../src/worker/index.js";
import { TAGGED_ENCODING } from "./fixtures/converter-tagged.js";
import { captureWorkerLog, env, fixture, isType, uid, waitForEvent } from "./helpers.js";

const dec = new TextDecoder();
const tagged = fixture("converter-tagged.ts");
const encodedFailures = fixture("converter-encoded-failures.ts");
const protobuf = fixture("converter-protobuf.ts");
const workflowsPath = fixture("converters.ts");

/** Activities run in the host; they report what kinds of values the worker's converter gave them. */
const activities = {
  async taggedEcho(v: { when: Date; big: bigint; bytes: Uint8Array }) {
    const kinds = [v.when instanceof Date ? "Date" : typeof v.when, typeof v.big, v.bytes instanceof Uint8Array ? "Uint8Array" : typeof v.bytes];
    return { when: new Date(v.when.getTime() + 1000), big: v.big, kinds };
  },
  async protoEcho(v: WorkflowExecution) {
    return create(WorkflowTypeSchema, { name: `${v.$typeName === "temporal.api.common.v1.WorkflowExecution" ? "msg" : "plain"}:${v.workflowId}/${v.runId}` });
  },
  async failTagged(): Promise<never> {
    throw ApplicationFailure.nonRetryable("the activity's secret message", "SecretActivityFailure");
  },
};

interface Running {
  taskQueue: string;
  stop(): Promise<void>;
}

async function startWorker(dataConverter: WorkerOptions["dataConverter"]): Promise<Running> {
  const e = await env();
  const taskQueue = uid("converters");
  const worker = await Worker.create({ connection: e.connection, taskQueue, workflowsPath, activities, dataConverter, shutdownSignals: [] });
  const running = worker.run();
  running.catch(() => undefined);
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

const payloadsOf = (history: History, type: EventType): Payload[] =>
  history.events
    .filter((ev: HistoryEvent) => ev.eventType === type)
    .flatMap((ev) => collectPayloads(HistorySchema, { $typeName: "temporal.api.history.v1.History", events: [ev] } as History));

function onePayload(history: History, type: EventType): Payload {
  const payloads = payloadsOf(history, type);
  expect(payloads.length).toBeGreaterThan(0);
  return payloads[0]!;
}

let taggedWorker: Running;
let protoWorker: Running;

beforeAll(async () => {
  [taggedWorker, protoWorker] = await Promise.all([
    startWorker({ payloadConverterPath: tagged, failureConverterPath: encodedFailures }),
    startWorker({ payloadConverterPath: protobuf }),
  ]);
});

afterAll(async () => {
  await Promise.all([taggedWorker?.stop(), protoWorker?.stop()]);
});

describe("a custom payload converter module (its own encoding)", () => {
  test("client, workflow, activities, local activities and signals all write json/x-tagged; values keep their types; the history replays", async () => {
    const e = await env();
    const client = new Client({ connection: e.connection, namespace: e.namespace, dataConverter: { payloadConverterPath: tagged } });
    const when = new Date("2026-01-02T03:04:05.000Z");
    const h = await client.workflow.start("taggedRoundTrip", {
      taskQueue: taggedWorker.taskQueue,
      workflowId: uid("tagged"),
      args: [{ when, big: 2n ** 70n, tags: new Set(["a", "b"]) }],
      workflowExecutionTimeout: "60s",
    });
    expect(await h.query("kinds")).toEqual(["Date", "bigint", "Set"]);
    await h.signal("tagged", new Map([["k", 5n]]));
    const result = (await h.result()) as Record<string, unknown>;
    expect(result).toEqual({
      inWorkflow: ["Date", "bigint", "Set"],
      fromActivity: { when: new Date(when.getTime() + 1000), big: 2n ** 70n + 1n, kinds: ["Date", "bigint", "Uint8Array"] },
      fromLocal: { big: 2n ** 70n + 2n, isDate: true },
      signalled: new Map([["k", 5n]]),
      tags: new Set(["a", "b", "workflow"]),
      big: 2n ** 71n,
      epoch: new Date(0),
    });

    // What the server stored: every payload of ours is the module's encoding.
    const history = await h.fetchHistory();
    const started = onePayload(history, EventType.WORKFLOW_EXECUTION_STARTED);
    expect(payloadEncoding(started)).toBe(TAGGED_ENCODING);
    expect(dec.decode(started.data)).toBe(JSON.stringify({ when: { $date: when.toISOString() }, big: { $bigint: (2n ** 70n).toString() }, tags: { $set: ["a", "b"] } }));
    const scheduled = onePayload(history, EventType.ACTIVITY_TASK_SCHEDULED);
    expect(payloadEncoding(scheduled)).toBe(TAGGED_ENCODING);
    expect(JSON.parse(dec.decode(scheduled.data))).toEqual({ when: { $date: when.toISOString() }, big: { $bigint: (2n ** 70n + 1n).toString() }, bytes: { $bytes: [7, 8] } });
    const completed = onePayload(history, EventType.ACTIVITY_TASK_COMPLETED);
    expect(payloadEncoding(completed)).toBe(TAGGED_ENCODING);
    expect(JSON.parse(dec.decode(completed.data)).kinds).toEqual(["Date", "bigint", "Uint8Array"]);
    const signalled = onePayload(history, EventType.WORKFLOW_EXECUTION_SIGNALED);
    expect(payloadEncoding(signalled)).toBe(TAGGED_ENCODING);
    expect(JSON.parse(dec.decode(signalled.data))).toEqual({ $map: [["k", { $bigint: "5" }]] });
    const final = onePayload(history, EventType.WORKFLOW_EXECUTION_COMPLETED);
    expect(payloadEncoding(final)).toBe(TAGGED_ENCODING);
    expect(JSON.parse(dec.decode(final.data)).tags).toEqual({ $set: ["a", "b", "workflow"] });
    expect(JSON.parse(dec.decode(final.data)).epoch).toEqual({ $date: "1970-01-01T00:00:00.000Z" });
    // The local activity's marker: its arguments' and result's payloads (core's own `data` is json/plain).
    const markerEncodings = new Set(payloadsOf(history, EventType.MARKER_RECORDED).map(payloadEncoding));
    expect(markerEncodings.has(TAGGED_ENCODING)).toBe(true);
    const ours = collectPayloads(HistorySchema, history).filter((p) => payloadEncoding(p) !== "json/plain");
    expect(new Set(ours.map(payloadEncoding))).toEqual(new Set([TAGGED_ENCODING]));

    // Replays with the same module (bundled from workflowsPath) …
    await Worker.runReplayHistory({ workflowsPath, dataConverter: { payloadConverterPath: tagged } }, history, h.workflowId);
    // … and with a prebuilt bundle that carries it; not with the default converter.
    const prebuilt = await bundleWorkflowCode({ workflowsPath, payloadConverterPath: tagged });
    await Worker.runReplayHistory({ workflowBundle: { code: prebuilt.code }, dataConverter: { payloadConverterPath: tagged } }, history, h.workflowId);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, h.workflowId)).rejects.toThrow(/json\/x-tagged/);
  });

  test("a failure converter module encodes failures made in workflow code (sandbox) and in activities (host)", async () => {
    const e = await env();
    const client = new Client({ connection: e.connection, namespace: e.namespace, dataConverter: { payloadConverterPath: tagged, failureConverterPath: encodedFailures } });
    const h = await client.workflow.start("failsWithSecret", { taskQueue: taggedWorker.taskQueue, workflowId: uid("secret"), workflowExecutionTimeout: "60s" });
    const err = await h.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.message).toBe("the workflow's secret message"); // decoded from the encoded attributes
    expect(cause.type).toBe("SecretFailure");
    expect(cause.details).toEqual([{ detail: 1n }]);

    const history = await h.fetchHistory();
    const failures = history.events.flatMap((ev) =>
      ev.attributes.case === "workflowExecutionFailedEventAttributes" || ev.attributes.case === "activityTaskFailedEventAttributes" ? [ev.attributes.value.failure!] : [],
    );
    expect(failures.length).toBe(2);
    for (const f of failures) {
      expect(f.message).toBe("Encoded failure");
      expect(f.stackTrace).toBe("");
      expect(payloadEncoding(f.encodedAttributes!)).toBe(TAGGED_ENCODING);
    }
    expect(failures.map((f) => JSON.parse(dec.decode(f.encodedAttributes!.data)).message).sort()).toEqual(["the activity's secret message", "the workflow's secret message"]);
    await Worker.runReplayHistory({ workflowsPath, dataConverter: { payloadConverterPath: tagged, failureConverterPath: encodedFailures } }, history, h.workflowId);
  });
});

describe("a protobuf payload converter module", () => {
  test("protobuf-es messages are json/protobuf with their messageType everywhere; the workflow sees messages; the history replays", async () => {
    const e = await env();
    const client = new Client({ connection: e.connection, namespace: e.namespace, dataConverter: { payloadConverterPath: protobuf } });
    const h = await client.workflow.start("protoRoundTrip", {
      taskQueue: protoWorker.taskQueue,
      workflowId: uid("proto"),
      args: [create(WorkflowExecutionSchema, { workflowId: "abc", runId: "r-1" })],
      workflowExecutionTimeout: "60s",
    });
    await h.signal("proto", create(WorkflowTypeSchema, { name: "sig" }));
    const result = await h.result();
    expect(result).toEqual(create(WorkflowTypeSchema, { name: "msg:ABC/r-1+sig+temporal.api.common.v1.WorkflowExecution" }));

    const history = await h.fetchHistory();
    const expectMessage = (p: Payload, messageType: string, json: unknown) => {
      expect(payloadEncoding(p)).toBe("json/protobuf");
      expect(dec.decode(p.metadata.messageType)).toBe(messageType);
      expect(JSON.parse(dec.decode(p.data))).toEqual(json);
    };
    expectMessage(onePayload(history, EventType.WORKFLOW_EXECUTION_STARTED), "temporal.api.common.v1.WorkflowExecution", { workflowId: "abc", runId: "r-1" });
    expectMessage(onePayload(history, EventType.ACTIVITY_TASK_SCHEDULED), "temporal.api.common.v1.WorkflowExecution", { workflowId: "ABC", runId: "r-1" });
    expectMessage(onePayload(history, EventType.ACTIVITY_TASK_COMPLETED), "temporal.api.common.v1.WorkflowType", { name: "msg:ABC/r-1" });
    expectMessage(onePayload(history, EventType.WORKFLOW_EXECUTION_SIGNALED), "temporal.api.common.v1.WorkflowType", { name: "sig" });
    expectMessage(onePayload(history, EventType.WORKFLOW_EXECUTION_COMPLETED), "temporal.api.common.v1.WorkflowType", {
      name: "msg:ABC/r-1+sig+temporal.api.common.v1.WorkflowExecution",
    });

    await Worker.runReplayHistory({ workflowsPath, dataConverter: { payloadConverterPath: protobuf } }, history, h.workflowId);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, h.workflowId)).rejects.toThrow(/protobuf/);
  });
});

describe("bad converter modules are refused where they are given, naming the option, the path and the export", () => {
  const missing = fixture("no-such-converter.ts");
  const noExport = fixture("converter-no-export.ts");
  const wrongShape = fixture("converter-wrong-shape.ts");

  test("Worker.create", async () => {
    const e = await env();
    const create = (dataConverter: WorkerOptions["dataConverter"]) =>
      Worker.create({ connection: e.connection, taskQueue: uid("bad-converter"), workflowsPath, activities, dataConverter, shutdownSignals: [] });
    const err = await create({ payloadConverterPath: missing }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(WorkerOptionsError);
    expect((err as WorkerOptionsError).option).toBe("dataConverter.payloadConverterPath");
    expect((err as Error).message).toContain(`could not find a module at '${missing}'`);
    await expect(create({ payloadConverterPath: noExport })).rejects.toThrow(
      `Invalid worker option 'dataConverter.payloadConverterPath': module '${noExport}' has no \`payloadConverter\` named export (its exports: default, somethingElse); export it by name`,
    );
    await expect(create({ payloadConverterPath: wrongShape })).rejects.toThrow(
      `the \`payloadConverter\` export of '${wrongShape}' must be an object with toPayload and fromPayload methods, got an object with keys [toPayload]`,
    );
    await expect(create({ failureConverterPath: wrongShape })).rejects.toThrow(
      `Invalid worker option 'dataConverter.failureConverterPath': the \`failureConverter\` export of '${wrongShape}' must be an object with errorToFailure and failureToError methods, got string`,
    );
    const typo = await create({ payloadConvertrPath: tagged } as never).catch((x: unknown) => x);
    expect((typo as WorkerOptionsError).option).toBe("dataConverter");
    expect((typo as Error).message).toContain("unknown option 'payloadConvertrPath' (did you mean 'payloadConverterPath'?)");
    await expect(create({ payloadConverterPath: tagged, payloadConverter: { toPayload: () => undefined, fromPayload: () => undefined } as never })).rejects.toThrow(
      /dataConverter.payloadConverterPath.*pass either payloadConverterPath or payloadConverter, not both/,
    );
  });

  test("Client, bundleWorkflowCode and replay", async () => {
    const e = await env();
    expect(() => new Client({ connection: e.connection, dataConverter: { payloadConverterPath: missing } })).toThrow(ValueError);
    expect(() => new Client({ connection: e.connection, dataConverter: { failureConverterPth: tagged } as never })).toThrow(
      "ClientOptions.dataConverter: unknown option 'failureConverterPth' (did you mean 'failureConverterPath'?)",
    );
    expect(() => new Client({ connection: e.connection, dataConverter: { payloadConverterPath: noExport } })).toThrow(
      `ClientOptions.dataConverter.payloadConverterPath: module '${noExport}' has no \`payloadConverter\` named export`,
    );
    expect(() => new Client({ connection: e.connection, dataConverter: { failureConverterPath: wrongShape } })).toThrow(/ClientOptions.dataConverter.failureConverterPath: the `failureConverter` export/);
    await expect(bundleWorkflowCode({ workflowsPath, payloadConverterPath: wrongShape })).rejects.toThrow(WorkflowBundleError);
    await expect(bundleWorkflowCode({ workflowsPath, payloadConverterPath: missing })).rejects.toThrow(`payloadConverterPath: could not find a module at '${missing}'`);
    await expect(Worker.runReplayHistory({ workflowsPath, dataConverter: { payloadConverterPath: noExport } }, { events: [] })).rejects.toThrow(/no `payloadConverter` named export/);
  });

  test("a prebuilt bundle file with a converter module, on a worker without one: workflow code uses the bundle's module, and a warning says activities do not", async () => {
    const e = await env();
    const log = await captureWorkerLog();
    const file = `${tmpdir()}/converters-bundle-${process.pid}.js`;
    try {
      await Bun.write(file, (await bundleWorkflowCode({ workflowsPath, payloadConverterPath: tagged })).code);
      const worker = await Worker.create({ connection: e.connection, taskQueue: uid("bundle-file"), workflowBundle: { codePath: file }, activities, shutdownSignals: [] });
      await worker.runUntil(async () => undefined);
    } finally {
      log.restore();
      rmSync(file, { force: true });
    }
    const warning = log.lines.find((l) => l.level === "warn" && l.message.includes("payloadConverterPath"));
    expect(warning?.message).toContain(
      `the workflow bundle was built with payloadConverterPath '${tagged}' but dataConverter.payloadConverterPath is not set: workflow code converts with the bundle's module, activities with the default payload converter`,
    );
  });

  test("a prebuilt bundle without the worker's converter module: workflow code uses the default converter, as official (fails loudly, not corrupting), with a warning", async () => {
    const e = await env();
    const log = await captureWorkerLog();
    const plain = await bundleWorkflowCode({ workflowsPath });
    const taskQueue = uid("mismatch");
    try {
      const worker = await Worker.create({
        connection: e.connection,
        taskQueue,
        workflowBundle: { code: plain.code },
        activities,
        dataConverter: { payloadConverterPath: tagged },
        shutdownSignals: [],
      });
      const client = new Client({ connection: e.connection, namespace: e.namespace, dataConverter: { payloadConverterPath: tagged } });
      await worker.runUntil(async () => {
        const h = await client.workflow.start("taggedRoundTrip", {
          taskQueue,
          workflowId: uid("mismatch"),
          args: [{ when: new Date(0), big: 1n, tags: new Set<string>() }],
          workflowExecutionTimeout: "60s",
        });
        const failed = await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a failed workflow task");
        if (failed.attributes.case !== "workflowTaskFailedEventAttributes") throw new Error("not a task failure");
        expect(failed.attributes.value.failure?.message).toContain("Unknown payload encoding 'json/x-tagged'");
        await h.terminate("test done");
      });
    } finally {
      log.restore();
    }
    const warning = log.lines.find((l) => l.level === "warn" && l.message.includes("payloadConverterPath"));
    expect(warning?.message).toContain(
      `the workflow bundle was built without payloadConverterPath: workflow code converts with the default payload converter, activities with dataConverter.payloadConverterPath '${tagged}'`,
    );
  });
});
