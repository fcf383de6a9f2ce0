/**
 * Small helpers shared by the error classes and converters. Pure: this module is part of
 * what workflow code can reach (see index.ts).
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** `err.message` when `err` looks like an error, `String(err)` otherwise. */
export function errorMessage(err: unknown): string | undefined {
  if (typeof err === "string") return err;
  if (isRecord(err) && typeof err.message === "string") return err.message;
  return err === undefined ? undefined : String(err);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Gives an error class a prototype `name` and an `instanceof` that checks a
 * `Symbol.for('__temporal_is<Name>')` marker instead of the prototype chain, as
 * @temporalio/common does. Why: the same class can exist twice (a workflow bundle's copy and
 * the host's, or @temporalio/common's own classes), and `instanceof` must still answer yes.
 * A user subclass keeps the ordinary prototype-chain check for itself.
 */
export function markErrorClass(cls: ErrorClass, name: string): void {
  const marker = Symbol.for(`__temporal_is${name}`);
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(cls.prototype, marker, { value: true, enumerable: false });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, instance: unknown): boolean {
      if (this === cls) return isRecord(instance) && (instance as Record<symbol, unknown>)[marker] === true;
      return Function.prototype[Symbol.hasInstance].call(this, instance);
    },
  });
}
