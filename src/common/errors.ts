/**
 * Errors raised by data conversion itself (not failures that travel over the wire: those
 * are in failure.ts). Names follow @temporalio/common.
 */
import { markErrorClass } from "./type-helpers.js";

/** A value is not acceptable: a payload that cannot be made or read, a bad duration, … */
export class ValueError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? undefined, options);
  }
}
markErrorClass(ValueError, "ValueError");

/** A payload converter could not convert a value to a payload, or a payload to a value. */
export class PayloadConverterError extends ValueError {}
markErrorClass(PayloadConverterError, "PayloadConverterError");

/**
 * An operation is not allowed in the current state of its object (a closed connection, a
 * worker run twice, a workflow API called outside a workflow). One class for the whole SDK, as
 * @temporalio/common's, re-exported by /client, /worker and /workflow.
 */
export class IllegalStateError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? undefined, options);
  }
}
markErrorClass(IllegalStateError, "IllegalStateError");

/** No such workflow execution (or run) in the namespace, as @temporalio/common's. */
export class WorkflowNotFoundError extends Error {
  constructor(
    message: string,
    public readonly workflowId: string,
    public readonly runId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
markErrorClass(WorkflowNotFoundError, "WorkflowNotFoundError");

/** The server does not know the namespace; the message is the official one. */
export class NamespaceNotFoundError extends Error {
  constructor(
    public readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(`Namespace not found: '${namespace}'`, options);
  }
}
markErrorClass(NamespaceNotFoundError, "NamespaceNotFoundError");

/**
 * Thrown (or returned by rejecting) from an activity to say it will be completed later by
 * `client.activity.complete(taskToken, result)`; the worker reports "will complete async".
 */
export class CompleteAsyncError extends Error {
  constructor(message = "The activity will be completed asynchronously") {
    super(message);
  }
}
markErrorClass(CompleteAsyncError, "CompleteAsyncError");
