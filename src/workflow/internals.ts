/**
 * The surface of a bundle instance that the runtime (src/worker/workflow) uses. Not part of
 * the public API. The bundle's entry re-exports this as `__internals`.
 */
import { createActivator, isPromiseLike, type Activator, type ActivatorOptions } from "./activator.js";
import { CancellationScope } from "./cancellation-scope.js";
import { DeterminismViolationError } from "./errors.js";
import { sleep } from "./workflow.js";
import type { WorkflowInterceptorsFactory } from "./interceptors.js";

export type { Activator, ActivatorOptions, Conclusion, CommandInit } from "./activator.js";

/** What the sandbox's global functions (Date, Math.random, setTimeout, …) call for a run. */
export interface RunGlobals {
  now(): number;
  random(): number;
  uuid4(): string;
  setTimeout(cb: (...args: unknown[]) => unknown, ms: number, args: unknown[]): number;
  clearTimeout(handle: number): void;
  log(level: "debug" | "info" | "warn" | "error", message: string): void;
  determinismError(message: string): Error;
}

export interface RunInstance {
  activator: Activator;
  globals: RunGlobals;
}

export function createRun(options: ActivatorOptions): RunInstance {
  const a = createActivator(options);
  // As official: each interceptor module's factory, in order, once per run, before the
  // workflow starts. A module without the export is skipped; a non-function fails the task.
  for (const mod of options.interceptorModules ?? []) {
    const factory = mod.interceptors;
    if (factory === undefined) continue;
    if (typeof factory !== "function") {
      throw new TypeError(`Failed to initialize workflows interceptors: expected a function, but got: '${String(factory)}'`);
    }
    const made = (factory as WorkflowInterceptorsFactory)() ?? {};
    a.interceptors.inbound.push(...(made.inbound ?? []));
    a.interceptors.outbound.push(...(made.outbound ?? []));
    a.interceptors.internals.push(...(made.internals ?? []));
  }
  const globals: RunGlobals = {
    now: () => a.now,
    random: () => a.currentRandom(),
    uuid4: () => a.uuid4(),
    setTimeout(cb, ms, args) {
      // The handle is the seq of the timer sleep() allocates next, as the official SDK returns.
      const handle = a.nextSeq.timer;
      const scope = new CancellationScope({ cancellable: true });
      a.timeouts.set(handle, scope);
      scope
        .run(() => sleep(ms))
        .then(
          () => {
            a.timeouts.delete(handle);
            // As official, the callback's outcome is nobody's: what it throws (or its promise
            // rejects with) is an unhandled rejection there, which fails the workflow task.
            try {
              const result = cb(...args);
              if (isPromiseLike(result)) result.then(undefined, (err: unknown) => a.failTask(err));
            } catch (err) {
              a.failTask(err);
            }
          },
          () => {
            a.timeouts.delete(handle);
          },
        );
      return handle;
    },
    clearTimeout(handle) {
      const scope = a.timeouts.get(handle);
      if (scope) {
        a.timeouts.delete(handle);
        scope.cancel();
        return;
      }
      // A handle with no pending timeout (it fired, was cleared, or is no handle): the official
      // SDK's legacy path still skips a timer seq and sends CancelTimer for the handle (core
      // ignores it for a timer that is done). The seq skipped shifts the ids of later timers,
      // so ours must do the same for histories to replay across SDKs.
      // (The seq as the official protobuf encoder writes a uint32: anything else becomes 0.)
      a.nextSeq.timer++;
      a.completions.timer.delete(handle);
      a.pushCommand({ variant: { case: "cancelTimer", value: { seq: Number(handle) >>> 0 } } });
    },
    log: (level, message) => a.log(level, message),
    determinismError: (message) => new DeterminismViolationError(message),
  };
  return { activator: a, globals };
}
