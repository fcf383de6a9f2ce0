/**
 * Failure converter: protobuf `temporal.api.failure.v1.Failure` ⇄ the error classes of
 * failure.ts, with cause chains, stack traces (`stack_trace` ⇄ `error.stack`) and details
 * (through the payload converter). Semantics, and so what reaches history, follow
 * @temporalio/common's DefaultFailureConverter:
 * - An Error that is not a TemporalFailure becomes a Failure with its message, stack and cause
 *   and no failure info (as official). Callers that need an application failure (the activity
 *   worker, query answers) run `ensureApplicationFailure` first, as the official SDK does.
 * - A thrown non-Error value becomes a Failure whose message is the value (JSON for objects)
 *   plus the official hint, no failure info.
 * - A cause is converted when it is truthy (the official `err ? … : undefined`).
 * - Falsy `lastHeartbeatDetails` (0, false, '') are dropped on the way in, as official.
 * One deliberate difference, invisible in history: `nextRetryDelay` is read back from a
 * Failure into `ApplicationFailure.nextRetryDelay` (the official converter leaves it unset).
 */
import { clone, create } from "@bufbuild/protobuf";
import { FailureSchema, type Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  decodeApplicationFailureCategory,
  decodeRetryState,
  decodeTimeoutType,
  encodeApplicationFailureCategory,
  encodeRetryState,
  encodeTimeoutType,
  FAILURE_SOURCE,
  isErrorLike,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from "./failure.js";
import { argumentsToPayloads as detailsToPayloads, arrayFromPayloads, fromPayloadsAtIndex, type PayloadConverter } from "./payload-converter.js";
import { msOptionalToTs, optionalTsToMs } from "./time.js";
import { isRecord } from "./type-helpers.js";

export interface FailureConverter {
  /** A caught error (any value) → Failure proto. */
  errorToFailure(err: unknown, payloadConverter: PayloadConverter): Failure;
  /** Failure proto → Error (a TemporalFailure subclass for the default converter). */
  failureToError(failure: Failure, payloadConverter: PayloadConverter): Error;
}

/** What `encodeCommonAttributes` puts in `Failure.encoded_attributes` (same keys as every Temporal SDK). */
export interface DefaultEncodedFailureAttributes {
  message: string;
  stack_trace: string;
}

export interface DefaultFailureConverterOptions {
  /**
   * Move each failure's message and stack trace into `encoded_attributes` (a payload made by
   * the payload converter), leaving "Encoded failure" as the message, so a payload codec can
   * encrypt them. Default false.
   */
  encodeCommonAttributes: boolean;
}

const ENCODED_FAILURE_MESSAGE = "Encoded failure";
const NON_ERROR_NOTE = " [A non-Error value was thrown from your code. We recommend throwing Error objects so that we can provide a stack trace]";

export class DefaultFailureConverter implements FailureConverter {
  readonly options: DefaultFailureConverterOptions;

  constructor(options?: Partial<DefaultFailureConverterOptions>) {
    this.options = { encodeCommonAttributes: options?.encodeCommonAttributes ?? false };
  }

  failureToError(failure: Failure, payloadConverter: PayloadConverter): Error {
    if (failure.encodedAttributes) {
      const attrs = payloadConverter.fromPayload<unknown>(failure.encodedAttributes);
      // Only apply attributes of the expected shape; copy so the caller's message is untouched.
      if (isRecord(attrs)) {
        failure = clone(FailureSchema, failure);
        if (typeof attrs.message === "string") failure.message = attrs.message;
        if (typeof attrs.stack_trace === "string") failure.stackTrace = attrs.stack_trace;
      }
    }
    const err = this.failureToErrorInner(failure, payloadConverter);
    err.stack = failure.stackTrace;
    if (err instanceof TemporalFailure) err.failure = failure;
    return err;
  }

  /** The error for one Failure (its cause converted recursively); common fields are set by failureToError. */
  failureToErrorInner(failure: Failure, pc: PayloadConverter): Error {
    const cause = failure.cause ? this.failureToError(failure.cause, pc) : undefined;
    const message = failure.message;
    const info = failure.failureInfo;
    switch (info.case) {
      case "applicationFailureInfo": {
        const v = info.value;
        return new ApplicationFailure(
          message,
          v.type,
          v.nonRetryable,
          arrayFromPayloads(pc, v.details?.payloads, "application failure details"),
          cause,
          optionalTsToMs(v.nextRetryDelay),
          decodeApplicationFailureCategory(v.category),
        );
      }
      case "serverFailureInfo":
        return new ServerFailure(message, info.value.nonRetryable, cause);
      case "timeoutFailureInfo":
        return new TimeoutFailure(
          message,
          fromPayloadsAtIndex(pc, 0, info.value.lastHeartbeatDetails?.payloads, "last heartbeat details"),
          decodeTimeoutType(info.value.timeoutType),
        );
      case "terminatedFailureInfo":
        return new TerminatedFailure(message, cause);
      case "canceledFailureInfo":
        return new CancelledFailure(message, arrayFromPayloads(pc, info.value.details?.payloads, "cancellation details"), cause);
      case "resetWorkflowFailureInfo":
        return new ApplicationFailure(message, "ResetWorkflow", false, arrayFromPayloads(pc, info.value.lastHeartbeatDetails?.payloads, "last heartbeat details"), cause);
      case "childWorkflowExecutionFailureInfo": {
        const v = info.value;
        return new ChildWorkflowFailure(
          v.namespace || undefined,
          { workflowId: v.workflowExecution?.workflowId ?? "", runId: v.workflowExecution?.runId ?? "" },
          v.workflowType?.name ?? "",
          decodeRetryState(v.retryState),
          cause,
        );
      }
      case "activityFailureInfo": {
        const v = info.value;
        return new ActivityFailure(message, v.activityType?.name ?? "", v.activityId || undefined, decodeRetryState(v.retryState), v.identity || undefined, cause);
      }
      default:
        return new TemporalFailure(message, cause);
    }
  }

  errorToFailure(err: unknown, payloadConverter: PayloadConverter): Failure {
    const failure = this.errorToFailureInner(err, payloadConverter);
    if (this.options.encodeCommonAttributes) {
      for (let f: Failure | undefined = failure; f; f = f.cause) {
        if (f.encodedAttributes && f.message === ENCODED_FAILURE_MESSAGE && f.stackTrace === "") continue;
        const attrs: DefaultEncodedFailureAttributes = { message: f.message, stack_trace: f.stackTrace };
        f.encodedAttributes = payloadConverter.toPayload(attrs);
        f.message = ENCODED_FAILURE_MESSAGE;
        f.stackTrace = "";
      }
    }
    return failure;
  }

  /** Failure for `err` and its causes, without encodeCommonAttributes applied. Always a fresh message. */
  errorToFailureInner(err: unknown, pc: PayloadConverter): Failure {
    if (err instanceof TemporalFailure) {
      // A failure that came from the other side travels on unchanged (a re-thrown ActivityFailure, say).
      if (err.failure) return clone(FailureSchema, err.failure);
      const base = {
        message: err.message,
        stackTrace: err.stack ?? "",
        source: FAILURE_SOURCE,
        cause: err.cause ? this.errorToFailureInner(err.cause, pc) : undefined,
      };
      if (err instanceof ActivityFailure) {
        return create(FailureSchema, {
          ...base,
          failureInfo: {
            case: "activityFailureInfo",
            value: { activityType: { name: err.activityType }, activityId: err.activityId ?? "", retryState: encodeRetryState(err.retryState) ?? 0, identity: err.identity ?? "" },
          },
        });
      }
      if (err instanceof ChildWorkflowFailure) {
        return create(FailureSchema, {
          ...base,
          failureInfo: {
            case: "childWorkflowExecutionFailureInfo",
            value: {
              namespace: err.namespace ?? "",
              workflowExecution: { workflowId: err.execution.workflowId, runId: err.execution.runId ?? "" },
              workflowType: { name: err.workflowType },
              retryState: encodeRetryState(err.retryState) ?? 0,
            },
          },
        });
      }
      if (err instanceof ApplicationFailure) {
        return create(FailureSchema, {
          ...base,
          failureInfo: {
            case: "applicationFailureInfo",
            value: {
              type: err.type ?? "",
              nonRetryable: err.nonRetryable ?? false,
              details: err.details && err.details.length > 0 ? { payloads: detailsToPayloads(pc, err.details, "application failure details") } : undefined,
              nextRetryDelay: msOptionalToTs(err.nextRetryDelay),
              category: encodeApplicationFailureCategory(err.category) ?? 0,
            },
          },
        });
      }
      if (err instanceof CancelledFailure) {
        return create(FailureSchema, {
          ...base,
          failureInfo: {
            case: "canceledFailureInfo",
            value: { details: err.details && err.details.length > 0 ? { payloads: detailsToPayloads(pc, err.details, "cancellation details") } : undefined },
          },
        });
      }
      if (err instanceof TimeoutFailure) {
        return create(FailureSchema, {
          ...base,
          failureInfo: {
            case: "timeoutFailureInfo",
            value: {
              timeoutType: encodeTimeoutType(err.timeoutType) ?? 0,
              // Falsy details are dropped, as official (0/false/'' reach history as no details).
              lastHeartbeatDetails: !err.lastHeartbeatDetails ? undefined : { payloads: detailsToPayloads(pc, [err.lastHeartbeatDetails], "last heartbeat details") },
            },
          },
        });
      }
      if (err instanceof ServerFailure) {
        return create(FailureSchema, { ...base, failureInfo: { case: "serverFailureInfo", value: { nonRetryable: err.nonRetryable } } });
      }
      if (err instanceof TerminatedFailure) {
        return create(FailureSchema, { ...base, failureInfo: { case: "terminatedFailureInfo", value: {} } });
      }
      return create(FailureSchema, base);
    }

    if (isErrorLike(err)) {
      const cause = (err as { cause?: unknown }).cause;
      return create(FailureSchema, {
        message: String(err.message ?? ""),
        stackTrace: typeof err.stack === "string" ? err.stack : "",
        source: FAILURE_SOURCE,
        cause: cause ? this.errorToFailureInner(cause, pc) : undefined,
      });
    }

    let message: string;
    if (typeof err === "string") message = err;
    else if (typeof err === "object" && err !== null) {
      try {
        message = JSON.stringify(err);
      } catch {
        message = String(err);
      }
    } else message = String(err);
    return create(FailureSchema, { message: message + NON_ERROR_NOTE, source: FAILURE_SOURCE });
  }
}
