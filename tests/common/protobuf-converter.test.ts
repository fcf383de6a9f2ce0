import { describe, expect, test } from "bun:test";
import { create, createRegistry, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  DefaultPayloadConverterWithProtobufs,
  defaultPayloadConverter,
  makePayload,
  PayloadConverterError,
  payloadEncoding,
  ProtobufBinaryPayloadConverter,
  ProtobufJsonPayloadConverter,
  CompositePayloadConverter,
} from "../../src/common/index.js";
import { WorkflowExecutionSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { ActivityFailureInfoSchema, type ActivityFailureInfo } from "../../src/proto/temporal/api/failure/v1/message_pb.js";
import { RetryState } from "../../src/proto/temporal/api/enums/v1/workflow_pb.js";

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const info = () =>
  create(ActivityFailureInfoSchema, {
    scheduledEventId: 9007199254740993n, // beyond Number precision: must survive
    activityId: "a-1",
    activityType: { name: "greet" },
    retryState: RetryState.TIMEOUT,
  });

describe("protobuf-es payload converters", () => {
  const converter = new DefaultPayloadConverterWithProtobufs({ registry: [ActivityFailureInfoSchema, WorkflowExecutionSchema] });

  test("a message becomes json/protobuf with messageType metadata and proto3 JSON data", () => {
    const p = converter.toPayload(info());
    expect(payloadEncoding(p)).toBe("json/protobuf");
    expect(text(p.metadata.messageType)).toBe("temporal.api.failure.v1.ActivityFailureInfo");
    const json = JSON.parse(text(p.data)!);
    expect(json.scheduledEventId).toBe("9007199254740993");
    expect(json.retryState).toBe("RETRY_STATE_TIMEOUT");
    const back = converter.fromPayload<ActivityFailureInfo>(p);
    expect(back.$typeName).toBe("temporal.api.failure.v1.ActivityFailureInfo");
    expect(equals(ActivityFailureInfoSchema, back, info())).toBe(true);
  });

  test("binary/protobuf payloads are read too (and written by ProtobufBinaryPayloadConverter)", () => {
    const bin = new ProtobufBinaryPayloadConverter([ActivityFailureInfoSchema]).toPayload(info())!;
    expect(payloadEncoding(bin)).toBe("binary/protobuf");
    expect(equals(ActivityFailureInfoSchema, fromBinary(ActivityFailureInfoSchema, bin.data), info())).toBe(true);
    expect(equals(ActivityFailureInfoSchema, converter.fromPayload(bin), info())).toBe(true);
  });

  test("accepts a Registry as well as a schema list", () => {
    const c = new ProtobufJsonPayloadConverter(createRegistry(WorkflowExecutionSchema));
    const msg = create(WorkflowExecutionSchema, { workflowId: "w", runId: "r" });
    expect(equals(WorkflowExecutionSchema, c.fromPayload(c.toPayload(msg)!), msg)).toBe(true);
  });

  test("non-messages still go to binary and JSON", () => {
    expect(payloadEncoding(converter.toPayload({ a: 1 }))).toBe("json/plain");
    expect(payloadEncoding(converter.toPayload(new Uint8Array([1])))).toBe("binary/plain");
    expect(payloadEncoding(converter.toPayload(undefined))).toBe("binary/null");
  });

  test("a message type missing from the registry fails naming the type and the schema to add", () => {
    const c = new DefaultPayloadConverterWithProtobufs({ registry: [WorkflowExecutionSchema] });
    expect(() => c.toPayload(info())).toThrow(PayloadConverterError);
    expect(() => c.toPayload(info())).toThrow(/ActivityFailureInfo'.*add ActivityFailureInfoSchema/);
    const p = converter.toPayload(info());
    expect(() => c.fromPayload(p)).toThrow(/not in the registry/);
  });

  test("a protobuf converter without schemas says to pass them", () => {
    const c = new CompositePayloadConverter(new ProtobufJsonPayloadConverter());
    expect(() => c.toPayload(info())).toThrow(/no message schemas were given/);
    const p = makePayload("json/protobuf", new TextEncoder().encode("{}"), { messageType: new TextEncoder().encode("temporal.api.common.v1.WorkflowExecution") });
    expect(() => c.fromPayload(p)).toThrow(/no message schemas were given/);
  });

  test("the default converter refuses a protobuf message instead of writing broken JSON", () => {
    expect(() => defaultPayloadConverter.toPayload(info())).toThrow(/protobuf message 'temporal.api.failure.v1.ActivityFailureInfo'.*DefaultPayloadConverterWithProtobufs/);
  });

  test("a missing messageType metadata is a clear error", () => {
    const p = makePayload("binary/protobuf", toBinary(ActivityFailureInfoSchema, info()));
    expect(() => converter.fromPayload(p)).toThrow(/no 'messageType' metadata/);
  });
});
