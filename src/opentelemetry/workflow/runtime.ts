/**
 * What OpenTelemetry's browser build needs from the global scope, made deterministic for
 * workflow code (the official package patches its isolate the same way).
 *
 * `@opentelemetry/core` reads `performance` as a free identifier when it loads. In our sandbox
 * a free identifier resolves on the sandbox context's global, not on the per-run `globalThis`
 * the bundle is given (src/worker/workflow/sandbox.ts), and that global has no `performance`.
 * The one defined here has time origin 0 and reads `Date.now()`, which is the workflow time of
 * whichever run is executing: span start and end times are workflow time, the same on every
 * replay, and the one object serves every run of the sandbox. Outside a sandbox (Bun, Node)
 * `performance` exists and nothing is changed.
 */
if (typeof performance === "undefined") {
  // The realm's own global object: where free identifiers are looked up.
  const realmGlobal = Function("return this")() as Record<string, unknown>;
  Object.defineProperty(realmGlobal, "performance", {
    value: Object.freeze({ timeOrigin: 0, now: () => Date.now() }),
    writable: false,
    configurable: true,
  });
}

export {};
