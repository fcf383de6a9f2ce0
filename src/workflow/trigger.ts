/**
 * `Trigger`, as @temporalio/workflow's: a promise (PromiseLike) resolved or rejected from
 * outside, e.g. by a signal handler. Created in a cancellable scope, it rejects with the
 * scope's CancelledFailure when that scope is cancelled. Same promise structure as the
 * official class (one promise, `then` delegating to it), so awaiting it takes the same
 * microtask ticks on both SDKs and racing branches order their commands alike.
 */
import { CancellationScope } from "./cancellation-scope.js";

export class Trigger<T> implements PromiseLike<T> {
  readonly resolve!: (value: T | PromiseLike<T>) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly reject!: (reason?: any) => void;
  protected readonly promise: Promise<T>;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      const scope = CancellationScope.current();
      if (scope.cancellable) void scope.cancelRequested.catch(reject);
      // The executor runs synchronously: both are set before the constructor returns.
      (this as { resolve: typeof resolve }).resolve = resolve;
      (this as { reject: typeof reject }).reject = reject;
    });
    // A trigger nobody awaits must not become an unhandled rejection.
    void this.promise.catch(() => undefined);
  }

  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | null,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | null,
  ): PromiseLike<TResult1 | TResult2> {
    return this.promise.then(onfulfilled, onrejected);
  }
}
