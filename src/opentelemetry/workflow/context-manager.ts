/**
 * The OpenTelemetry context manager of workflow code: the active context follows awaits
 * through the AsyncLocalStorage the sandbox provides on globalThis (the one cancellation
 * scopes use), as the official package's workflow context manager does.
 */
import * as otel from "@opentelemetry/api";

interface Storage<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: (...args: unknown[]) => R, ...args: unknown[]): R;
  disable(): void;
}

export class ContextManager implements otel.ContextManager {
  protected storage: Storage<otel.Context>;

  constructor() {
    const Als = (globalThis as { AsyncLocalStorage?: new () => Storage<otel.Context> }).AsyncLocalStorage;
    if (Als === undefined) throw new Error("The OpenTelemetry workflow context manager runs only in workflow code (no AsyncLocalStorage on globalThis)");
    this.storage = new Als();
  }

  active(): otel.Context {
    return this.storage.getStore() ?? otel.ROOT_CONTEXT;
  }

  bind<T>(context: otel.Context, target: T): T {
    if (typeof target !== "function") throw new TypeError(`Only function binding is supported, got ${typeof target}`);
    const fn = target as unknown as (...args: unknown[]) => unknown;
    const bound = (...args: unknown[]) => this.with(context, () => fn.apply(this, args));
    // Keep the arity visible to code that inspects it (as OpenTelemetry's own context managers do).
    Object.defineProperty(bound, "length", { enumerable: false, configurable: true, writable: false, value: fn.length });
    return bound as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: otel.Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const cb = thisArg == null ? fn : fn.bind(thisArg);
    return this.storage.run(context, cb as (...a: unknown[]) => ReturnType<F>, ...args);
  }
}
