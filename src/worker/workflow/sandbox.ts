/**
 * The sandbox: one node:vm context per runtime, in which the workflow bundle is evaluated
 * once into a factory. Each run calls the factory, so each run has its own instance of every
 * module (its own module-level state); the context's global functions that must differ per
 * run (Date, Math.random, setTimeout, crypto, console) dispatch to the run whose activation
 * is executing. Activations never interleave (see runtime.ts), so "the current run" is
 * well defined whenever workflow code runs.
 *
 * Why one shared context rather than a context per run: measured in bench/workflow-runtime.ts
 * (figures in docs/workflow-runtime.md) — a fresh context plus evaluating the bundle costs
 * ~0.3–0.4 ms per run (p50), instantiating the bundle in the shared context plus the first
 * activation ~35–60 µs, and a cached run ~20–30 KB.
 *
 * vm is a determinism tool here, not a security boundary: host objects handed in (the
 * converters, the logger) expose the host realm.
 */
import vm from "node:vm";
import { AsyncLocalStorage } from "node:async_hooks";
import { drainMicrotasks } from "bun:jsc";
import type { RunGlobals } from "../../workflow/internals.js";
import { fillWithRandom } from "../../workflow/random.js";

/** Module id under which the bundle `require`s the host's src/common (see bundler.ts). */
export const COMMON_MODULE_ID = "__temporal_bun_sdk_common__";

/** The module factory: instantiates every module of the bundle afresh. */
export type BundleFactory = (
  module: { exports: Record<string, unknown> },
  exports: Record<string, unknown>,
  require: (id: string) => unknown,
  globalThisForRun: object,
  self: object,
  global: object,
) => void;

export class WorkflowDeadlockError extends Error {
  override name = "WorkflowDeadlockError";
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Bun ends the process on an unhandled rejection. A floating rejected promise in workflow
 * code must not take the worker down: one process-wide listener hands rejections of sandbox
 * promises to their sandbox, and rethrows others so host code keeps Bun's default behaviour.
 */
const liveSandboxes = new Set<Sandbox>();
function onUnhandledRejection(reason: unknown, promise: Promise<unknown>): void {
  for (const sandbox of liveSandboxes) {
    if (sandbox.ownsPromise(promise)) {
      sandbox.reportUnhandledRejection(reason);
      return;
    }
  }
  if (process.listenerCount("unhandledRejection") === 1) throw reason;
}

/**
 * Idle sandboxes of disposed runtimes, by bundle code, most recently released last: a runtime
 * created later for the same bundle takes one instead of making a new context. A new context
 * costs its creation, compiling the bundle, and running every function of it cold (JSC's JIT
 * code belongs to the context) — ~1–20 ms plus slower first runs, paid again by every
 * `Worker.runReplayHistory` call, each of which makes a runtime. Between two runtimes a
 * sandbox keeps exactly what it keeps between two runs of one runtime (its global object and
 * compiled code; each run instantiates the bundle afresh), so isolation between runs is unchanged.
 */
const idle = new Map<string, Sandbox>();
const MAX_IDLE = 4;

export class Sandbox {
  /** A sandbox for `code`: an idle one released by a disposed runtime, else a new one. */
  static acquire(code: string, commonModule: unknown, unhandledRejection: (reason: unknown) => void): Sandbox {
    const reused = idle.get(code);
    if (reused !== undefined && reused.commonModule === commonModule) {
      idle.delete(code);
      reused.unhandledRejection = unhandledRejection;
      return reused;
    }
    return new Sandbox(code, commonModule, unhandledRejection);
  }

  /** Give a closed sandbox back for a later runtime of the same bundle (see `idle`). */
  static release(sandbox: Sandbox): void {
    if (liveSandboxes.has(sandbox) || sandbox.current !== undefined) return;
    sandbox.unhandledRejection = () => undefined;
    idle.delete(sandbox.code);
    idle.set(sandbox.code, sandbox);
    // Bounded: the oldest idle sandboxes (other bundles) are dropped for the GC.
    for (const key of idle.keys()) {
      if (idle.size <= MAX_IDLE) break;
      idle.delete(key);
    }
  }

  readonly context: vm.Context;
  readonly global: Record<string, unknown>;
  private readonly factory: BundleFactory;
  private readonly entry = new vm.Script("globalThis.__temporal_bun_sdk_entry__()", { filename: "temporal-bun-sdk:activation" });
  private readonly promiseCtor: PromiseConstructor;
  /** The run whose code may execute now; undefined between activations. */
  current: RunGlobals | undefined;

  constructor(
    private readonly code: string,
    private readonly commonModule: unknown,
    private unhandledRejection: (reason: unknown) => void,
  ) {
    this.context = vm.createContext({});
    this.global = vm.runInContext("globalThis", this.context) as Record<string, unknown>;
    this.promiseCtor = this.global.Promise as PromiseConstructor;
    this.installGlobals();
    this.factory = vm.runInContext(
      `(function (module, exports, require, globalThis, self, global) {"use strict";\n${code}\n})`,
      this.context,
      { filename: "workflow-bundle.js" },
    ) as BundleFactory;
  }

  /** Start receiving this sandbox's unhandled rejections (see onUnhandledRejection). */
  open(): void {
    if (liveSandboxes.size === 0) process.on("unhandledRejection", onUnhandledRejection);
    liveSandboxes.add(this);
  }

  close(): void {
    liveSandboxes.delete(this);
    if (liveSandboxes.size === 0) process.off("unhandledRejection", onUnhandledRejection);
  }

  ownsPromise(promise: unknown): boolean {
    return promise instanceof this.promiseCtor;
  }

  reportUnhandledRejection(reason: unknown): void {
    this.unhandledRejection(reason);
  }

  /** Instantiate the bundle: a fresh copy of every module. Must run with `current` set. */
  instantiate(): Record<string, unknown> {
    const runGlobal = Object.create(this.global) as object;
    const module = { exports: {} as Record<string, unknown> };
    const require = (id: string) => {
      if (id === COMMON_MODULE_ID) return this.commonModule;
      throw new Error(`Module '${id}' is not available inside workflow code`);
    };
    this.factory(module, module.exports, require, runGlobal, runGlobal, runGlobal);
    return module.exports;
  }

  /**
   * Run `fn` (which drives workflow code) with a deadline. Bun honours vm's `timeout`: JSC's
   * watchdog interrupts the script, and everything it calls, including microtasks drained
   * inside it, so both `while (true) {}` and an endless chain of awaits are stopped.
   */
  runWithDeadline<T>(fn: () => T, timeoutMs: number): T {
    if (timeoutMs <= 0) return fn();
    let result: T | undefined;
    this.global.__temporal_bun_sdk_entry__ = () => {
      result = fn();
    };
    try {
      this.entry.runInContext(this.context, { timeout: timeoutMs, displayErrors: false });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
        throw new WorkflowDeadlockError(
          `Potential deadlock detected: the workflow activation did not finish within ${timeoutMs} ms. ` +
            "Workflow code must not block the thread (busy loops, endless chains of awaits, heavy computation); " +
            "move long work into an activity.",
        );
      }
      throw err;
    } finally {
      this.global.__temporal_bun_sdk_entry__ = undefined;
    }
    return result as T;
  }

  /**
   * After a deadline hit, other continuations of the stuck run may still be queued as
   * microtasks; drain them under short deadlines so they cannot spin outside any watchdog.
   */
  flushAfterDeadlock(): void {
    for (let i = 0; i < 64; i++) {
      try {
        this.runWithDeadline(() => drainMicrotasks(), 50);
        return;
      } catch {
        // one more stuck continuation interrupted; try again
      }
    }
  }

  private cur(): RunGlobals {
    const c = this.current;
    if (c === undefined) throw new Error("Workflow code ran outside of an activation (temporal-bun-sdk internal error)");
    return c;
  }

  private installGlobals(): void {
    const g = this.global;
    const cur = () => this.cur();
    const evalIn = <T>(src: string) => vm.runInContext(src, this.context) as T;

    // Date: workflow time for `new Date()` and `Date.now()`; everything else is the real Date.
    const CtxDate = g.Date as DateConstructor;
    function WorkflowDate(this: unknown, ...args: unknown[]): unknown {
      if (new.target === undefined) return new CtxDate(cur().now()).toString();
      return Reflect.construct(CtxDate, args.length === 0 ? [cur().now()] : args, new.target);
    }
    Object.defineProperties(WorkflowDate, {
      prototype: { value: CtxDate.prototype, writable: false },
      now: { value: () => cur().now(), writable: true, configurable: true },
      parse: { value: CtxDate.parse, writable: true, configurable: true },
      UTC: { value: CtxDate.UTC, writable: true, configurable: true },
      name: { value: "Date" },
    });
    Object.defineProperty(CtxDate.prototype, "constructor", { value: WorkflowDate, writable: true, configurable: true });
    g.Date = WorkflowDate;

    // Math.random: the run's PRNG, seeded by core (and re-seeded on UpdateRandomSeed).
    (g.Math as { random: () => number }).random = () => cur().random();

    // Timers are durable timers of the run.
    g.setTimeout = (cb: AnyFn, ms?: number, ...args: unknown[]) => {
      if (typeof cb !== "function") throw new TypeError("setTimeout in workflow code needs a function");
      return cur().setTimeout(cb, Number(ms ?? 0), args);
    };
    g.clearTimeout = (handle: number) => cur().clearTimeout(handle);
    const CtxPromise = g.Promise as PromiseConstructor;
    g.queueMicrotask = (fn: () => void) => void CtxPromise.resolve().then(fn);

    // crypto: not in the official SDK's workflow context (a bare V8 context); ours offers the
    // two deterministic members, drawing from the same stream as Math.random() (uuid4()'s
    // layout, one draw per byte like the official `fillRandom`).
    g.crypto = {
      randomUUID: () => cur().uuid4(),
      getRandomValues<T extends ArrayBufferView>(array: T): T {
        fillWithRandom(() => cur().random(), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
        return array;
      },
    };

    // Garbage collection is not deterministic: code that observes it cannot be replayed.
    const forbidden = (name: string, why: string) =>
      function Forbidden() {
        throw cur().determinismError(`${name} cannot be used in workflow code: ${why}`);
      };
    g.WeakRef = forbidden("WeakRef", "garbage collection is not deterministic");
    g.FinalizationRegistry = forbidden("FinalizationRegistry", "garbage collection is not deterministic");

    // TC39 Temporal (present in Bun's realm): `Temporal.Now` reads the real clock and zone.
    const T = g.Temporal as { Now?: unknown; Instant?: { fromEpochMilliseconds(ms: number): unknown } } | undefined;
    if (T && T.Instant) {
      const Instant = T.Instant;
      const nowForbidden = (fn: string) => () => {
        throw cur().determinismError(`Temporal.Now.${fn}() reads the machine's clock or time zone; use Date.now() / new Date()`);
      };
      Object.defineProperty(T, "Now", {
        value: {
          instant: () => Instant.fromEpochMilliseconds(cur().now()),
          timeZoneId: nowForbidden("timeZoneId"),
          plainDateISO: nowForbidden("plainDateISO"),
          plainDateTimeISO: nowForbidden("plainDateTimeISO"),
          plainTimeISO: nowForbidden("plainTimeISO"),
          zonedDateTimeISO: nowForbidden("zonedDateTimeISO"),
        },
        writable: false,
        configurable: false,
      });
    }
    // A fresh realm would bring a real Date along.
    delete g.ShadowRealm;

    // console: the workflow logger (replay-aware).
    const line = (args: unknown[]) => args.map((a) => (typeof a === "string" ? a : safeInspect(a))).join(" ");
    g.console = {
      log: (...a: unknown[]) => cur().log("info", line(a)),
      info: (...a: unknown[]) => cur().log("info", line(a)),
      debug: (...a: unknown[]) => cur().log("debug", line(a)),
      warn: (...a: unknown[]) => cur().log("warn", line(a)),
      error: (...a: unknown[]) => cur().log("error", line(a)),
      trace: (...a: unknown[]) => cur().log("debug", line(a)),
    };

    // Deterministic host helpers the bundle may use.
    g.AsyncLocalStorage = AsyncLocalStorage;
    g.TextEncoder = TextEncoder;
    g.TextDecoder = TextDecoder;

    // Errors and byte arrays cross between realms (failures made by the host's failure
    // converter, errors thrown by workflow code, payload bytes). Make `instanceof` agree on
    // both sides: the sandbox's prototypes chain to the host's, and the sandbox's
    // constructors also recognise host instances.
    linkRealms(evalIn<AnyFn>("Error"), Error as unknown as AnyFn);
    linkRealms(evalIn<AnyFn>("Uint8Array"), Uint8Array as unknown as AnyFn);
  }
}

function linkRealms(ctxCtor: AnyFn, hostCtor: AnyFn): void {
  Object.setPrototypeOf(ctxCtor.prototype, hostCtor.prototype);
  const ordinary = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(ctxCtor, Symbol.hasInstance, {
    value(this: AnyFn, v: unknown): boolean {
      if (this === ctxCtor && v instanceof hostCtor) return true;
      return ordinary.call(this, v);
    },
    configurable: true,
  });
}

function safeInspect(v: unknown): string {
  try {
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}
