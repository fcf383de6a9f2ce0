import { describe, expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GzipPayloadCodec, isGzipPayload } from "../../src/common/gzip-codec.js";
import { defaultPayloadConverter, encodePayloadsInMessage, decodePayloadsInMessage, loadDataConverter, makePayload, payloadEncoding, ValueError } from "../../src/common/index.js";
import { PayloadSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { StartWorkflowExecutionRequestSchema } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";

const codec = new GzipPayloadCodec();
const big = { text: "temporal ".repeat(500), n: [1, 2, 3] };

describe("GzipPayloadCodec", () => {
  test("compresses to binary/gzip holding real gzip of the serialized original payload", async () => {
    const original = defaultPayloadConverter.toPayload(big);
    const [encoded] = await codec.encode([original]);
    expect(payloadEncoding(encoded!)).toBe("binary/gzip");
    expect(isGzipPayload(encoded!)).toBe(true);
    // gzip magic number, and it inflates with an independent implementation
    expect([encoded!.data[0], encoded!.data[1]]).toEqual([0x1f, 0x8b]);
    const inflated = fromBinary(PayloadSchema, new Uint8Array(gunzipSync(encoded!.data)));
    expect(payloadEncoding(inflated)).toBe("json/plain");
    expect(encoded!.data.byteLength).toBeLessThan(toBinary(PayloadSchema, original).byteLength / 10);
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(big);
  });

  test("small or incompressible payloads pass through unchanged", async () => {
    const small = defaultPayloadConverter.toPayload("hi");
    const random = makePayload("binary/plain", crypto.getRandomValues(new Uint8Array(2048)));
    const [a, b] = await codec.encode([small, random]);
    expect(a).toBe(small);
    expect(b).toBe(random);
  });

  test("alwaysCompress compresses even tiny payloads, and they still round trip", async () => {
    const always = new GzipPayloadCodec({ alwaysCompress: true });
    const small = defaultPayloadConverter.toPayload("hi");
    const [enc] = await always.encode([small]);
    expect(payloadEncoding(enc!)).toBe("binary/gzip");
    expect(defaultPayloadConverter.fromPayload((await always.decode([enc!]))[0]!)).toBe("hi");
  });

  test("decode leaves payloads it did not write untouched", async () => {
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    const [out] = await codec.decode([plain]);
    expect(out).toBe(plain);
  });

  test("corrupt gzip data is a clear error", async () => {
    const bad = makePayload("binary/gzip", new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
    await expect(codec.decode([bad])).rejects.toThrow(ValueError);
    await expect(codec.decode([bad])).rejects.toThrow(/cannot decompress a binary\/gzip payload/);
  });

  test("refuses to inflate beyond maxDecodedBytes", async () => {
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload("x".repeat(100_000))]);
    await expect(new GzipPayloadCodec({ maxDecodedBytes: 1000 }).decode([encoded!])).rejects.toThrow(/cannot decompress/);
  });

  test("bad options are refused", () => {
    expect(() => new GzipPayloadCodec({ level: 12 })).toThrow(/level must be an integer 1-9/);
  });

  test("through the visitor: every payload of a request is compressed, search attributes excepted", async () => {
    const { payloadCodecs } = loadDataConverter({ payloadCodecs: [codec] });
    const p = (v: unknown) => defaultPayloadConverter.toPayload(v);
    const req = create(StartWorkflowExecutionRequestSchema, {
      input: { payloads: [p(big), p(big)] },
      memo: { fields: { m: p(big) } },
      searchAttributes: { indexedFields: { s: p("x".repeat(500)) } },
    });
    await encodePayloadsInMessage(payloadCodecs, StartWorkflowExecutionRequestSchema, req);
    expect(req.input!.payloads.map(payloadEncoding)).toEqual(["binary/gzip", "binary/gzip"]);
    expect(payloadEncoding(req.memo!.fields.m!)).toBe("binary/gzip");
    expect(payloadEncoding(req.searchAttributes!.indexedFields.s!)).toBe("json/plain");
    await decodePayloadsInMessage(payloadCodecs, StartWorkflowExecutionRequestSchema, req);
    expect(defaultPayloadConverter.fromPayload(req.input!.payloads[1]!)).toEqual(big);
    expect(defaultPayloadConverter.fromPayload(req.memo!.fields.m!)).toEqual(big);
  });
});
