/**
 * Minimal stand-in for src/common (payload converter, failure converter, failure classes)
 * so the client works before src/common lands. Same names and shapes as @temporalio/common.
 * To be deleted when ./common.ts re-exports src/common.
 */
import { create, fromBinary, fromJsonString, isMessage, toJsonString, type DescMessage, type Message } from "@bufbuild/protobuf";
import { PayloadSchema, type Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { FailureSchema, type Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import { RetryState, TimeoutType } from "../proto/temporal/api/enums/v1/workflow_pb.js";

export interface PayloadConverter {
  toPayload(value: unknown): Payload;
  fromPayload<T>(payload: Payload): T;
}
export interface PayloadCodec {
  encode(payloads: Payload[]): Promise<Payload[]>;
  decode(payloads: Payload[]): Promise<Payload[]>;
}
export interface FailureConverter {
  errorToFailure(err: unknown, payloadConverter: PayloadConverter): Failure;
  failureToError(failure: Failure, payloadConverter: PayloadConverter): Error;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const payload = (encoding: string, data: Uint8Array, extra: Record<string, Uint8Array> = {}): Payload =>
  create(PayloadSchema, { metadata: { encoding: enc.encode(encoding), ...extra }, data });

const messageTypes = new Map<string, DescMessage>();
/** Registers a protobuf-es schema so `json/protobuf` payloads of its type decode to messages. */
export function registerMessageType(schema: DescMessage): void {
  messageTypes.set(schema.typeName, schema);
}

function jsonText(value: unknown): string {
  const seen = new Set<unknown>();
  return JSON.stringify(value, function (key, v) {
    if (typeof v === "bigint") throw new TypeError(`BigInt at '${key}' cannot be represented in JSON`);
    if (typeof v === "function" || typeof v === "symbol") throw new TypeError(`${typeof v} at '${key}' cannot be represented in JSON`);
    if (v !== null && typeof v === "object") {
      if (seen.has(v)) throw new TypeError(`cyclic object at '${key}' cannot be represented in JSON`);
      seen.add(v);
    }
    return v;
  });
}

export const defaultPayloadConverter: PayloadConverter = {
  toPayload(value: unknown): Payload {
    if (value === undefined) return payload("binary/null", new Uint8Array());
    if (value instanceof Uint8Array) return payload("binary/plain", value);
    if (isMessage(value)) {
      const schema = messageTypes.get(value.$typeName);
      if (schema) return payload("json/protobuf", enc.encode(toJsonString(schema, value as Message)), { messageType: enc.encode(value.$typeName) });
    }
    return payload("json/plain", enc.encode(jsonText(value)));
  },
  fromPayload<T>(p: Payload): T {
    const encoding = p.metadata.encoding ? dec.decode(p.metadata.encoding) : "";
    switch (encoding) {
      case "binary/null":
        return undefined as T;
      case "binary/plain":
        return p.data as T;
      case "json/plain":
        return JSON.parse(dec.decode(p.data)) as T;
      case "json/protobuf":
      case "binary/protobuf": {
        const typeName = p.metadata.messageType ? dec.decode(p.metadata.messageType) : "";
        const schema = messageTypes.get(typeName);
        if (!schema) throw new TypeError(`payload of protobuf type '${typeName}' is not registered`);
        return (encoding === "json/protobuf" ? fromJsonString(schema, dec.decode(p.data)) : fromBinary(schema, p.data)) as T;
      }
      default:
        throw new TypeError(`unknown payload encoding '${encoding}'`);
    }
  },
};

export class TemporalFailure extends Error {
  override name = "TemporalFailure";
  failure?: Failure;
  constructor(message?: string, cause?: Error) {
    super(message ?? "", { cause });
  }
}
export class ApplicationFailure extends TemporalFailure {
  override name = "ApplicationFailure";
  constructor(
    message?: string,
    readonly type?: string | null,
    readonly nonRetryable?: boolean | null,
    readonly details?: unknown[] | null,
    cause?: Error,
    readonly nextRetryDelay?: number,
  ) {
    super(message, cause);
  }
  static create(o: { message?: string; type?: string; nonRetryable?: boolean; details?: unknown[]; cause?: Error }): ApplicationFailure {
    return new ApplicationFailure(o.message, o.type, o.nonRetryable ?? false, o.details, o.cause);
  }
}
export class CancelledFailure extends TemporalFailure {
  override name = "CancelledFailure";
  constructor(message?: string, readonly details: unknown[] = [], cause?: Error) {
    super(message, cause);
  }
}
export class TerminatedFailure extends TemporalFailure {
  override name = "TerminatedFailure";
}
export class TimeoutFailure extends TemporalFailure {
  override name = "TimeoutFailure";
  constructor(message: string | undefined, readonly lastHeartbeatDetails: unknown, readonly timeoutType: TimeoutType) {
    super(message);
  }
}
export class ServerFailure extends TemporalFailure {
  override name = "ServerFailure";
  constructor(message: string | undefined, readonly nonRetryable: boolean, cause?: Error) {
    super(message, cause);
  }
}
export class ActivityFailure extends TemporalFailure {
  override name = "ActivityFailure";
  constructor(
    message: string | undefined,
    readonly activityType: string,
    readonly activityId: string | undefined,
    readonly retryState: RetryState,
    readonly identity: string | undefined,
    cause?: Error,
  ) {
    super(message, cause);
  }
}
export class ChildWorkflowFailure extends TemporalFailure {
  override name = "ChildWorkflowFailure";
  constructor(
    readonly namespace: string | undefined,
    readonly execution: { workflowId: string; runId: string },
    readonly workflowType: string,
    readonly retryState: RetryState,
    cause?: Error,
  ) {
    super("Child Workflow execution failed", cause);
  }
}

const fromPayloads = (pc: PayloadConverter, p: { payloads: Payload[] } | undefined) => (p?.payloads ?? []).map((x) => pc.fromPayload(x));
const toPayloads = (pc: PayloadConverter, v: unknown[] | null | undefined) => (v && v.length ? { payloads: v.map((x) => pc.toPayload(x)) } : undefined);

export class DefaultFailureConverter implements FailureConverter {
  failureToError(f: Failure, pc: PayloadConverter): Error {
    const cause = f.cause ? this.failureToError(f.cause, pc) : undefined;
    const i = f.failureInfo;
    let err: TemporalFailure;
    switch (i.case) {
      case "applicationFailureInfo":
        err = new ApplicationFailure(f.message, i.value.type, i.value.nonRetryable, fromPayloads(pc, i.value.details), cause);
        break;
      case "canceledFailureInfo":
        err = new CancelledFailure(f.message, fromPayloads(pc, i.value.details), cause);
        break;
      case "terminatedFailureInfo":
        err = new TerminatedFailure(f.message, cause);
        break;
      case "timeoutFailureInfo":
        err = new TimeoutFailure(f.message, fromPayloads(pc, i.value.lastHeartbeatDetails)[0], i.value.timeoutType);
        break;
      case "serverFailureInfo":
        err = new ServerFailure(f.message, i.value.nonRetryable, cause);
        break;
      case "activityFailureInfo":
        err = new ActivityFailure(f.message, i.value.activityType?.name ?? "", i.value.activityId, i.value.retryState, i.value.identity, cause);
        break;
      case "childWorkflowExecutionFailureInfo":
        err = new ChildWorkflowFailure(
          i.value.namespace,
          { workflowId: i.value.workflowExecution?.workflowId ?? "", runId: i.value.workflowExecution?.runId ?? "" },
          i.value.workflowType?.name ?? "",
          i.value.retryState,
          cause,
        );
        break;
      default:
        err = new TemporalFailure(f.message, cause);
    }
    err.stack = f.stackTrace || err.stack;
    err.failure = f;
    return err;
  }

  errorToFailure(err: unknown, pc: PayloadConverter): Failure {
    const e = err instanceof Error ? err : new Error(String(err));
    const cause = e.cause instanceof Error ? this.errorToFailure(e.cause, pc) : undefined;
    const base = { message: e.message, stackTrace: e.stack ?? "", source: "TypeScriptSDK", cause };
    let failureInfo: unknown;
    if (e instanceof ApplicationFailure) {
      failureInfo = { case: "applicationFailureInfo", value: { type: e.type ?? e.name, nonRetryable: !!e.nonRetryable, details: toPayloads(pc, e.details) } };
    } else if (e instanceof CancelledFailure) failureInfo = { case: "canceledFailureInfo", value: { details: toPayloads(pc, e.details) } };
    else if (e instanceof TerminatedFailure) failureInfo = { case: "terminatedFailureInfo", value: {} };
    else if (e instanceof TimeoutFailure) {
      failureInfo = { case: "timeoutFailureInfo", value: { timeoutType: e.timeoutType, lastHeartbeatDetails: toPayloads(pc, e.lastHeartbeatDetails === undefined ? [] : [e.lastHeartbeatDetails]) } };
    } else if (e instanceof ServerFailure) failureInfo = { case: "serverFailureInfo", value: { nonRetryable: e.nonRetryable } };
    else if (e instanceof ActivityFailure) {
      failureInfo = { case: "activityFailureInfo", value: { activityType: { name: e.activityType }, activityId: e.activityId ?? "", retryState: e.retryState, identity: e.identity ?? "" } };
    } else if (e instanceof ChildWorkflowFailure) {
      failureInfo = {
        case: "childWorkflowExecutionFailureInfo",
        value: { namespace: e.namespace ?? "", workflowExecution: e.execution, workflowType: { name: e.workflowType }, retryState: e.retryState },
      };
    } else failureInfo = { case: "applicationFailureInfo", value: { type: e.name, nonRetryable: false } };
    return create(FailureSchema, { ...base, failureInfo } as never);
  }
}
