/**
 * `log`: the workflow logger. Messages go to the worker's logger with the run's identity
 * attached, and are dropped while the run replays history, so each line appears once.
 */
import { maybeGetActivator } from "./activator.js";

type Meta = Record<string, unknown>;
type Level = "trace" | "debug" | "info" | "warn" | "error";

function emit(level: Level, message: string, meta?: Meta): void {
  const a = maybeGetActivator();
  if (a === undefined) return; // imported outside a workflow: nothing to attach the line to
  a.log(level, message, meta);
}

export const log = {
  trace: (message: string, meta?: Meta) => emit("trace", message, meta),
  debug: (message: string, meta?: Meta) => emit("debug", message, meta),
  info: (message: string, meta?: Meta) => emit("info", message, meta),
  warn: (message: string, meta?: Meta) => emit("warn", message, meta),
  error: (message: string, meta?: Meta) => emit("error", message, meta),
};
