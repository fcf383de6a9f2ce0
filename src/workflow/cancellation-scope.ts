/**
 * Cancellation scopes, as in @temporalio/workflow: a tree rooted at the run's root scope.
 * Cancelling a cancellable scope cancels its cancellable children and the timers,
 * activities and conditions started in it; a non-cancellable scope shields what runs in it
 * from its parent's cancellation (it can still be cancelled directly with `cancel()`).
 *
 * The current scope follows async code through an AsyncLocalStorage the runtime puts on the
 * sandbox's global object (the bundle may not import node:async_hooks itself).
 */
import { CancelledFailure, msToNumber } from "../common/index.js";
import type { Duration } from "./interfaces.js";
import { getActivator } from "./activator.js";
import { IllegalStateError } from "./errors.js";

interface Storage<T> {
  run<R>(store: T, fn: () => R): R;
  getStore(): T | undefined;
}

/** Outside the sandbox (plain imports, type checks) scopes only track synchronous code. */
class SyncStorage<T> implements Storage<T> {
  private store: T | undefined;
  run<R>(store: T, fn: () => R): R {
    const previous = this.store;
    this.store = store;
    try {
      return fn();
    } finally {
      this.store = previous;
    }
  }
  getStore(): T | undefined {
    return this.store;
  }
}

const StorageClass = (globalThis as { AsyncLocalStorage?: new <T>() => Storage<T> }).AsyncLocalStorage ?? SyncStorage;
const storage: Storage<CancellationScope> = new StorageClass<CancellationScope>();

const NO_PARENT = Symbol("NO_PARENT");

export interface CancellationScopeOptions {
  /** Cancel the scope automatically after this long (a durable timer). */
  timeout?: Duration;
  /** False: the scope ignores its parent's cancellation (default true). */
  cancellable?: boolean;
  /** Defaults to `CancellationScope.current()`. */
  parent?: CancellationScope | typeof NO_PARENT;
}

/** Set by workflow.ts so this module does not import it (it imports us). */
let sleepImpl: ((ms: Duration) => Promise<void>) | undefined;
export function registerSleep(fn: (ms: Duration) => Promise<void>): void {
  sleepImpl = fn;
}

export class CancellationScope {
  readonly timeout: number | undefined;
  readonly cancellable: boolean;
  readonly parent: CancellationScope | undefined;
  /** Rejects with a CancelledFailure once this scope receives a cancellation request. */
  readonly cancelRequested: Promise<never>;
  #cancelRequested = false;
  #reject!: (err: unknown) => void;

  constructor(options?: CancellationScopeOptions) {
    this.timeout = options?.timeout === undefined ? undefined : msToNumber(options.timeout);
    this.cancellable = options?.cancellable ?? true;
    this.cancelRequested = new Promise<never>((_, reject) => {
      this.#reject = (err) => {
        this.#cancelRequested = true;
        reject(err);
      };
    });
    this.cancelRequested.catch(() => undefined); // observed by whoever cares; never "unhandled"
    if (options?.parent !== NO_PARENT) {
      const parent = options?.parent ?? CancellationScope.current();
      this.parent = parent;
      if (parent.cancellable) {
        // A cancellable parent passes its cancellation down (also one it already had).
        this.#cancelRequested = parent.#cancelRequested;
        parent.cancelRequested.catch((err) => this.#reject(err));
      }
      // A non-cancellable parent shields its children completely.
    }
  }

  /** True when the scope is cancellable and was asked to cancel. */
  get consideredCancelled(): boolean {
    return this.#cancelRequested && this.cancellable;
  }

  /** Run `fn` with this scope as the current one. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return storage.run(this, () => this.runInScope(fn));
  }

  /**
   * The timeout works as in the official SDK (with its flag NonCancellableScopesAreShieldedFromPropagation,
   * which every task of ours records): its timer runs in a child scope of its own, and when `fn`
   * settles first that scope is cancelled, which cancels the timer (a CancelTimer command). A
   * timeout of 0 sets no timer. The promise structure is the official one on purpose: the
   * commands of racing branches come out in the same order on both SDKs only if each step takes
   * the same number of microtask ticks.
   */
  private async runInScope<T>(fn: () => Promise<T>): Promise<T> {
    let timerScope: CancellationScope | undefined;
    if (this.timeout) {
      const sleep = sleepImpl;
      if (!sleep) throw new IllegalStateError("Workflow module not initialised");
      const timeout = this.timeout;
      timerScope = new CancellationScope(); // a child of this scope: run() made it the current one
      timerScope
        .run(() => sleep(timeout))
        .then(
          () => this.cancel(),
          () => undefined, // the timer was cancelled (fn settled first, or this scope was cancelled)
        );
    }
    try {
      return await fn();
    } finally {
      if (timerScope && !timerScope.consideredCancelled) timerScope.cancel();
    }
  }

  /** Request cancellation of this scope and its cancellable children. */
  cancel(): void {
    this.cancelWith(new CancelledFailure("Cancellation scope cancelled"));
  }

  protected cancelWith(err: unknown): void {
    this.#reject(err);
  }

  /** The scope of the code that is running now (the run's root scope at the top). */
  static current(): CancellationScope {
    return storage.getStore() ?? getActivator().rootScope;
  }

  static cancellable<T>(fn: () => Promise<T>): Promise<T> {
    return new this({ cancellable: true }).run(fn);
  }

  static nonCancellable<T>(fn: () => Promise<T>): Promise<T> {
    return new this({ cancellable: false }).run(fn);
  }

  static withTimeout<T>(timeout: Duration, fn: () => Promise<T>): Promise<T> {
    return new this({ cancellable: true, timeout }).run(fn);
  }

  /** @internal */
  static rootOptions(): CancellationScopeOptions {
    return { cancellable: true, parent: NO_PARENT };
  }
}

export class RootCancellationScope extends CancellationScope {
  constructor() {
    super(CancellationScope.rootOptions());
  }

  override cancel(): void {
    this.cancelWith(new CancelledFailure("Workflow cancelled"));
  }
}
