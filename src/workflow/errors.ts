/**
 * Errors that belong to workflow code (not to data conversion). The failure classes that
 * travel over the wire (ApplicationFailure, CancelledFailure, ActivityFailure, …) live in
 * src/common and are re-exported from index.ts.
 *
 * These classes are defined inside the workflow bundle, so every run has its own copy; the
 * runtime never uses `instanceof` on them from outside the run, it asks the run instead.
 */
import { ActivityFailure, CancelledFailure, ChildWorkflowFailure } from "../common/index.js";

const brand = (name: string): symbol => Symbol.for(`temporal-bun-sdk.${name}`);
const DETERMINISM_BRAND: unique symbol = Symbol.for("temporal-bun-sdk.DeterminismViolationError") as never;
const CONTINUE_AS_NEW_BRAND: unique symbol = Symbol.for("temporal-bun-sdk.ContinueAsNew") as never;

/** Base class for errors raised by the workflow runtime itself. */
export class WorkflowError extends Error {
  override name = "WorkflowError";
}

/**
 * Workflow code did something that cannot be replayed identically (WeakRef, a patch used
 * inconsistently, a forbidden global). Fails the workflow *task*, never the workflow: core
 * retries the task, so fixing the code and redeploying lets the workflow continue.
 */
export class DeterminismViolationError extends WorkflowError {
  override name = "DeterminismViolationError";
  static override [Symbol.hasInstance](v: unknown): boolean {
    return hasBrand(v, "DeterminismViolationError");
  }
  readonly [DETERMINISM_BRAND] = true;
}

/** An API was used outside of a workflow, or at a moment it cannot be used (src/common's class, as official). */
export { IllegalStateError } from "../common/index.js";

/**
 * Thrown by `continueAsNew()`; the runtime turns it into a ContinueAsNewWorkflowExecution
 * command. Workflow code should let it propagate.
 */
export class ContinueAsNew extends Error {
  override name = "ContinueAsNew";
  static override [Symbol.hasInstance](v: unknown): boolean {
    return hasBrand(v, "ContinueAsNew");
  }
  readonly [CONTINUE_AS_NEW_BRAND] = true;
  constructor(public readonly command: Record<string, unknown>) {
    super("Workflow continued as new");
  }
}

/** Internal: a local activity asks for a backoff timer before its next attempt. */
export class LocalActivityDoBackoff extends Error {
  override name = "LocalActivityDoBackoff";
  constructor(public readonly attempt: number, public readonly backoffMs: number, public readonly originalScheduleTime: unknown) {
    super("Local activity backoff");
  }
}

function hasBrand(v: unknown, name: string): boolean {
  return typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[brand(name)] === true;
}

/**
 * True for a CancelledFailure, or an ActivityFailure / ChildWorkflowFailure whose cause is a
 * cancellation: what a cancelled scope makes its operations throw.
 */
export function isCancellation(err: unknown): boolean {
  return (
    err instanceof CancelledFailure ||
    ((err instanceof ActivityFailure || err instanceof ChildWorkflowFailure) && (err as Error).cause instanceof CancelledFailure)
  );
}
