import { describe, expect, test } from "bun:test";
import {
  ActivityFailure,
  ApplicationFailure,
  ApplicationFailureCategory,
  CancelledFailure,
  ChildWorkflowFailure,
  DefaultFailureConverter,
  defaultPayloadConverter,
  ensureApplicationFailure,
  ensureTemporalFailure,
  payloadEncoding,
  RetryState,
  rootCause,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  TimeoutType,
} from "../../src/common/index.js";
import { RetryState as ProtoRetryState, TimeoutType as ProtoTimeoutType } from "../../src/proto/temporal/api/enums/v1/workflow_pb.js";
import { ApplicationErrorCategory } from "../../src/proto/temporal/api/enums/v1/common_pb.js";

const pc = defaultPayloadConverter;
const fc = new DefaultFailureConverter();
const roundTrip = <E extends Error>(err: unknown, converter = fc): E => converter.failureToError(converter.errorToFailure(err, pc), pc) as E;

describe("failure classes", () => {
  test("names, instanceof and official constructor signatures", () => {
    const cause = ApplicationFailure.nonRetryable("boom", "Boom", 1);
    const af = new ActivityFailure("Activity task failed", "greet", "7", RetryState.NON_RETRYABLE_FAILURE, "w1", cause);
    expect(af.name).toBe("ActivityFailure");
    expect(af).toBeInstanceOf(TemporalFailure);
    expect(af).toBeInstanceOf(Error);
    expect(af).not.toBeInstanceOf(ApplicationFailure);
    expect(af.cause).toBe(cause);
    expect(cause.nonRetryable).toBe(true);
    expect(cause.details).toEqual([1]);
    expect(ApplicationFailure.retryable("x").type).toBe("Error");
    expect(ApplicationFailure.create({ message: "m" }).nonRetryable).toBe(false);
    const cw = new ChildWorkflowFailure("ns", { workflowId: "w", runId: "r" }, "Child", RetryState.TIMEOUT);
    expect(cw.message).toBe("Child Workflow execution failed");
  });

  test("instanceof works for a copy of a class from elsewhere (symbol marker), and subclasses keep their own check", () => {
    const foreign = Object.create({ [Symbol.for("__temporal_isApplicationFailure")]: true, [Symbol.for("__temporal_isTemporalFailure")]: true });
    expect(foreign instanceof ApplicationFailure).toBe(true);
    expect(foreign instanceof TemporalFailure).toBe(true);
    class MyFailure extends ApplicationFailure {}
    expect(ApplicationFailure.create({}) instanceof MyFailure).toBe(false);
    expect(new MyFailure("x") instanceof ApplicationFailure).toBe(true);
  });

  test("ensureTemporalFailure / ensureApplicationFailure / rootCause", () => {
    class ValidationError extends Error {}
    const e = new ValidationError("bad input");
    const af = ensureApplicationFailure(e);
    expect(af.type).toBe("ValidationError");
    expect(af.message).toBe("bad input");
    expect(af.stack).toBe(e.stack!);
    const t = new TerminatedFailure("t");
    expect(ensureTemporalFailure(t)).toBe(t);
    expect(ensureTemporalFailure("str").message).toBe("str");
    expect(rootCause(new ActivityFailure("a", "x", "1", undefined, undefined, new CancelledFailure("deep")))).toBe("deep");
    expect(rootCause(new Error("plain"))).toBe("plain");
  });
});

describe("DefaultFailureConverter round trips", () => {
  test("ApplicationFailure: type, nonRetryable, details, nextRetryDelay, category, stack", () => {
    const err = ApplicationFailure.create({
      message: "nope",
      type: "Nope",
      nonRetryable: true,
      details: [{ a: 1 }, "two"],
      nextRetryDelay: "1.5s",
      category: ApplicationFailureCategory.BENIGN,
    });
    const f = fc.errorToFailure(err, pc);
    expect(f.message).toBe("nope");
    expect(f.source).toBe("TypeScriptSDK");
    expect(f.stackTrace).toBe(err.stack!);
    expect(f.failureInfo.case).toBe("applicationFailureInfo");
    const info = f.failureInfo.value as { type: string; nonRetryable: boolean; nextRetryDelay: { seconds: bigint; nanos: number }; category: number };
    expect(info.type).toBe("Nope");
    expect(info.nonRetryable).toBe(true);
    expect(info.nextRetryDelay.seconds).toBe(1n);
    expect(info.nextRetryDelay.nanos).toBe(500_000_000);
    expect(info.category).toBe(ApplicationErrorCategory.BENIGN);
    const back = fc.failureToError(f, pc) as ApplicationFailure;
    expect(back).toBeInstanceOf(ApplicationFailure);
    expect(back.message).toBe("nope");
    expect(back.type).toBe("Nope");
    expect(back.nonRetryable).toBe(true);
    expect(back.details).toEqual([{ a: 1 }, "two"]);
    expect(back.nextRetryDelay).toBe(1500);
    expect(back.category).toBe("BENIGN");
    expect(back.stack).toBe(err.stack!);
    expect(back.failure).toBe(f);
  });

  test("every failure type with a cause chain", () => {
    const leaf = ApplicationFailure.create({ message: "leaf", type: "Leaf" });
    const cases: [TemporalFailure, (e: Error) => void][] = [
      [new CancelledFailure("c", ["d1", 2], leaf), (e) => expect((e as CancelledFailure).details).toEqual(["d1", 2])],
      [new TerminatedFailure("t", leaf), (e) => expect(e).toBeInstanceOf(TerminatedFailure)],
      [new ServerFailure("s", true, leaf), (e) => expect((e as ServerFailure).nonRetryable).toBe(true)],
      [
        new ActivityFailure("a", "greet", "act-1", RetryState.MAXIMUM_ATTEMPTS_REACHED, "id@host", leaf),
        (e) => {
          const a = e as ActivityFailure;
          expect([a.activityType, a.activityId, a.retryState, a.identity]).toEqual(["greet", "act-1", "MAXIMUM_ATTEMPTS_REACHED", "id@host"]);
        },
      ],
      [
        new ChildWorkflowFailure("ns", { workflowId: "cw", runId: "run" }, "ChildWf", RetryState.RETRY_POLICY_NOT_SET, leaf),
        (e) => {
          const c = e as ChildWorkflowFailure;
          expect([c.namespace, c.execution, c.workflowType, c.retryState]).toEqual(["ns", { workflowId: "cw", runId: "run" }, "ChildWf", "RETRY_POLICY_NOT_SET"]);
        },
      ],
    ];
    for (const [err, check] of cases) {
      const back = roundTrip<TemporalFailure>(err);
      expect(back.constructor).toBe(err.constructor as never);
      expect(back.message).toBe(err.message);
      expect(back.stack).toBe(err.stack!);
      check(back);
      const cause = back.cause as ApplicationFailure;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause.message).toBe("leaf");
      expect(cause.type).toBe("Leaf");
      expect(cause.stack).toBe(leaf.stack!);
    }
  });

  test("TimeoutFailure: type and last heartbeat details (falsy details dropped, as official)", () => {
    const back = roundTrip<TimeoutFailure>(new TimeoutFailure("timed out", { progress: 3 }, TimeoutType.HEARTBEAT));
    expect(back.timeoutType).toBe("HEARTBEAT");
    expect(back.lastHeartbeatDetails).toEqual({ progress: 3 });
    const f = fc.errorToFailure(new TimeoutFailure("t", 0, TimeoutType.START_TO_CLOSE), pc);
    expect((f.failureInfo.value as { timeoutType: number }).timeoutType).toBe(ProtoTimeoutType.START_TO_CLOSE);
    expect((f.failureInfo.value as { lastHeartbeatDetails?: unknown }).lastHeartbeatDetails).toBeUndefined();
    expect((fc.failureToError(f, pc) as TimeoutFailure).lastHeartbeatDetails).toBeUndefined();
  });

  test("retry state enums map to the proto numbers", () => {
    const f = fc.errorToFailure(new ActivityFailure("a", "t", "1", RetryState.CANCEL_REQUESTED, "i"), pc);
    expect((f.failureInfo.value as { retryState: number }).retryState).toBe(ProtoRetryState.CANCEL_REQUESTED);
  });

  test("a plain Error becomes a failure with message, stack and cause and no failure info, as official", () => {
    class NotFound extends Error {}
    const inner = new TypeError("bad type");
    const err = new NotFound("missing", { cause: inner });
    const f = fc.errorToFailure(err, pc);
    expect(f.failureInfo.case).toBeUndefined();
    expect(f.message).toBe("missing");
    expect(f.source).toBe("TypeScriptSDK");
    expect(f.stackTrace).toBe(err.stack!);
    expect(f.cause!.message).toBe("bad type");
    expect(f.cause!.failureInfo.case).toBeUndefined();
    const back = fc.failureToError(f, pc);
    expect(back).toBeInstanceOf(TemporalFailure);
    expect(back.message).toBe("missing");
    expect((back.cause as TemporalFailure).message).toBe("bad type");
  });

  test("non-Error throwables get a message and the official hint, no failure info", () => {
    const s1 = fc.errorToFailure("just a string", pc);
    expect(s1.message).toBe("just a string [A non-Error value was thrown from your code. We recommend throwing Error objects so that we can provide a stack trace]");
    expect(s1.failureInfo.case).toBeUndefined();
    expect(fc.errorToFailure({ code: 1 }, pc).message).toMatch(/^\{"code":1\} \[A non-Error/);
  });

  test("ensureApplicationFailure converts as @temporalio/common does (type from the class, cause kept, retryable)", () => {
    class CustomError extends Error {
      constructor(m: string) {
        super(m);
        this.name = "Renamed";
      }
    }
    const custom = ensureApplicationFailure(new CustomError("c"));
    expect([custom.type, custom.message, custom.nonRetryable]).toEqual(["CustomError", "c", false]);
    const withCause = ensureApplicationFailure(new Error("outer", { cause: new TypeError("inner") }));
    expect(withCause.type).toBe("Error");
    expect((withCause.cause as Error).message).toBe("inner");
    const str = ensureApplicationFailure("s");
    expect([str.type, str.message, str.stack]).toEqual([undefined, "s", ""]);
    // Objects without message/stack: String(undefined), as official.
    const obj = ensureApplicationFailure({ code: 7 });
    expect([obj.type, obj.message, obj.stack]).toEqual(["Object", "undefined", "undefined"]);
    const f = fc.errorToFailure(str, pc);
    expect(f.failureInfo.case).toBe("applicationFailureInfo");
    expect((f.failureInfo.value as { type: string }).type).toBe("");
  });

  test("a failure that came from the other side is sent on unchanged", () => {
    const original = fc.errorToFailure(new ServerFailure("srv", false), pc);
    const err = fc.failureToError(original, pc);
    const again = fc.errorToFailure(err, pc);
    expect(again).toEqual(original);
    expect(again).not.toBe(original);
  });

  test("details that cannot be converted fail naming the detail", () => {
    expect(() => fc.errorToFailure(ApplicationFailure.create({ message: "m", details: ["ok", 5n] }), pc)).toThrow(
      /^argument 1 of application failure details: cannot convert to a payload: cannot convert to JSON: BigInt at \$/,
    );
  });

  test("unknown failure info decodes to a TemporalFailure", () => {
    const f = fc.errorToFailure(new TemporalFailure("base"), pc);
    expect(f.failureInfo.case).toBeUndefined();
    const back = fc.failureToError(f, pc);
    expect(back).toBeInstanceOf(TemporalFailure);
    expect(back.message).toBe("base");
  });
});

describe("encodeCommonAttributes", () => {
  const enc = new DefaultFailureConverter({ encodeCommonAttributes: true });

  test("message and stack move into encoded_attributes at every level, and come back", () => {
    const err = new ActivityFailure("outer secret", "greet", "1", RetryState.TIMEOUT, "w", ApplicationFailure.create({ message: "inner secret" }));
    const f = enc.errorToFailure(err, pc);
    expect(f.message).toBe("Encoded failure");
    expect(f.stackTrace).toBe("");
    expect(payloadEncoding(f.encodedAttributes!)).toBe("json/plain");
    expect(pc.fromPayload(f.encodedAttributes!)).toEqual({ message: "outer secret", stack_trace: err.stack });
    expect(f.cause!.message).toBe("Encoded failure");
    const back = enc.failureToError(f, pc) as ActivityFailure;
    expect(back.message).toBe("outer secret");
    expect(back.stack).toBe(err.stack!);
    expect((back.cause as Error).message).toBe("inner secret");
    // The caller's Failure is not modified by decoding.
    expect(f.message).toBe("Encoded failure");
  });

  test("a converter without the option still reads encoded failures", () => {
    const f = enc.errorToFailure(ApplicationFailure.create({ message: "hidden" }), pc);
    expect(fc.failureToError(f, pc).message).toBe("hidden");
  });
});
