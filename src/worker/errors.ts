/** Errors the worker throws (names follow @temporalio/worker where it has one). */

/** An option passed to `Worker.create` is missing or invalid; `option` names it. */
export class WorkerOptionsError extends TypeError {
  override readonly name = "WorkerOptionsError";
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid worker option '${option}': ${message}`);
  }
}

/** The server refused the worker (e.g. its namespace does not exist). */
export class WorkerValidationError extends Error {
  override readonly name: string = "WorkerValidationError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// `Worker.create` with a namespace the server does not know throws src/common's
// NamespaceNotFoundError; a call in the wrong state throws its IllegalStateError (one class
// each for the whole SDK, as @temporalio/common's).
export { IllegalStateError, NamespaceNotFoundError } from "../common/index.js";

/** `shutdownForceTime` elapsed before the worker finished draining. */
export class GracefulShutdownPeriodExpiredError extends Error {
  override readonly name = "GracefulShutdownPeriodExpiredError";
}

/** Something the worker cannot recover from (a completion core refused, a poll error). */
export class UnexpectedError extends Error {
  override readonly name = "UnexpectedError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
