/**
 * Payload codecs end to end: a Worker and a Client with src/common's GzipPayloadCodec
 * (compressing every payload). Every payload the server stores is gzip, the workflow and its
 * activities see the original values, and the raw history (`fetchHistory()`) replays with the
 * same codec and fails to replay without it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client, decodePayloadsInMessage, type PayloadCodec } from "../../src/client/index.js";
import { collectPayloads } from "../../src/common/index.js";
import { GzipPayloadCodec } from "../../src/common/gzip-codec.js";
import { HistorySchema } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { ReplayError, Worker } from "../../src/worker/index.js";
import { bundle, env, startWorker, uid, type RunningWorker } from "./helpers.js";

const codec = new GzipPayloadCodec({ alwaysCompress: true });
const dataConverter = { payloadCodecs: [codec] };
const dec = new TextDecoder();
/** The JSON of every json/plain payload the worker encoded (heartbeat details leave no trace in the history). */
const workerEncoded: string[] = [];
const spy: PayloadCodec = {
  async encode(payloads) {
    for (const p of payloads) if (dec.decode(p.metadata.encoding) === "json/plain") workerEncoded.push(dec.decode(p.data));
    return payloads;
  },
  async decode(payloads) {
    return payloads;
  },
};
let w: RunningWorker;

beforeAll(async () => {
  w = await startWorker("codecs.ts", {
    dataConverter: { payloadCodecs: [spy, codec] },
    maxHeartbeatThrottleInterval: 100,
    defaultHeartbeatThrottleInterval: 100,
  });
});

afterAll(async () => {
  await w?.stop();
});

describe("payload codecs through a Worker", () => {
  test("activations, completions, activity tasks, results, failures and heartbeats all pass the codec; the raw history replays with it", async () => {
    const e = await env();
    const client = new Client({ connection: e.connection, namespace: e.namespace, dataConverter });
    const h = await client.workflow.start("codecRoundTrip", {
      taskQueue: w.taskQueue,
      workflowId: uid("codecs"),
      args: ["héllo", new Uint8Array([1, 2, 3])],
      memo: { note: "memo" },
      workflowExecutionTimeout: "60s",
    });
    await h.signal("add", { n: 1 });
    expect(await h.query("items", "#")).toEqual(['#{"n":1}']);
    await h.signal("add", "two");
    expect(await h.result()).toEqual({
      echoed: "héllo",
      upper: "HÉLLO",
      resumed: { resumedFrom: { heartbeat: { step: 7, text: "héllo" } } },
      details: [{ why: "héllo" }],
      items: [{ n: 1 }, "two"],
      bytes: [1, 2, 3],
    });

    // The raw history: every payload the server stores went through the codec.
    const history = await h.fetchHistory();
    const types = new Set(history.events.map((ev) => ev.eventType));
    for (const t of [EventType.ACTIVITY_TASK_FAILED, EventType.MARKER_RECORDED, EventType.WORKFLOW_EXECUTION_SIGNALED, EventType.WORKFLOW_EXECUTION_COMPLETED]) {
      expect(types.has(t)).toBe(true);
    }
    // Except the local-activity marker's `data`, which core itself writes (as json/plain): SDK code never sees it.
    const coreMarkerData = new Set(
      history.events.flatMap((ev) => (ev.attributes.case === "markerRecordedEventAttributes" ? (ev.attributes.value.details.data?.payloads ?? []) : [])),
    );
    expect(coreMarkerData.size).toBe(1);
    const payloads = collectPayloads(HistorySchema, history).filter((p) => !coreMarkerData.has(p));
    expect(payloads.length).toBeGreaterThan(10);
    expect(new Set(payloads.map((p) => dec.decode(p.metadata.encoding)))).toEqual(new Set(["binary/gzip"]));
    // Heartbeat details went through the worker's codecs too (and came back decoded on the next attempt, above).
    expect(workerEncoded).toContain(JSON.stringify({ heartbeat: { step: 7, text: "héllo" } }));

    // Replay reads the raw history with its own data converter.
    await Worker.runReplayHistory({ workflowBundle: await bundle("codecs.ts"), dataConverter }, history);
    const withoutCodec = await Worker.runReplayHistory({ workflowBundle: await bundle("codecs.ts") }, history).catch((err: unknown) => err);
    expect(withoutCodec).toBeInstanceOf(ReplayError);
    expect((withoutCodec as Error).message).toContain("binary/gzip");

    // The history decoded with the shared visitor reads as the original values.
    await decodePayloadsInMessage([codec], HistorySchema, history);
    const first = history.events[0]!.attributes;
    if (first.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
    expect(first.value.input!.payloads.map((p) => client.dataConverter.payloadConverter.fromPayload(p))).toEqual(["héllo", new Uint8Array([1, 2, 3])]);
  });
});
