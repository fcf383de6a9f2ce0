/**
 * `LoggerWithComposedMetadata`, as @temporalio/common's: a Logger that adds metadata (a static
 * object, or a function evaluated at each log call) before delegating to a parent logger.
 * Pure: reachable from workflow code.
 */
import type { Logger, LogLevel, LogMetadata } from "./interfaces.js";

export type LogMetaOrFunc = LogMetadata | (() => LogMetadata);

export class LoggerWithComposedMetadata implements Logger {
  /**
   * `logger` with `metaOrFunc` added. An empty object changes nothing and returns `logger`
   * itself; composing onto a LoggerWithComposedMetadata extends its chain instead of nesting.
   */
  static compose(logger: Logger, metaOrFunc: LogMetaOrFunc): Logger {
    const parent = logger instanceof LoggerWithComposedMetadata ? logger.parentLogger : logger;
    const chain = logger instanceof LoggerWithComposedMetadata ? logger.contributors : [];
    const next = extendChain(chain, metaOrFunc);
    return next === undefined ? logger : new LoggerWithComposedMetadata(parent, next);
  }

  constructor(
    private readonly parentLogger: Logger,
    private readonly contributors: LogMetaOrFunc[],
  ) {}

  log(level: LogLevel, message: string, extraMeta?: LogMetadata): void {
    this.parentLogger.log(level, message, this.resolve(extraMeta));
  }
  trace(message: string, extraMeta?: LogMetadata): void {
    this.parentLogger.trace(message, this.resolve(extraMeta));
  }
  debug(message: string, extraMeta?: LogMetadata): void {
    this.parentLogger.debug(message, this.resolve(extraMeta));
  }
  info(message: string, extraMeta?: LogMetadata): void {
    this.parentLogger.info(message, this.resolve(extraMeta));
  }
  warn(message: string, extraMeta?: LogMetadata): void {
    this.parentLogger.warn(message, this.resolve(extraMeta));
  }
  error(message: string, extraMeta?: LogMetadata): void {
    this.parentLogger.error(message, this.resolve(extraMeta));
  }

  /** The chain's metadata then `extraMeta`, later keys winning; null/undefined values dropped. */
  private resolve(extraMeta?: LogMetadata): LogMetadata {
    const out: LogMetadata = {};
    for (const c of this.contributors) Object.assign(out, typeof c === "function" ? c() : c);
    Object.assign(out, extraMeta);
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== null && v !== undefined));
  }
}

/**
 * The chain with `add` appended (merged into the last element when both are objects; a
 * null/undefined value in `add` removes the key). An empty object changes nothing: the chain
 * itself, or undefined for an empty chain (compose then returns the logger unchanged).
 */
function extendChain(chain: LogMetaOrFunc[], add: LogMetaOrFunc): LogMetaOrFunc[] | undefined {
  if (typeof add === "object" && Object.keys(add).length === 0) return chain.length === 0 ? undefined : chain;
  const last = chain[chain.length - 1];
  if (last === undefined || typeof last === "function" || typeof add === "function") return [...chain, add];
  const merged: LogMetadata = { ...last };
  for (const [k, v] of Object.entries(add)) {
    if (v === null || v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return [...chain.slice(0, -1), merged];
}
