/** Retry policy and priority of an activity or a workflow, in the official SDK's shape, and how they are checked and compiled to their protobuf shape. Sandbox-safe. */
import type { Duration as ProtoDuration } from "@bufbuild/protobuf/wkt";
import { describeValue } from "./enums.js";
import { ValueError } from "./errors.js";
import { checkOptions } from "./option-check.js";
import { msNumberToTs, msToNumber, optionalTsToMs, type Duration, type TimestampLike } from "./time.js";

export interface RetryPolicy {
  initialInterval?: Duration;
  /** Must be >= 1 when set. */
  backoffCoefficient?: number;
  maximumInterval?: Duration;
  /** 0 (default) = unlimited. */
  maximumAttempts?: number;
  nonRetryableErrorTypes?: string[];
}

/** A RetryPolicy in the shape of temporal.api.common.v1.RetryPolicy's init object. */
export interface CompiledRetryPolicy {
  initialInterval: ProtoDuration;
  backoffCoefficient: number;
  maximumInterval?: ProtoDuration;
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

/**
 * The milliseconds of a Duration option, or undefined when unset. ValueError naming `where`
 * for anything that is not a finite, non-negative number of ms or an `ms`-format string.
 */
export function durationOptionToMs(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  try {
    ms = msToNumber(value as Duration);
  } catch (err) {
    throw new ValueError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (ms < 0) throw new ValueError(`${where}: must not be negative, got ${describeValue(value)}`);
  return ms;
}

/** durationOptionToMs as a protobuf Duration. */
export function durationOptionToTs(value: unknown, where: string): ProtoDuration | undefined {
  const ms = durationOptionToMs(value, where);
  return ms === undefined ? undefined : msNumberToTs(ms);
}

/**
 * Validates a RetryPolicy and turns it into its protobuf shape, as @temporalio/common's
 * compileRetryPolicy does (its rules, plus the server's backoffCoefficient >= 1, and its defaults: initialInterval 1 s is sent explicitly,
 * `maximumAttempts: Infinity` means unlimited), plus type checks whose absence would let NaN
 * or a wrong type reach the command. Errors are ValueErrors naming `where` (e.g.
 * "proxyActivities option retry") and the field.
 */
export function compileRetryPolicy(retry: unknown, where = "RetryPolicy"): CompiledRetryPolicy {
  if (retry === null || typeof retry !== "object" || Array.isArray(retry)) throw new ValueError(`${where}: expected a RetryPolicy object, got ${describeValue(retry)}`);
  const r = retry as Record<string, unknown>;
  checkOptions({ name: where, supported: RETRY_POLICY_KEYS }, r);
  const { backoffCoefficient, maximumAttempts, nonRetryableErrorTypes } = r;
  if (backoffCoefficient !== undefined && backoffCoefficient !== null) {
    if (typeof backoffCoefficient !== "number" || !Number.isFinite(backoffCoefficient)) {
      throw new ValueError(`${where}.backoffCoefficient: expected a finite number, got ${describeValue(backoffCoefficient)}`);
    }
    // The official SDK checks > 0 only; the server refuses anything below 1 (the command or the
    // start request fails there), so say it here, where the value was written.
    if (backoffCoefficient < 1) throw new ValueError(`${where}.backoffCoefficient must be at least 1 (the server refuses smaller values), got ${backoffCoefficient}`);
  }
  let attempts = 0;
  if (maximumAttempts !== undefined && maximumAttempts !== null && maximumAttempts !== Number.POSITIVE_INFINITY) {
    if (typeof maximumAttempts !== "number" || Number.isNaN(maximumAttempts)) {
      throw new ValueError(`${where}.maximumAttempts: expected a positive integer, got ${describeValue(maximumAttempts)}`);
    }
    if (maximumAttempts <= 0) throw new ValueError(`${where}.maximumAttempts must be a positive integer, got ${maximumAttempts}`);
    if (!Number.isInteger(maximumAttempts)) throw new ValueError(`${where}.maximumAttempts must be an integer, got ${maximumAttempts}`);
    attempts = maximumAttempts;
  }
  if (nonRetryableErrorTypes !== undefined && nonRetryableErrorTypes !== null) {
    if (!Array.isArray(nonRetryableErrorTypes) || !nonRetryableErrorTypes.every((t) => typeof t === "string")) {
      throw new ValueError(`${where}.nonRetryableErrorTypes: expected an array of strings, got ${describeValue(nonRetryableErrorTypes)}`);
    }
  }
  const initial = durationOptionToMs(r.initialInterval, `${where}.initialInterval`) ?? 1000;
  const maximum = durationOptionToMs(r.maximumInterval, `${where}.maximumInterval`);
  if (initial === 0) throw new ValueError(`${where}.initialInterval cannot be 0`);
  if (maximum === 0) throw new ValueError(`${where}.maximumInterval cannot be 0`);
  if (maximum !== undefined && maximum < initial) throw new ValueError(`${where}.maximumInterval cannot be less than its initialInterval`);
  return {
    initialInterval: msNumberToTs(initial),
    backoffCoefficient: (backoffCoefficient as number | undefined | null) ?? 0,
    maximumInterval: maximum === undefined ? undefined : msNumberToTs(maximum),
    maximumAttempts: attempts,
    nonRetryableErrorTypes: (nonRetryableErrorTypes as string[] | undefined | null) ?? [],
  };
}

const RETRY_POLICY_KEYS = ["initialInterval", "backoffCoefficient", "maximumInterval", "maximumAttempts", "nonRetryableErrorTypes"];

/** Task priority of an activity or workflow (temporal.api.common.v1.Priority), as in @temporalio/common. */
export interface Priority {
  /** 1 (highest) … n; 0 or unset = the server's default. */
  priorityKey?: number;
  fairnessKey?: string;
  fairnessWeight?: number;
}

export interface CompiledPriority {
  priorityKey: number;
  fairnessKey: string;
  fairnessWeight: number;
}

/** As @temporalio/common's compilePriority (TypeError / RangeError for a bad priorityKey), plus type checks. */
export function compilePriority(priority: unknown, where = "Priority"): CompiledPriority {
  if (typeof priority !== "object" || priority === null) throw new TypeError(`${where}: expected a Priority object, got ${describeValue(priority)}`);
  const p = priority as Record<string, unknown>;
  checkOptions({ name: where, supported: ["priorityKey", "fairnessKey", "fairnessWeight"] }, p);
  if (p.priorityKey !== undefined && p.priorityKey !== null) {
    if (!Number.isInteger(p.priorityKey)) throw new TypeError(`${where}.priorityKey must be an integer, got ${describeValue(p.priorityKey)}`);
    if ((p.priorityKey as number) < 0) throw new RangeError(`${where}.priorityKey must be a positive integer, got ${String(p.priorityKey)}`);
  }
  if (p.fairnessKey !== undefined && p.fairnessKey !== null && typeof p.fairnessKey !== "string") {
    throw new TypeError(`${where}.fairnessKey: expected a string, got ${describeValue(p.fairnessKey)}`);
  }
  if (p.fairnessWeight !== undefined && p.fairnessWeight !== null && (typeof p.fairnessWeight !== "number" || !Number.isFinite(p.fairnessWeight))) {
    throw new TypeError(`${where}.fairnessWeight: expected a finite number, got ${describeValue(p.fairnessWeight)}`);
  }
  return {
    priorityKey: (p.priorityKey as number | undefined | null) ?? 0,
    fairnessKey: (p.fairnessKey as string | undefined | null) ?? "",
    fairnessWeight: (p.fairnessWeight as number | undefined | null) ?? 0,
  };
}

/** A temporal.api.common.v1.RetryPolicy as it comes from the server (either protobuf library's shape). */
interface RetryPolicyMessage {
  initialInterval?: TimestampLike | null;
  backoffCoefficient?: number | null;
  maximumInterval?: TimestampLike | null;
  maximumAttempts?: number | null;
  nonRetryableErrorTypes?: string[] | null;
}

/**
 * The reverse of compileRetryPolicy, as @temporalio/common's: a proto RetryPolicy (e.g. from a
 * workflow description) to a RetryPolicy with intervals in ms; undefined for null/undefined.
 */
export function decompileRetryPolicy(retryPolicy?: RetryPolicyMessage | null): RetryPolicy | undefined {
  if (!retryPolicy) return undefined;
  return {
    backoffCoefficient: retryPolicy.backoffCoefficient ?? undefined,
    maximumAttempts: retryPolicy.maximumAttempts ?? undefined,
    maximumInterval: optionalTsToMs(retryPolicy.maximumInterval),
    initialInterval: optionalTsToMs(retryPolicy.initialInterval),
    nonRetryableErrorTypes: retryPolicy.nonRetryableErrorTypes ?? undefined,
  };
}

/** A proto Priority to a Priority, as @temporalio/common's: every field copied, null → undefined. */
export function decodePriority(priority?: { priorityKey?: number | null; fairnessKey?: string | null; fairnessWeight?: number | null } | null): Priority {
  return {
    priorityKey: priority?.priorityKey ?? undefined,
    fairnessKey: priority?.fairnessKey ?? undefined,
    fairnessWeight: priority?.fairnessWeight ?? undefined,
  };
}
