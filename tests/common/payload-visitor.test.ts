import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  collectPayloads,
  decodePayloadsInMessage,
  defaultPayloadConverter,
  DefaultFailureConverter,
  ApplicationFailure,
  CancelledFailure,
  encodePayloadsInMessage,
  makePayload,
  payloadEncoding,
  visitPayloads,
  type Payload,
  type PayloadCodec,
} from "../../src/common/index.js";
import { StartWorkflowExecutionRequestSchema } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { HistoryEventSchema } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { FailureSchema, type Failure } from "../../src/proto/temporal/api/failure/v1/message_pb.js";
import { PayloadSchema, WorkflowExecutionSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { WorkflowActivationSchema } from "../../src/proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import { WorkflowActivationCompletionSchema } from "../../src/proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import { StartSchema } from "../../src/proto/temporal/sdk/core/activity_task/activity_task_pb.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const p = (v: unknown): Payload => defaultPayloadConverter.toPayload(v);
const value = (x: Payload | undefined): unknown => (x ? defaultPayloadConverter.fromPayload(x) : undefined);

/** Wraps each payload: encoding "test/<tag>", data = serialized original. Records calls. */
function taggingCodec(tag: string, calls: string[]): PayloadCodec {
  return {
    async encode(payloads) {
      calls.push(`${tag}.encode(${payloads.length})`);
      return payloads.map((x) => makePayload(`test/${tag}`, toBinary(PayloadSchema, x)));
    },
    async decode(payloads) {
      calls.push(`${tag}.decode(${payloads.length})`);
      return payloads.map((x) => (payloadEncoding(x) === `test/${tag}` ? fromBinary(PayloadSchema, x.data) : x));
    },
  };
}

function startRequest() {
  return create(StartWorkflowExecutionRequestSchema, {
    namespace: "default",
    workflowId: "wf",
    input: { payloads: [p("arg0"), p({ n: 1 })] },
    header: { fields: { trace: p("t-1") } },
    memo: { fields: { owner: p("me") } },
    searchAttributes: { indexedFields: { CustomKeywordField: p("kw") } },
    userMetadata: { summary: p("sum") },
    continuedFailure: new DefaultFailureConverter().errorToFailure(ApplicationFailure.create({ message: "x", details: ["d0"] }), defaultPayloadConverter),
  });
}

describe("visitPayloads over a StartWorkflowExecutionRequest", () => {
  test("finds input, header, memo, user metadata and failure details — not search attributes", () => {
    const found = collectPayloads(StartWorkflowExecutionRequestSchema, startRequest()).map(value);
    expect(found).toEqual(expect.arrayContaining(["arg0", { n: 1 }, "t-1", "me", "sum", "d0"]));
    expect(found.length).toBe(6);
    expect(found).not.toContain("kw");
  });

  test("encode replaces every payload but headers in place (one codec call per message); decode restores them", async () => {
    const calls: string[] = [];
    const codecs = [taggingCodec("a", calls), taggingCodec("b", calls)];
    const req = startRequest();
    const out = await encodePayloadsInMessage(codecs, StartWorkflowExecutionRequestSchema, req);
    expect(out).toBe(req);
    expect(calls).toEqual(["a.encode(5)", "b.encode(5)"]);
    expect(payloadEncoding(req.input!.payloads[0]!)).toBe("test/b");
    // Codecs never touch headers, as in the official SDK.
    expect(value(req.header!.fields.trace)).toBe("t-1");
    expect(payloadEncoding(req.memo!.fields.owner!)).toBe("test/b");
    expect(payloadEncoding(req.userMetadata!.summary!)).toBe("test/b");
    const details = req.continuedFailure!.failureInfo;
    expect(details.case).toBe("applicationFailureInfo");
    expect(payloadEncoding((details.value as { details: { payloads: Payload[] } }).details.payloads[0]!)).toBe("test/b");
    // Search attributes stay readable for the server.
    expect(value(req.searchAttributes!.indexedFields.CustomKeywordField)).toBe("kw");

    calls.length = 0;
    await decodePayloadsInMessage(codecs, StartWorkflowExecutionRequestSchema, req);
    expect(calls).toEqual(["b.decode(5)", "a.decode(5)"]);
    expect(req.input!.payloads.map(value)).toEqual(["arg0", { n: 1 }]);
    expect(value(req.header!.fields.trace)).toBe("t-1");
    expect(value(req.memo!.fields.owner)).toBe("me");
    expect(value(req.userMetadata!.summary)).toBe("sum");
  });

  test("codec runners with skipHeaders: false encode headers too", async () => {
    const calls: string[] = [];
    const req = startRequest();
    await encodePayloadsInMessage([taggingCodec("a", calls)], StartWorkflowExecutionRequestSchema, req, { skipHeaders: false });
    expect(calls).toEqual(["a.encode(6)"]);
    expect(payloadEncoding(req.header!.fields.trace!)).toBe("test/a");
  });

  test("codecs skip core's header maps: activity task headerFields, activation and command headers", async () => {
    const calls: string[] = [];
    const start = create(StartSchema, { activityType: "greet", input: [p("in")], headerFields: { h: p("h-start") } });
    await decodePayloadsInMessage([taggingCodec("a", calls)], StartSchema, start);
    expect(calls).toEqual(["a.decode(1)"]);
    expect(value(start.headerFields.h)).toBe("h-start");

    const activation = create(WorkflowActivationSchema, {
      runId: "r",
      jobs: [
        { variant: { case: "initializeWorkflow", value: { workflowType: "wf", arguments: [p("arg")], headers: { h: p("h-init") } } } },
        { variant: { case: "signalWorkflow", value: { signalName: "sig", input: [p("sig")], headers: { h: p("h-signal") } } } },
      ],
    });
    calls.length = 0;
    await decodePayloadsInMessage([taggingCodec("a", calls)], WorkflowActivationSchema, activation);
    expect(calls).toEqual(["a.decode(2)"]); // the arguments and the signal input, not the two headers

    const completion = create(WorkflowActivationCompletionSchema, {
      runId: "r",
      status: { case: "successful", value: { commands: [{ variant: { case: "scheduleActivity", value: { seq: 1, activityType: "a", arguments: [p("x")], headers: { h: p("h-cmd") } } } }] } },
    });
    calls.length = 0;
    await encodePayloadsInMessage([taggingCodec("a", calls)], WorkflowActivationCompletionSchema, completion);
    expect(calls).toEqual(["a.encode(1)"]);
    const cmd = (completion.status.value as { commands: { variant: { value: { headers: Record<string, Payload>; arguments: Payload[] } } }[] }).commands[0]!.variant.value;
    expect(value(cmd.headers.h)).toBe("h-cmd");
    expect(payloadEncoding(cmd.arguments[0]!)).toBe("test/a");
  });

  test("options: skipHeaders leaves headers; skipSearchAttributes: false visits them", () => {
    const req = startRequest();
    const noHeaders = collectPayloads(StartWorkflowExecutionRequestSchema, req, { skipHeaders: true }).map(value);
    expect(noHeaders).not.toContain("t-1");
    const withSa = collectPayloads(StartWorkflowExecutionRequestSchema, req, { skipSearchAttributes: false }).map(value);
    expect(withSa).toContain("kw");
  });

  test("no codecs: nothing walks, nothing changes", async () => {
    const req = startRequest();
    const before = toBinary(StartWorkflowExecutionRequestSchema, req);
    await encodePayloadsInMessage([], StartWorkflowExecutionRequestSchema, req);
    expect(toBinary(StartWorkflowExecutionRequestSchema, req)).toEqual(before);
  });

  test("fn is not called for a message type that cannot hold payloads", async () => {
    let called = false;
    await visitPayloads(WorkflowExecutionSchema, create(WorkflowExecutionSchema, { workflowId: "w" }), async (ps) => {
      called = true;
      return ps;
    });
    expect(called).toBe(false);
  });

  test("a wrong count or wrong message type is an error", async () => {
    await expect(visitPayloads(StartWorkflowExecutionRequestSchema, startRequest(), async (ps) => ps.slice(1))).rejects.toThrow(/expected 6 payloads back, got 5/);
    await expect(visitPayloads(HistoryEventSchema, startRequest() as never, async (ps) => ps)).rejects.toThrow(/expected a 'temporal.api.history.v1.HistoryEvent' message/);
  });

  test("plain { metadata, data } objects returned by a codec become Payload messages", async () => {
    const req = startRequest();
    await visitPayloads(StartWorkflowExecutionRequestSchema, req, async (ps) => ps.map((x) => ({ metadata: x.metadata, data: x.data }) as Payload));
    expect(req.input!.payloads[0]!.$typeName).toBe("temporal.api.common.v1.Payload");
    expect(value(req.input!.payloads[0])).toBe("arg0");
  });
});

describe("visitPayloads over failures and history", () => {
  const fc = new DefaultFailureConverter({ encodeCommonAttributes: true });
  const failure = (): Failure =>
    fc.errorToFailure(
      ApplicationFailure.create({ message: "outer", details: ["o1", 2], cause: new CancelledFailure("inner", ["c1"]) }),
      defaultPayloadConverter,
    );

  test("a Failure chain: details, cause details and encoded attributes at every level", () => {
    const found = collectPayloads(FailureSchema, failure()).map(value);
    expect(found).toContainEqual({ message: "outer", stack_trace: expect.any(String) });
    expect(found).toContainEqual({ message: "inner", stack_trace: expect.any(String) });
    expect(found).toEqual(expect.arrayContaining(["o1", 2, "c1"]));
    expect(found.length).toBe(5);
  });

  test("a HistoryEvent with a oneof attribute holding a Failure", async () => {
    const event = create(HistoryEventSchema, {
      eventId: 5n,
      attributes: { case: "activityTaskFailedEventAttributes", value: { failure: failure() } },
    });
    const calls: string[] = [];
    await encodePayloadsInMessage([taggingCodec("z", calls)], HistoryEventSchema, event);
    expect(calls).toEqual(["z.encode(5)"]);
    const attrs = event.attributes.value as { failure: Failure };
    expect(payloadEncoding(attrs.failure.encodedAttributes!)).toBe("test/z");
    expect(payloadEncoding(attrs.failure.cause!.encodedAttributes!)).toBe("test/z");
    await decodePayloadsInMessage([taggingCodec("z", calls)], HistoryEventSchema, event);
    const err = fc.failureToError(attrs.failure, defaultPayloadConverter) as ApplicationFailure;
    expect(err.message).toBe("outer");
    expect(err.details).toEqual(["o1", 2]);
    expect((err.cause as CancelledFailure).details).toEqual(["c1"]);
  });
});

describe("visitPayloads over core messages", () => {
  test("a WorkflowActivation: repeated arguments, header maps, memo, signal input, activity results; not search attributes", () => {
    const activation = create(WorkflowActivationSchema, {
      runId: "r",
      jobs: [
        {
          variant: {
            case: "initializeWorkflow",
            value: {
              workflowType: "wf",
              arguments: [p("a0"), p("a1")],
              headers: { h: p("h0") },
              memo: { fields: { m: p("m0") } },
              searchAttributes: { indexedFields: { s: p("s0") } },
              lastCompletionResult: { payloads: [p("last")] },
            },
          },
        },
        { variant: { case: "signalWorkflow", value: { signalName: "sig", input: [p("sig0")], headers: {} } } },
        { variant: { case: "resolveActivity", value: { seq: 1, result: { status: { case: "completed", value: { result: p("res") } } } } } },
        { variant: { case: "fireTimer", value: { seq: 2 } } },
      ],
    });
    const found = collectPayloads(WorkflowActivationSchema, activation).map(value);
    expect(found.sort()).toEqual(["a0", "a1", "h0", "last", "m0", "res", "sig0"]);
    expect(collectPayloads(WorkflowActivationSchema, activation, { skipHeaders: true }).map(value)).not.toContain("h0");
  });

  test("a WorkflowActivationCompletion: command arguments and results", async () => {
    const completion = create(WorkflowActivationCompletionSchema, {
      runId: "r",
      status: {
        case: "successful",
        value: {
          commands: [
            { variant: { case: "scheduleActivity", value: { seq: 1, activityType: "greet", arguments: [p("x")], headers: {} } } },
            { variant: { case: "completeWorkflowExecution", value: { result: p("done") } } },
          ],
        },
      },
    });
    const seen: unknown[] = [];
    await visitPayloads(WorkflowActivationCompletionSchema, completion, async (ps) => {
      seen.push(...ps.map(value));
      return ps.map((x) => makePayload("json/plain", enc.encode(JSON.stringify(`${dec.decode(x.data).replaceAll('"', "")}!`))));
    });
    expect(seen).toEqual(["x", "done"]);
    const cmds = (completion.status.value as { commands: { variant: { value: { arguments?: Payload[]; result?: Payload } } }[] }).commands;
    expect(value(cmds[0]!.variant.value.arguments![0])).toBe("x!");
    expect(value(cmds[1]!.variant.value.result)).toBe("done!");
  });
});
