/** Native runtime: core's tokio runtime and telemetry. */
import { ptr } from "bun:ffi";
import { hostname } from "node:os";
import { check, copyOut, finalizer, jsonArg, native, type Native } from "./native.js";

export interface NativeRuntimeOptions {
  logging?: { filter: string; forward?: boolean };
  metrics?: {
    prometheus?: { bindAddress: string; countersTotalSuffix?: boolean; unitSuffix?: boolean; durationsAsSeconds?: boolean };
    otel?: {
      url: string;
      headers?: Record<string, string>;
      metricPeriodicityMs?: number;
      temporality?: "cumulative" | "delta";
      durationsAsSeconds?: boolean;
      protocol?: "grpc" | "http";
    };
    attachServiceName?: boolean;
    globalTags?: Record<string, string>;
    metricPrefix?: string;
  };
  workerHeartbeatIntervalMs?: number;
  runtimeVersion?: string;
}

export type CoreLogLevel = "trace" | "debug" | "info" | "warn" | "error";

export interface CoreLogRecord {
  level: CoreLogLevel;
  timestampMs: number;
  target: string;
  message: string;
  fields: Record<string, unknown>;
}

const logsOut = new BigUint64Array(3);

/** `pid@hostname`, the identity the official SDKs use when none is given. */
export function defaultIdentity(): string {
  return `${process.pid}@${hostname()}`;
}

export class NativeRuntime {
  private freed = false;
  private readonly token = {};

  private constructor(
    readonly n: Native,
    readonly id: number,
  ) {
    finalizer.register(this, { free: n.s.temporal_bun_runtime_free, id }, this.token);
  }

  static create(options: NativeRuntimeOptions = {}): NativeRuntime {
    const n = native("Creating a Temporal runtime");
    const [p, len, keep] = jsonArg({ runtimeVersion: Bun.version, ...options });
    const id = check(n.s, n.s.temporal_bun_runtime_new(p, len), "runtime");
    void keep;
    return new NativeRuntime(n, id);
  }

  /**
   * Takes every core log record forwarded since the last call (the queue is bounded:
   * `dropped` counts records lost to overflow).
   */
  takeLogs(): { dropped: number; logs: CoreLogRecord[] } {
    return takeLogs(this.n);
  }

  /**
   * Calls `listener` after every wake-up of the native dispatcher (completions arrived),
   * a cheap moment to drain forwarded logs. One listener per process; undefined removes it.
   */
  onWake(listener: (() => void) | undefined): void {
    this.n.dispatcher.onWake(listener);
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    check(this.n.s, this.n.s.temporal_bun_runtime_free(this.id), "runtime free");
  }
}

export function takeLogs(n: Native): { dropped: number; logs: CoreLogRecord[] } {
  check(n.s, n.s.temporal_bun_logs_take(ptr(logsOut)), "logs");
  if (logsOut[0] === 0n) return { dropped: 0, logs: [] }; // nothing queued: no buffer was made
  const bytes = copyOut(Number(logsOut[1]), Number(logsOut[2]));
  n.s.temporal_bun_buffer_free(Number(logsOut[0]));
  return JSON.parse(new TextDecoder().decode(bytes));
}
