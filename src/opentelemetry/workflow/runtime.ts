/**
 * What OpenTelemetry's browser build needs from the global scope, made deterministic for
 * workflow code (the official package patches its isolate the same way).
 *
 * `@opentelemetry/core` reads `performance` as a free identifier. In our sandbox a free
 * identifier resolves on the sandbox context's global (the prototype of the per-run
 * `globalThis` the bundle gets, src/worker/workflow/sandbox.ts), which has no `performance`.
 * The one defined here has time origin 0 and reads `Date.now()`, which is the workflow time of
 * whichever run is executing: span start and end times are workflow time, the same on every
 * replay, and the same object serves every run of the sandbox.
 */
import { inWorkflowContext } from "../../workflow/index.js";

if (inWorkflowContext()) {
  const contextGlobal = (Object.getPrototypeOf(globalThis) ?? globalThis) as Record<string, unknown>;
  if (contextGlobal.performance === undefined) {
    Object.defineProperty(contextGlobal, "performance", {
      value: Object.freeze({ timeOrigin: 0, now: () => Date.now() }),
      writable: false,
      configurable: true,
    });
  }
}
