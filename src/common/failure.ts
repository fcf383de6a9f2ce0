/**
 * Failures that cross workflow, activity and client boundaries, as in @temporalio/common:
 * the class names, constructor signatures and fields are the official SDK's, so code that
 * throws or catches them moves over with an import change.
 *
 * `instanceof` checks a `Symbol.for('__temporal_is<Name>')` marker (see type-helpers.ts), so
 * it holds across realms and copies of this module, and for @temporalio/common's own classes.
 *
 * `RetryState`, `TimeoutType` and `ApplicationFailureCategory` are objects of strings with the
 * official values and legacy aliases (as in the official SDK ≥ 1.11), with encode/decode
 * helpers to and from the protobuf enum numbers (codecs from ./enums.ts).
 */
import type { Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import type { Duration } from "./time.js";
import { makeEnumCodec, officialCodecFunctions } from "./enums.js";
import { errorMessage, isRecord, markErrorClass } from "./type-helpers.js";

export const FAILURE_SOURCE = "TypeScriptSDK";
export type ProtoFailure = Failure;

export const TimeoutType = {
  START_TO_CLOSE: "START_TO_CLOSE",
  SCHEDULE_TO_START: "SCHEDULE_TO_START",
  SCHEDULE_TO_CLOSE: "SCHEDULE_TO_CLOSE",
  HEARTBEAT: "HEARTBEAT",
  /** @deprecated legacy aliases, as in the official SDK */
  TIMEOUT_TYPE_START_TO_CLOSE: "START_TO_CLOSE",
  TIMEOUT_TYPE_SCHEDULE_TO_START: "SCHEDULE_TO_START",
  TIMEOUT_TYPE_SCHEDULE_TO_CLOSE: "SCHEDULE_TO_CLOSE",
  TIMEOUT_TYPE_HEARTBEAT: "HEARTBEAT",
  TIMEOUT_TYPE_UNSPECIFIED: undefined,
} as const;
export type TimeoutType = NonNullable<(typeof TimeoutType)[keyof typeof TimeoutType]>;

export const RetryState = {
  IN_PROGRESS: "IN_PROGRESS",
  NON_RETRYABLE_FAILURE: "NON_RETRYABLE_FAILURE",
  TIMEOUT: "TIMEOUT",
  MAXIMUM_ATTEMPTS_REACHED: "MAXIMUM_ATTEMPTS_REACHED",
  RETRY_POLICY_NOT_SET: "RETRY_POLICY_NOT_SET",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
  CANCEL_REQUESTED: "CANCEL_REQUESTED",
  /** @deprecated legacy aliases, as in the official SDK */
  RETRY_STATE_IN_PROGRESS: "IN_PROGRESS",
  RETRY_STATE_NON_RETRYABLE_FAILURE: "NON_RETRYABLE_FAILURE",
  RETRY_STATE_TIMEOUT: "TIMEOUT",
  RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED: "MAXIMUM_ATTEMPTS_REACHED",
  RETRY_STATE_RETRY_POLICY_NOT_SET: "RETRY_POLICY_NOT_SET",
  RETRY_STATE_INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
  RETRY_STATE_CANCEL_REQUESTED: "CANCEL_REQUESTED",
  RETRY_STATE_UNSPECIFIED: undefined,
} as const;
export type RetryState = NonNullable<(typeof RetryState)[keyof typeof RetryState]>;

/** Severity of an application failure (BENIGN: expected, logged at DEBUG, no failure metrics). */
export const ApplicationFailureCategory = {
  BENIGN: "BENIGN",
} as const;
export type ApplicationFailureCategory = (typeof ApplicationFailureCategory)[keyof typeof ApplicationFailureCategory];

// Protobuf enum numbers (temporal.api.enums.v1), through src/common/enums.ts's codec: accepts
// the short name, the prefixed name or the proto number, as the official encoders do.
const timeoutTypeCodec = makeEnumCodec<TimeoutType>(
  "TimeoutType",
  { START_TO_CLOSE: 1, SCHEDULE_TO_START: 2, SCHEDULE_TO_CLOSE: 3, HEARTBEAT: 4 },
  "TIMEOUT_TYPE_",
  true,
);
const retryStateCodec = makeEnumCodec<RetryState>(
  "RetryState",
  {
    IN_PROGRESS: 1,
    NON_RETRYABLE_FAILURE: 2,
    TIMEOUT: 3,
    MAXIMUM_ATTEMPTS_REACHED: 4,
    RETRY_POLICY_NOT_SET: 5,
    INTERNAL_SERVER_ERROR: 6,
    CANCEL_REQUESTED: 7,
  },
  "RETRY_STATE_",
  true,
);
const categoryCodec = makeEnumCodec<ApplicationFailureCategory>("ApplicationFailureCategory", { BENIGN: 1 }, "APPLICATION_ERROR_CATEGORY_", true);

// The official encodeX/decodeX pairs (src/common/enums.ts): undefined ⇄ undefined (0 decodes
// as unspecified), a name or prefixed name encodes to its proto number, numbers pass through.
/** TimeoutType ⇄ temporal.api.enums.v1.TimeoutType number. */
export const [encodeTimeoutType, decodeTimeoutType] = officialCodecFunctions(timeoutTypeCodec);
/** RetryState ⇄ temporal.api.enums.v1.RetryState number. */
export const [encodeRetryState, decodeRetryState] = officialCodecFunctions(retryStateCodec);
/** ApplicationFailureCategory ⇄ temporal.api.enums.v1.ApplicationErrorCategory number. */
export const [encodeApplicationFailureCategory, decodeApplicationFailureCategory] = officialCodecFunctions(categoryCodec);

export interface WorkflowExecution {
  workflowId: string;
  runId?: string;
}

/**
 * Base class of the failures that cross workflow and activity boundaries. Do not extend it:
 * the only subclass user code should throw is {@link ApplicationFailure}.
 */
export class TemporalFailure extends Error {
  /** The protobuf Failure this error was made from, when it came from the other side. */
  declare failure?: Failure;

  constructor(
    message?: string | undefined | null,
    public override readonly cause?: Error,
  ) {
    super(message ?? undefined);
  }
}
markErrorClass(TemporalFailure, "TemporalFailure");

/**
 * A workflow with this id is already running (or the reuse policy forbids another run). A
 * TemporalFailure, as in @temporalio/common.
 */
export class WorkflowExecutionAlreadyStartedError extends TemporalFailure {
  constructor(
    message: string,
    public readonly workflowId: string,
    public readonly workflowType: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause instanceof Error ? options.cause : undefined);
  }
}
markErrorClass(WorkflowExecutionAlreadyStartedError, "WorkflowExecutionAlreadyStartedError");

/** A failure that originated at the Temporal service. */
export class ServerFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly nonRetryable: boolean,
    cause?: Error,
  ) {
    super(message, cause);
  }
}
markErrorClass(ServerFailure, "ServerFailure");

export interface ApplicationFailureOptions {
  message?: string;
  /** Matched against RetryPolicy.nonRetryableErrorTypes. */
  type?: string;
  /** Default false. */
  nonRetryable?: boolean;
  /** Serialized with the payload converter. */
  details?: unknown[];
  /** Overrides the delay before the next retry (still bounded by the retry policy). */
  nextRetryDelay?: Duration;
  cause?: Error;
  category?: ApplicationFailureCategory;
}

/**
 * An application-specific failure from workflow or activity code. `type` is matched against
 * the retry policy's nonRetryableErrorTypes; `nonRetryable: true` stops retries outright.
 */
export class ApplicationFailure extends TemporalFailure {
  constructor(
    message?: string | undefined | null,
    public readonly type?: string | undefined | null,
    public readonly nonRetryable?: boolean | undefined | null,
    public readonly details?: unknown[] | undefined | null,
    cause?: Error,
    public readonly nextRetryDelay?: Duration | undefined | null,
    public readonly category?: ApplicationFailureCategory | undefined | null,
  ) {
    super(message, cause);
  }

  /** `ensureApplicationFailure(error)`, then the given fields override. */
  static fromError(error: unknown, overrides?: ApplicationFailureOptions): ApplicationFailure {
    const failure = ensureApplicationFailure(error);
    Object.assign(failure, overrides);
    return failure;
  }

  /** Retryable unless `nonRetryable` is set (or its type is listed as non-retryable in the retry policy). */
  static create(options: ApplicationFailureOptions): ApplicationFailure {
    const { message, type, nonRetryable = false, details, nextRetryDelay, cause, category } = options;
    return new this(message, type, nonRetryable, details, cause, nextRetryDelay, category);
  }

  /** A retryable failure (type defaults to 'Error'). */
  static retryable(message?: string | null, type?: string | null, ...details: unknown[]): ApplicationFailure {
    return new this(message, type ?? "Error", false, details);
  }

  /** A failure that is never retried (type defaults to 'Error'). */
  static nonRetryable(message?: string | null, type?: string | null, ...details: unknown[]): ApplicationFailure {
    return new this(message, type ?? "Error", true, details);
  }
}
markErrorClass(ApplicationFailure, "ApplicationFailure");

/**
 * Cancellation was requested. Let it propagate to allow the cancellation; catch it to ignore.
 * When a workflow or activity was cancelled, a CancelledFailure is the `cause`.
 */
export class CancelledFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly details: unknown[] = [],
    cause?: Error,
  ) {
    super(message, cause);
  }
}
markErrorClass(CancelledFailure, "CancelledFailure");

/** The `cause` when a workflow was terminated. */
export class TerminatedFailure extends TemporalFailure {
  constructor(message: string | undefined, cause?: Error) {
    super(message, cause);
  }
}
markErrorClass(TerminatedFailure, "TerminatedFailure");

/** An activity or workflow timed out. */
export class TimeoutFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly lastHeartbeatDetails: unknown,
    public readonly timeoutType: TimeoutType | undefined,
  ) {
    super(message);
  }
}
markErrorClass(TimeoutFailure, "TimeoutFailure");

/** An activity failed; the reason (ApplicationFailure, TimeoutFailure, CancelledFailure…) is its `cause`. */
export class ActivityFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly activityType: string,
    public readonly activityId: string | undefined,
    public readonly retryState: RetryState | undefined,
    public readonly identity: string | undefined,
    cause?: Error,
  ) {
    super(message, cause);
  }
}
markErrorClass(ActivityFailure, "ActivityFailure");

/** A child workflow failed; the reason is its `cause`. */
export class ChildWorkflowFailure extends TemporalFailure {
  constructor(
    public readonly namespace: string | undefined,
    public readonly execution: WorkflowExecution,
    public readonly workflowType: string,
    public readonly retryState: RetryState | undefined,
    cause?: Error,
  ) {
    super("Child Workflow execution failed", cause);
  }
}
markErrorClass(ChildWorkflowFailure, "ChildWorkflowFailure");

/**
 * `error` itself when it is an ApplicationFailure; otherwise a retryable ApplicationFailure as
 * @temporalio/common makes it (what reaches history must be the same):
 * - message: `String(error.message)` for an object, `String(error)` otherwise;
 * - type: the constructor's name (`class NotFound extends Error {}` → 'NotFound', a plain
 *   object → 'Object'), else `error.name`; none for a primitive;
 * - cause: `error.cause` when it is an Error;
 * - stack: `String(error.stack)` for an object (so 'undefined' when it has none), else ''.
 */
export function ensureApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const record = isRecord(error) ? error : undefined;
  const message = (record && String(record.message)) || String(error);
  const ctorName = (record?.constructor as { name?: unknown } | undefined)?.name;
  const type = record ? (typeof ctorName === "string" ? ctorName : typeof record.name === "string" ? record.name : undefined) : undefined;
  const cause = record && isErrorLike(record.cause) ? record.cause : undefined;
  const failure = ApplicationFailure.create({ message, type, nonRetryable: false, cause });
  failure.stack = (record && String(record.stack)) || "";
  return failure;
}

/** As @temporalio/common's isError: an object with a string name and message, and a string stack or none. */
export function isErrorLike(error: unknown): error is Error {
  return (
    isRecord(error) &&
    typeof error.name === "string" &&
    typeof error.message === "string" &&
    (error.stack === undefined || error.stack === null || typeof error.stack === "string")
  );
}

/** `err` when it is already a TemporalFailure, otherwise `ensureApplicationFailure(err)`. */
export function ensureTemporalFailure(err: unknown): TemporalFailure {
  return err instanceof TemporalFailure ? err : ensureApplicationFailure(err);
}

/** The message of the innermost `cause` of a TemporalFailure chain (or the error's own message). */
export function rootCause(error: unknown): string | undefined {
  if (error instanceof TemporalFailure) return error.cause ? rootCause(error.cause) : error.message;
  return errorMessage(error);
}

/** The non-retryable ApplicationFailure `Payload validation failed` (type `PayloadValidationError`), as official. */
export function createPayloadValidationError(details: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message: "Payload validation failed",
    type: "PayloadValidationError",
    nonRetryable: true,
    details: details === null || details === undefined ? [] : [details],
  });
}
