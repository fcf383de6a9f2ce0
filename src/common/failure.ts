/**
 * Failures that cross workflow, activity and client boundaries, as in @temporalio/common:
 * the class names, constructor signatures and fields are the official SDK's, so code that
 * throws or catches them moves over with an import change.
 *
 * `instanceof` checks a `Symbol.for('__temporal_is<Name>')` marker (see type-helpers.ts), so
 * it holds across realms and copies of this module, and for @temporalio/common's own classes.
 *
 * `RetryState`, `TimeoutType` and `ApplicationFailureCategory` are string unions (as in the
 * official SDK ≥ 1.11), with encode/decode helpers to and from the protobuf enum numbers.
 */
import type { Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import type { Duration } from "./time.js";
import { errorMessage, isRecord, markErrorClass } from "./type-helpers.js";

export const FAILURE_SOURCE = "TypeScriptSDK";
export type ProtoFailure = Failure;

export const TimeoutType = {
  START_TO_CLOSE: "START_TO_CLOSE",
  SCHEDULE_TO_START: "SCHEDULE_TO_START",
  SCHEDULE_TO_CLOSE: "SCHEDULE_TO_CLOSE",
  HEARTBEAT: "HEARTBEAT",
} as const;
export type TimeoutType = (typeof TimeoutType)[keyof typeof TimeoutType];

export const RetryState = {
  IN_PROGRESS: "IN_PROGRESS",
  NON_RETRYABLE_FAILURE: "NON_RETRYABLE_FAILURE",
  TIMEOUT: "TIMEOUT",
  MAXIMUM_ATTEMPTS_REACHED: "MAXIMUM_ATTEMPTS_REACHED",
  RETRY_POLICY_NOT_SET: "RETRY_POLICY_NOT_SET",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
  CANCEL_REQUESTED: "CANCEL_REQUESTED",
} as const;
export type RetryState = (typeof RetryState)[keyof typeof RetryState];

/** Severity of an application failure (BENIGN: expected, logged at DEBUG, no failure metrics). */
export const ApplicationFailureCategory = {
  BENIGN: "BENIGN",
} as const;
export type ApplicationFailureCategory = (typeof ApplicationFailureCategory)[keyof typeof ApplicationFailureCategory];

// Protobuf enum numbers (temporal.api.enums.v1). Literals, so that this module does not pull
// the generated enum files into what workflow code can reach.
const TIMEOUT_TYPE_NUMBERS: Record<TimeoutType, number> = { START_TO_CLOSE: 1, SCHEDULE_TO_START: 2, SCHEDULE_TO_CLOSE: 3, HEARTBEAT: 4 };
const RETRY_STATE_NUMBERS: Record<RetryState, number> = {
  IN_PROGRESS: 1,
  NON_RETRYABLE_FAILURE: 2,
  TIMEOUT: 3,
  MAXIMUM_ATTEMPTS_REACHED: 4,
  RETRY_POLICY_NOT_SET: 5,
  INTERNAL_SERVER_ERROR: 6,
  CANCEL_REQUESTED: 7,
};
const CATEGORY_NUMBERS: Record<ApplicationFailureCategory, number> = { BENIGN: 1 };

function enumCodec<T extends string>(numbers: Record<T, number>, what: string) {
  const names = new Map<number, T>(Object.entries(numbers).map(([k, v]) => [v as number, k as T]));
  const encode = (value: T | undefined | null): number => {
    if (value === undefined || value === null) return 0;
    const n = numbers[value];
    if (n === undefined) throw new TypeError(`Invalid ${what}: '${String(value)}' (expected one of ${Object.keys(numbers).join(", ")})`);
    return n;
  };
  const decode = (n: number | undefined | null): T | undefined => (n === undefined || n === null || n === 0 ? undefined : names.get(n));
  return [encode, decode] as const;
}

/** TimeoutType ⇄ temporal.api.enums.v1.TimeoutType number (0 = unspecified = undefined). */
export const [encodeTimeoutType, decodeTimeoutType] = enumCodec(TIMEOUT_TYPE_NUMBERS, "TimeoutType");
/** RetryState ⇄ temporal.api.enums.v1.RetryState number (0 = unspecified = undefined). */
export const [encodeRetryState, decodeRetryState] = enumCodec(RETRY_STATE_NUMBERS, "RetryState");
/** ApplicationFailureCategory ⇄ temporal.api.enums.v1.ApplicationErrorCategory number. */
export const [encodeApplicationFailureCategory, decodeApplicationFailureCategory] = enumCodec(CATEGORY_NUMBERS, "ApplicationFailureCategory");

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
 * `error` itself when it is an ApplicationFailure; otherwise an ApplicationFailure with its
 * message, its type (see errorType) and its stack.
 */
export function ensureApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const message = (isRecord(error) && typeof error.message === "string" && error.message) || nonErrorMessage(error);
  const failure = ApplicationFailure.create({ message, type: errorType(error), nonRetryable: false });
  failure.stack = (isRecord(error) && typeof error.stack === "string" && error.stack) || "";
  return failure;
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

/**
 * The failure type recorded for a non-Temporal error: its `name`, or its class name when the
 * name is the generic 'Error' (`class MyError extends Error {}` → 'MyError').
 */
export function errorType(error: unknown): string | undefined {
  if (!isRecord(error)) return undefined;
  const name = typeof error.name === "string" ? error.name : undefined;
  if (name && name !== "Error") return name;
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof ctor === "string" && ctor !== "" && ctor !== "Object" ? ctor : name;
}

function nonErrorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  try {
    return typeof error === "object" && error !== null ? JSON.stringify(error) : String(error);
  } catch {
    return String(error);
  }
}
