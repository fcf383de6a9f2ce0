import { describe, expect, test } from "bun:test";
import { create, equals, isMessage } from "@bufbuild/protobuf";
import { Client, DefaultPayloadConverterWithProtobufs, decodePayloadsInMessage } from "../../src/client/index.js";
import { ProtobufBinaryPayloadConverter } from "../../src/common/index.js";
import { GzipPayloadCodec } from "../../src/common/gzip-codec.js";
import { CommandType } from "../../src/proto/temporal/api/enums/v1/command_type_pb.js";
import { CommandSchema } from "../../src/proto/temporal/api/command/v1/message_pb.js";
import { RetryPolicySchema, WorkflowExecutionSchema, type Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { HistorySchema } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { testEnv } from "../helpers/dev-server.js";
import { completeCommand, respondWithCommand, uid } from "./helpers.js";

const dec = new TextDecoder();

/** The SDK's gzip codec, compressing every payload so that each one visibly went through it. */
const gzip = () => new GzipPayloadCodec({ alwaysCompress: true });

const values: Array<[string, unknown, string]> = [
  ["undefined", undefined, "binary/null"],
  ["bytes", new Uint8Array([0, 1, 2, 255]), "binary/plain"],
  ["string", "héllo ☃", "json/plain"],
  ["number", 3.25, "json/plain"],
  ["null", null, "json/plain"],
  ["object", { a: [1, { b: true }], s: "x" }, "json/plain"],
];

describe("payloads through the server", () => {
  test("every default converter type round-trips through start input and history", async () => {
    const { client } = await testEnv();
    const h = await client.workflow.start("payloadTypes", { workflowId: uid("payloads"), taskQueue: "payloads-tq", args: values.map((v) => v[1]) });
    const start = (await h.fetchHistory()).events[0]!.attributes;
    if (start.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
    const payloads = start.value.input!.payloads;
    expect(payloads.map((p) => dec.decode(p.metadata.encoding))).toEqual(values.map((v) => v[2]));
    expect(payloads.map((p) => client.dataConverter.payloadConverter.fromPayload(p))).toEqual(values.map((v) => v[1]));
    await h.terminate();
  });

  test("a gzip codec is applied to every payload the server stores, and undone on the way back", async () => {
    const env = await testEnv();
    const codec = gzip();
    const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: { payloadCodecs: [codec] } });
    const taskQueue = uid("gzip-tq");
    const big = "x".repeat(10_000);
    const h = await client.workflow.start("gzipWorkflow", { workflowId: uid("gzip"), taskQueue, args: [big, { n: 1 }], memo: { note: "memo value" } });
    await h.signal("sig", "signal arg");
    await respondWithCommand(client, taskQueue, completeCommand(client, { result: big }));
    expect(await h.result()).toEqual({ result: big });

    // Raw history, no codec: the input, memo, signal and result payloads are gzip-encoded.
    const raw = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: env.namespace, execution: { workflowId: h.workflowId } });
    const events = raw.history!.events;
    const started = events[0]!.attributes;
    if (started.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
    for (const p of started.value.input!.payloads) expect(dec.decode(p.metadata.encoding)).toBe("binary/gzip");
    expect(started.value.input!.payloads[0]!.data.length).toBeLessThan(1_000); // 10 KB of 'x' compressed
    expect(dec.decode(started.value.memo!.fields.note!.metadata.encoding)).toBe("binary/gzip");
    const signaled = events.find((e) => e.attributes.case === "workflowExecutionSignaledEventAttributes")!.attributes.value as { input: { payloads: Payload[] } };
    expect(dec.decode(signaled.input.payloads[0]!.metadata.encoding)).toBe("binary/gzip");
    const completed = events.find((e) => e.attributes.case === "workflowExecutionCompletedEventAttributes")!.attributes.value as { result: { payloads: Payload[] } };
    expect(dec.decode(completed.result.payloads[0]!.metadata.encoding)).toBe("binary/gzip");

    // fetchHistory is the raw history (as the official client's): still gzip-encoded, for replay to decode.
    const history = await h.fetchHistory();
    const s2 = history.events[0]!.attributes;
    if (s2.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
    expect(s2.value.input!.payloads.map((p) => dec.decode(p.metadata.encoding))).toEqual(["binary/gzip", "binary/gzip"]);
    expect(equals(HistorySchema, history, raw.history!)).toBe(true);
    // Decoded with the shared visitor: the original values.
    await decodePayloadsInMessage([codec], HistorySchema, history);
    expect(s2.value.input!.payloads.map((p) => client.dataConverter.payloadConverter.fromPayload(p))).toEqual([big, { n: 1 }]);
    expect(client.dataConverter.payloadConverter.fromPayload(s2.value.memo!.fields.note!)).toBe("memo value");
    // describe() decodes (memo).
    expect((await h.describe()).memo).toEqual({ note: "memo value" });
  });

  test("search attributes are never codec-encoded (the server must index them)", async () => {
    const env = await testEnv();
    const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: { payloadCodecs: [gzip()] } });
    const h = await client.workflow.start("gzipSa", { workflowId: uid("gzip-sa"), taskQueue: "gzip-sa-tq", searchAttributes: { TestKeyword: ["plain"] } });
    const raw = await env.connection.workflowService.describeWorkflowExecution({ namespace: env.namespace, execution: { workflowId: h.workflowId } });
    const p = raw.workflowExecutionInfo!.searchAttributes!.indexedFields.TestKeyword!;
    expect(dec.decode(p.metadata.encoding)).toBe("json/plain");
    expect((await h.describe()).searchAttributes.TestKeyword).toEqual(["plain"]);
    await h.terminate();
  });

  test("protobuf messages (DefaultPayloadConverterWithProtobufs) round-trip through the server as json/protobuf, also under a codec", async () => {
    const env = await testEnv();
    for (const payloadCodecs of [[], [gzip()]]) {
      const payloadConverter = new DefaultPayloadConverterWithProtobufs({ registry: [WorkflowExecutionSchema, RetryPolicySchema] });
      const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: { payloadConverter, payloadCodecs } });
      const taskQueue = uid("proto-tq");
      const arg = create(WorkflowExecutionSchema, { workflowId: "wf-1", runId: "run-1" });
      const h = await client.workflow.start("protoWorkflow", { workflowId: uid("proto"), taskQueue, args: [arg, "plain"] });
      await h.signal("sig", create(RetryPolicySchema, { maximumAttempts: 3, nonRetryableErrorTypes: ["Bad"] }));
      const result = create(RetryPolicySchema, { backoffCoefficient: 2, maximumAttempts: 5 });
      await respondWithCommand(client, taskQueue, completeCommand(client, result));

      const got = await h.result();
      expect(isMessage(got, RetryPolicySchema)).toBe(true);
      expect(equals(RetryPolicySchema, got as never, result)).toBe(true);

      const history = await decodePayloadsInMessage(payloadCodecs, HistorySchema, await h.fetchHistory());
      const started = history.events[0]!.attributes;
      if (started.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
      const [p0, p1] = started.value.input!.payloads as [Payload, Payload];
      expect(dec.decode(p0.metadata.encoding)).toBe("json/protobuf");
      expect(dec.decode(p0.metadata.messageType)).toBe("temporal.api.common.v1.WorkflowExecution");
      expect(JSON.parse(dec.decode(p0.data))).toEqual({ workflowId: "wf-1", runId: "run-1" });
      expect(dec.decode(p1.metadata.encoding)).toBe("json/plain");
      const decodedArg = payloadConverter.fromPayload(p0);
      expect(isMessage(decodedArg, WorkflowExecutionSchema) && equals(WorkflowExecutionSchema, decodedArg, arg)).toBe(true);
      const signaled = history.events.find((e) => e.attributes.case === "workflowExecutionSignaledEventAttributes")!.attributes.value as { input: { payloads: Payload[] } };
      expect(payloadConverter.fromPayload(signaled.input.payloads[0]!)).toEqual(create(RetryPolicySchema, { maximumAttempts: 3, nonRetryableErrorTypes: ["Bad"] }));
    }
  });

  test("a binary/protobuf result written by another SDK is read back as the message", async () => {
    const env = await testEnv();
    const payloadConverter = new DefaultPayloadConverterWithProtobufs({ registry: [WorkflowExecutionSchema] });
    const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: { payloadConverter } });
    const taskQueue = uid("proto-bin-tq");
    const h = await client.workflow.start("protoBinary", { workflowId: uid("proto-bin"), taskQueue });
    const value = create(WorkflowExecutionSchema, { workflowId: "binary", runId: "r" });
    const payload = new ProtobufBinaryPayloadConverter([WorkflowExecutionSchema]).toPayload(value)!;
    expect(dec.decode(payload.metadata.encoding)).toBe("binary/protobuf");
    await respondWithCommand(
      client,
      taskQueue,
      create(CommandSchema, {
        commandType: CommandType.COMPLETE_WORKFLOW_EXECUTION,
        attributes: { case: "completeWorkflowExecutionCommandAttributes", value: { result: { payloads: [payload] } } },
      }),
    );
    expect(equals(WorkflowExecutionSchema, (await h.result()) as never, value)).toBe(true);
  });
});
