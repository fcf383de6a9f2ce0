import { describe, expect, test } from "bun:test";
import { Client, type PayloadCodec } from "../../src/client/index.js";
import { PayloadSchema, type Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { create } from "@bufbuild/protobuf";
import { testEnv } from "../helpers/dev-server.js";
import { completeCommand, respondWithCommand, uid } from "./helpers.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A gzip codec (src/common ships the SDK's; this one keeps the test independent of it). */
class TestGzipCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) =>
      create(PayloadSchema, {
        metadata: { encoding: enc.encode("binary/gzip") },
        data: Bun.gzipSync(new Uint8Array(Buffer.from(JSON.stringify({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v).toString("base64")])), data: Buffer.from(p.data).toString("base64") })))),
      }),
    );
  }
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (dec.decode(p.metadata.encoding) !== "binary/gzip") return p;
      const inner = JSON.parse(dec.decode(Bun.gunzipSync(new Uint8Array(p.data)))) as { metadata: Record<string, string>; data: string };
      return create(PayloadSchema, {
        metadata: Object.fromEntries(Object.entries(inner.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, "base64"))])),
        data: new Uint8Array(Buffer.from(inner.data, "base64")),
      });
    });
  }
}

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
    const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: { payloadCodecs: [new TestGzipCodec()] } });
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

    // Through the client: decoded.
    const history = await h.fetchHistory();
    const s2 = history.events[0]!.attributes;
    if (s2.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
    expect(s2.value.input!.payloads.map((p) => client.dataConverter.payloadConverter.fromPayload(p))).toEqual([big, { n: 1 }]);
    expect((await h.describe()).memo).toEqual({ note: "memo value" });
  });

  test("search attributes are never codec-encoded (the server must index them)", async () => {
    const env = await testEnv();
    const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: { payloadCodecs: [new TestGzipCodec()] } });
    const h = await client.workflow.start("gzipSa", { workflowId: uid("gzip-sa"), taskQueue: "gzip-sa-tq", searchAttributes: { TestKeyword: ["plain"] } });
    const raw = await env.connection.workflowService.describeWorkflowExecution({ namespace: env.namespace, execution: { workflowId: h.workflowId } });
    const p = raw.workflowExecutionInfo!.searchAttributes!.indexedFields.TestKeyword!;
    expect(dec.decode(p.metadata.encoding)).toBe("json/plain");
    expect((await h.describe()).searchAttributes.TestKeyword).toEqual(["plain"]);
    await h.terminate();
  });
});
