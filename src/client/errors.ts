/**
 * Errors raised by the client: RPC failures (`ServiceError`, with the gRPC status), a
 * connection that cannot be made (`ConnectionError`), and the workflow-level errors of
 * @temporalio/client (`WorkflowFailedError`, `WorkflowNotFoundError`, …).
 */
import { fromBinary, type Message } from "@bufbuild/protobuf";
import { anyUnpack, type Any } from "@bufbuild/protobuf/wkt";
import { createRegistry } from "@bufbuild/protobuf";
import { StatusSchema } from "../proto/google/rpc/status_pb.js";
import { file_temporal_api_errordetails_v1_message } from "../proto/temporal/api/errordetails/v1/message_pb.js";
import { NativeBridgeError, NativeErrorCode } from "../bridge/index.js";
import type { RetryState } from "../common/index.js";

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcStatusName = keyof typeof GrpcStatus;

const statusNames = new Map<number, GrpcStatusName>(Object.entries(GrpcStatus).map(([k, v]) => [v, k as GrpcStatusName]));

export function grpcStatusName(code: number): GrpcStatusName | "UNKNOWN" {
  return statusNames.get(code) ?? "UNKNOWN";
}

const errorDetailsRegistry = createRegistry(file_temporal_api_errordetails_v1_message);

/**
 * A failed RPC. `code` is the gRPC status code, `codeName` its name, `details` the
 * messages of the server's `google.rpc.Status.details` that this SDK knows
 * (temporal.api.errordetails.v1.*), unpacked.
 */
export class ServiceError extends Error {
  override readonly name: string = "ServiceError";
  readonly codeName: GrpcStatusName | "UNKNOWN";
  constructor(
    message: string,
    /** gRPC status code. */
    readonly code: number,
    readonly details: Message[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.codeName = grpcStatusName(code);
  }

  /** The first detail whose type is `typeName` (e.g. "temporal.api.errordetails.v1.NotFoundFailure"). */
  detail(typeName: string): Message | undefined {
    return this.details.find((d) => d.$typeName === typeName);
  }
}

/** The connection could not be made (bad address, no server, TLS failure, timeout), or is closed. */
export class ConnectionError extends Error {
  override readonly name: string = "ConnectionError";
  constructor(
    message: string,
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Alias kept for code written against @temporalio/core-bridge's `TransportError`. */
export { ConnectionError as TransportError };

// One class each for the whole SDK, defined in src/common as in @temporalio/common (which
// @temporalio/client re-exports), so `instanceof` holds whichever subpath it was imported from.
export { IllegalStateError, NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from "../common/index.js";

function unpackDetails(bytes: Uint8Array | undefined): { message?: string; details: Message[] } {
  if (!bytes || bytes.length === 0) return { details: [] };
  try {
    const status = fromBinary(StatusSchema, bytes);
    const details: Message[] = [];
    for (const any of status.details as Any[]) {
      const m = anyUnpack(any, errorDetailsRegistry);
      if (m) details.push(m);
    }
    return { message: status.message, details };
  } catch {
    return { details: [] };
  }
}

/** Turns a bridge RPC failure into a ServiceError (other bridge errors pass through). */
export function toServiceError(err: unknown, method: string): unknown {
  if (!(err instanceof NativeBridgeError)) return err;
  const status = err.details.grpcStatus;
  if (err.code === NativeErrorCode.rpc || err.code === NativeErrorCode.cancelled || (status !== undefined && status !== 0)) {
    const code = status ?? (err.code === NativeErrorCode.cancelled ? GrpcStatus.CANCELLED : GrpcStatus.UNKNOWN);
    const { details } = unpackDetails(err.details.grpcDetails);
    return new ServiceError(`${method}: ${grpcStatusName(code)}: ${err.message}`, code, details, { cause: err });
  }
  return err;
}

export function isServiceError(err: unknown, code?: number): err is ServiceError {
  return err instanceof ServiceError && (code === undefined || err.code === code);
}

/** src/common's `RetryState` (the official SDK's string union), or undefined when the server sent none (as official). */
export type RetryStateName = RetryState | undefined;

/** The workflow closed as failed, cancelled, terminated or timed out; `cause` says which. */
export class WorkflowFailedError extends Error {
  override readonly name: string = "WorkflowFailedError";
  constructor(
    message: string,
    override readonly cause: Error | undefined,
    readonly retryState: RetryStateName,
  ) {
    super(message, { cause });
  }
}

/** The run continued as new and `followRuns` was false. */
export class WorkflowContinuedAsNewError extends Error {
  override readonly name: string = "WorkflowContinuedAsNewError";
  constructor(
    message: string,
    readonly newExecutionRunId: string,
  ) {
    super(message);
  }
}

/** The query was rejected by `queryRejectCondition`; `status` is the workflow's status. */
export class QueryRejectedError extends Error {
  override readonly name: string = "QueryRejectedError";
  constructor(
    /** temporal.api.enums.v1.WorkflowExecutionStatus number. */
    readonly status: number,
    readonly statusName: string,
  ) {
    super(`Query rejected: workflow status is ${statusName}`);
  }
}

/** The workflow has no handler for the query. */
export class QueryNotRegisteredError extends Error {
  override readonly name: string = "QueryNotRegisteredError";
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** The workflow's query handler failed (or the worker answered with an error). */
export class WorkflowQueryFailedError extends Error {
  override readonly name: string = "WorkflowQueryFailedError";
}
