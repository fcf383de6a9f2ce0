/**
 * The workflow interceptors of `workflowInterceptorModules` (as @temporalio/testing): an
 * assertion error thrown by a workflow or a signal handler fails the workflow with a
 * non-retryable ApplicationFailure carrying its message and stack, instead of failing the
 * workflow task (which would retry it forever). Workflow bundles here cannot import `assert`
 * (a Node built-in), so an error counts as an assertion error by its name `AssertionError` or
 * Node's code `ERR_ASSERTION`, not by `instanceof assert.AssertionError`.
 */
import { ApplicationFailure, type WorkflowInterceptors } from "../workflow/index.js";

function isAssertionError(err: unknown): err is Error {
  return err instanceof Error && (err.name === "AssertionError" || (err as { code?: unknown }).code === "ERR_ASSERTION");
}

function toFailure(err: unknown): unknown {
  if (!isAssertionError(err)) return err;
  const failure = ApplicationFailure.nonRetryable(err.message);
  failure.stack = err.stack;
  return failure;
}

export function interceptors(): WorkflowInterceptors {
  return {
    inbound: [
      {
        async execute(input, next) {
          try {
            return await next(input);
          } catch (err) {
            throw toFailure(err);
          }
        },
        async handleSignal(input, next) {
          try {
            return await next(input);
          } catch (err) {
            throw toFailure(err);
          }
        },
      },
    ],
  };
}
