/**
 * `Runtime`: the process's core runtime (tokio threads, telemetry) as in the official SDKs.
 * One per process unless the user makes more: `Runtime.install(options)` once at startup,
 * or `Runtime.default()` which installs one with default options on first use.
 * Connections and workers created without an explicit runtime use the default one.
 */
import { NativeRuntime, type CoreLogRecord, type NativeRuntimeOptions } from "../bridge/index.js";
import { IllegalStateError } from "../common/errors.js";
import { MetricMeterWithComposedTags, noopMetricMeter, type MetricMeter } from "../common/metrics.js";
import { RuntimeMetricMeter } from "./metric-meter.js";
import type { LogLevel, Logger } from "../common/interfaces.js";

// One Logger / LogLevel for the whole SDK, as @temporalio/common's (src/common/interfaces.ts).
export type { LogLevel, Logger };

const levelRank: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** What DefaultLogger hands its log function, as @temporalio/worker's LogEntry. */
export interface LogEntry {
  message: string;
  level: LogLevel;
  /** Time since the epoch, in nanoseconds. */
  timestampNanos: bigint;
  meta?: Record<string, unknown>;
}

/** Writes `<ISO time> [LEVEL] message {meta}` to stderr. */
function defaultLogFunction(entry: LogEntry): void {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n));
  const rest = entry.meta !== undefined ? " " + safeJson(entry.meta) : "";
  process.stderr.write(`${time.toISOString()} [${entry.level}] ${entry.message}${rest}\n`);
}

/**
 * Logs at or above `level` through `logFunction` (default: a line on stderr), with the
 * official constructor `new DefaultLogger(level = 'INFO', logFunction)`, so code that passes
 * its own log function moves over unchanged. A record's time is its `timestampMs` meta (core's
 * forwarded logs carry one), else now.
 */
export class DefaultLogger implements Logger {
  constructor(
    readonly level: LogLevel = "INFO",
    protected readonly logFunction: (entry: LogEntry) => void = defaultLogFunction,
  ) {}

  /** The level, under this SDK's former name. */
  get minLevel(): LogLevel {
    return this.level;
  }

  log(level: LogLevel, message: string, meta?: Record<string, unknown>): void {
    if (levelRank[level] < levelRank[this.level]) return;
    const { timestampMs, ...rest } = meta ?? {};
    const timestampNanos = BigInt(Math.trunc(typeof timestampMs === "number" ? timestampMs : Date.now())) * 1_000_000n;
    this.logFunction({ level, message, timestampNanos, meta: Object.keys(rest).length === 0 ? undefined : rest });
  }
  trace(m: string, meta?: Record<string, unknown>) { this.log("TRACE", m, meta); }
  debug(m: string, meta?: Record<string, unknown>) { this.log("DEBUG", m, meta); }
  info(m: string, meta?: Record<string, unknown>) { this.log("INFO", m, meta); }
  warn(m: string, meta?: Record<string, unknown>) { this.log("WARN", m, meta); }
  error(m: string, meta?: Record<string, unknown>) { this.log("ERROR", m, meta); }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return String(value);
  }
}

export interface TelemetryOptions {
  logging?: {
    /** An env-filter string (`"temporal_sdk_core=debug,warn"`) or a level for core's own crates. */
    filter?: string | { core?: LogLevel; other?: LogLevel };
    /** Forward core's logs to the Runtime's logger (default true). */
    forward?: boolean;
  };
  metrics?:
    | {
        prometheus: { bindAddress: string; countersTotalSuffix?: boolean; unitSuffix?: boolean; useSecondsForDurations?: boolean };
        metricPrefix?: string;
        globalTags?: Record<string, string>;
        /** Put `service_name="temporal-core-sdk"` on every metric (default true, as official). */
        attachServiceName?: boolean;
      }
    | {
        otel: { url: string; headers?: Record<string, string>; metricsExportIntervalMs?: number; temporality?: "cumulative" | "delta"; http?: boolean };
        metricPrefix?: string;
        globalTags?: Record<string, string>;
        /** Put `service_name="temporal-core-sdk"` on every metric (default true, as official). */
        attachServiceName?: boolean;
      };
}

export interface RuntimeOptions {
  /** Receives the SDK's logs and, unless disabled, core's forwarded logs. */
  logger?: Logger;
  telemetryOptions?: TelemetryOptions;
}

const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

/** The level named by `value` (a LogLevel, any case), else a TypeError naming `option`. */
function logLevelOption(value: unknown, option: string, fallback: LogLevel): string {
  if (value === undefined) return fallback.toLowerCase();
  if (typeof value !== "string" || !LOG_LEVELS.includes(value.toUpperCase())) {
    throw new TypeError(`${option}: expected one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

/** tracing's LevelFilter::from_str: a name (any case), a number 0-5, or "" (error). */
function isTracingLevel(text: string): boolean {
  return /^(?:[0-5]|error|warn|info|debug|trace|off|)$/i.test(text);
}

/**
 * Why core's EnvFilter would drop `directive` (one comma-separated part of a filter), or
 * undefined when it parses. Follows tracing-subscriber 0.3's Directive::parse: `target`,
 * `level`, `target=level`, `target[span{field=value}]=level`. Core builds its filter with
 * EnvFilter::new, which only prints "ignoring …" to stderr for a bad directive and logs with
 * the rest: a typo would silently change what is logged.
 */
export function envFilterDirectiveProblem(directive: string): string | undefined {
  const d = directive.trim();
  if (d === "") return undefined;
  if (!/^[\p{L}\p{N}_:\-\[]/u.test(d)) return `it starts with ${JSON.stringify(d[0])} (a directive starts with a target, a level or '[span]')`;
  let rest = d;
  if (!d.startsWith("[")) {
    const end = d.search(/[=[]/);
    if (end < 0) return undefined; // a level alone, or a target alone (every level of that target)
    rest = d.slice(end);
  }
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return "its '[span]' is not closed";
    const span = rest.slice(1, close);
    const brace = span.indexOf("{");
    if (brace >= 0) {
      if (!span.endsWith("}")) return "its span's '{fields}' are not closed";
      if (span.slice(brace + 1, -1).split(",").some((f) => f.trim() === "")) return "its span has an empty field";
    }
    rest = rest.slice(close + 1);
    if (rest === "") return undefined;
    if (!rest.startsWith("=")) return `unexpected ${JSON.stringify(rest)} after the span`;
  }
  const level = rest.slice(1);
  if (!isTracingLevel(level)) return `${JSON.stringify(level)} is not a level (expected trace, debug, info, warn, error or off)`;
  return undefined;
}

/** Throws a TypeError naming the filter and its first directive core would ignore. */
function checkEnvFilter(filter: string): string {
  for (const directive of filter.split(",")) {
    const problem = envFilterDirectiveProblem(directive);
    if (problem !== undefined) {
      throw new TypeError(`telemetryOptions.logging.filter: invalid log filter ${JSON.stringify(filter)}: directive ${JSON.stringify(directive)}: ${problem}`);
    }
  }
  return filter;
}

/** Core's own messages ("invalid socket address syntax", "relative URL without a base") name neither the option nor the value. */
function checkBindAddress(value: unknown): void {
  const option = "telemetryOptions.metrics.prometheus.bindAddress";
  const m = typeof value === "string" ? /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(value) : null;
  if (m === null || Number(m[1]) > 65535) {
    throw new TypeError(`${option}: expected 'ip:port' (an IP address, e.g. '0.0.0.0:9464'; not a host name), got ${JSON.stringify(value)}`);
  }
}

function checkOtelUrl(value: unknown): void {
  const option = "telemetryOptions.metrics.otel.url";
  let ok = false;
  try {
    ok = typeof value === "string" && /^https?:$/.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw new TypeError(`${option}: expected an http(s) URL of the OTLP collector (e.g. 'http://localhost:4317'), got ${JSON.stringify(value)}`);
}

function coreFilter(filter: NonNullable<TelemetryOptions["logging"]>["filter"]): string {
  if (filter === undefined) return "temporal_sdk_core=warn,temporalio_sdk_core=warn,temporal_client=warn,temporalio_client=warn,warn";
  if (typeof filter === "string") return checkEnvFilter(filter);
  if (filter === null || typeof filter !== "object") {
    throw new TypeError(`telemetryOptions.logging.filter: expected an env-filter string or { core, other }, got ${filter === null ? "null" : typeof filter}`);
  }
  const core = logLevelOption(filter.core, "telemetryOptions.logging.filter.core", "WARN");
  const other = logLevelOption(filter.other, "telemetryOptions.logging.filter.other", "ERROR");
  return `temporal_sdk_core=${core},temporalio_sdk_core=${core},temporal_client=${core},temporalio_client=${core},${other}`;
}

const coreLevel: Record<CoreLogRecord["level"], LogLevel> = { trace: "TRACE", debug: "DEBUG", info: "INFO", warn: "WARN", error: "ERROR" };

/**
 * Official metric options that core 1.24's C ABI cannot express: they are accepted, and the
 * runtime says once what happens instead (docs/observability.md).
 */
function warnIneffectiveMetricOptions(logger: Logger, metrics: TelemetryOptions["metrics"]): void {
  if (metrics === undefined) return;
  if ("otel" in metrics && metrics.otel.http === true) {
    logger.warn("telemetryOptions.metrics.otel.http has no effect: core exports OTLP over gRPC only (send to the collector's gRPC port)", { sdkComponent: "core" });
  }
  if (metrics.metricPrefix === "") {
    logger.warn("telemetryOptions.metrics.metricPrefix '' keeps core's default prefix 'temporal_' (core reads an empty prefix as unset)", { sdkComponent: "core" });
  }
}

let installed: Runtime | undefined;

export class Runtime {
  readonly logger: Logger;
  /** The bridge object; internal to the SDK (connections and workers use it). */
  readonly native: NativeRuntime;
  /**
   * Custom metrics recorded into the runtime's exporter (Prometheus or OTLP), next to core's
   * own metrics; `noopMetricMeter` when `telemetryOptions.metrics` is not set, and after
   * `shutdown()`.
   */
  readonly metricMeter: MetricMeter;
  private readonly runtimeMeter: RuntimeMetricMeter | undefined;
  private readonly forwardLogs: boolean;
  private shutDown = false;

  private constructor(options: RuntimeOptions) {
    this.logger = options.logger ?? new DefaultLogger("INFO");
    const t = options.telemetryOptions ?? {};
    this.forwardLogs = t.logging?.forward ?? true;
    const nativeOptions: NativeRuntimeOptions = { logging: { filter: coreFilter(t.logging?.filter), forward: this.forwardLogs } };
    if (t.metrics) {
      if ("prometheus" in t.metrics) {
        const p = t.metrics.prometheus;
        checkBindAddress(p?.bindAddress);
        nativeOptions.metrics = {
          prometheus: { bindAddress: p.bindAddress, countersTotalSuffix: p.countersTotalSuffix, unitSuffix: p.unitSuffix, durationsAsSeconds: p.useSecondsForDurations },
          metricPrefix: t.metrics.metricPrefix,
          globalTags: t.metrics.globalTags,
          attachServiceName: t.metrics.attachServiceName,
        };
      } else {
        const o = t.metrics.otel;
        checkOtelUrl(o?.url);
        nativeOptions.metrics = {
          otel: { url: o.url, headers: o.headers, metricPeriodicityMs: o.metricsExportIntervalMs, temporality: o.temporality, protocol: o.http ? "http" : "grpc" },
          metricPrefix: t.metrics.metricPrefix,
          globalTags: t.metrics.globalTags,
          attachServiceName: t.metrics.attachServiceName,
        };
      }
    }
    this.native = NativeRuntime.create(nativeOptions);
    warnIneffectiveMetricOptions(this.logger, t.metrics);
    // As official: a real meter only when an exporter is configured, else the no-op meter;
    // `compose(…, {}, true)` gives the meter `withTags`.
    if (nativeOptions.metrics !== undefined) {
      this.runtimeMeter = new RuntimeMetricMeter(this.native);
      this.metricMeter = MetricMeterWithComposedTags.compose(this.runtimeMeter, {}, true);
    } else {
      this.metricMeter = noopMetricMeter;
    }
    if (this.forwardLogs) addForwarder(this);
  }

  /**
   * A runtime that is not the process's installed one (e.g. a second Prometheus endpoint
   * or a test's own logger). Connections use it when passed `{ runtime }`.
   */
  static create(options: RuntimeOptions = {}): Runtime {
    return new Runtime(options);
  }

  /** Installs the process's runtime. Throws if one was already installed or used. */
  static install(options: RuntimeOptions = {}): Runtime {
    if (installed) {
      throw new IllegalStateError("Runtime.install() was called after a Runtime was already installed or used; call it once, before creating connections or workers");
    }
    installed = new Runtime(options);
    return installed;
  }

  /** The installed runtime, installing one with default options on first use. */
  static default(): Runtime {
    installed ??= new Runtime({});
    return installed;
  }

  /** Same as `default()` (the official SDK's name). */
  static instance(): Runtime {
    return Runtime.default();
  }

  /**
   * Moves every forwarded core log record to a logger now (normally done on every bridge
   * wake-up and every 500 ms). The bridge has one process-wide log queue without the
   * runtime of each record, so records go to the installed runtime's logger when it
   * forwards, otherwise to the oldest live runtime that forwards.
   */
  flushLogs(): void {
    flushForwardedLogs();
  }

  /** @internal */
  deliverLogs(dropped: number, logs: CoreLogRecord[]): void {
    for (const r of logs) {
      this.logger.log(coreLevel[r.level] ?? "INFO", r.message, { sdkComponent: "core", target: r.target, timestampMs: r.timestampMs, ...r.fields });
    }
    if (dropped > 0) this.logger.warn(`${dropped} core log records were dropped (the forwarding queue was full)`, { sdkComponent: "core" });
  }

  /**
   * Flushes logs and releases the runtime. Connections and workers still using it keep the
   * native runtime alive until they are closed.
   */
  async shutdown(): Promise<void> {
    if (this.shutDown) return;
    this.flushLogs();
    this.shutDown = true;
    removeForwarder(this);
    (this as { metricMeter: MetricMeter }).metricMeter = noopMetricMeter;
    this.runtimeMeter?.close();
    this.native.free();
    if (installed === this) installed = undefined;
  }
}

// ── log routing (process-wide, because the bridge's log queue is) ─────────────────────────

const forwarders: Runtime[] = [];
let flushTimer: ReturnType<typeof setInterval> | undefined;

function addForwarder(runtime: Runtime): void {
  forwarders.push(runtime);
  if (forwarders.length > 1) return;
  runtime.native.onWake(flushForwardedLogs);
  // Logs also arrive while nothing completes (e.g. a poller retrying); a slow unref'd
  // timer bounds their delay without keeping the process alive.
  flushTimer = setInterval(flushForwardedLogs, 500);
  flushTimer.unref();
}

function removeForwarder(runtime: Runtime): void {
  const i = forwarders.indexOf(runtime);
  if (i >= 0) forwarders.splice(i, 1);
  if (forwarders.length > 0) {
    forwarders[0]!.native.onWake(flushForwardedLogs);
    return;
  }
  runtime.native.onWake(undefined);
  if (flushTimer) clearInterval(flushTimer);
  flushTimer = undefined;
}

function flushForwardedLogs(): void {
  const target = installed !== undefined && forwarders.includes(installed) ? installed : forwarders[0];
  if (target === undefined) return;
  const { dropped, logs } = target.native.takeLogs();
  if (logs.length > 0 || dropped > 0) target.deliverLogs(dropped, logs);
}
