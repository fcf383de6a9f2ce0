/**
 * Durations and timestamps: user-facing `Duration` (milliseconds or an `ms`-style string
 * such as `'30s'`, `'1 minute'`, `'1.5h'`) ⇄ protobuf `Duration`/`Timestamp` messages.
 * Names and semantics follow @temporalio/common's time.ts.
 */
import { create } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema, type Duration as ProtoDuration, type Timestamp as ProtoTimestamp } from "@bufbuild/protobuf/wkt";
import { ValueError } from "./errors.js";

/** Milliseconds, or a string in the format of the `ms` package: `'500ms'`, `'30s'`, `'1 minute'`, `'2 hours'`, `'1.5h'`, `'7d'`. */
export type Duration = number | string;

/** Anything with the shape of a protobuf Duration or Timestamp. */
export interface TimestampLike {
  seconds?: bigint | number | null;
  nanos?: number | null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365.25 * DAY;

const UNITS: Record<string, number> = {
  ms: 1, msec: 1, msecs: 1, millisecond: 1, milliseconds: 1,
  s: SECOND, sec: SECOND, secs: SECOND, second: SECOND, seconds: SECOND,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
  w: WEEK, week: WEEK, weeks: WEEK,
  y: YEAR, yr: YEAR, yrs: YEAR, year: YEAR, years: YEAR,
};

// A signed decimal number (`1`, `1.5`, `.5`, `-2`), optional spaces, an optional unit (the `ms` package's grammar).
const DURATION_RE = /^(-?(?:\d+)?\.?\d+) *([a-z]+)?$/i;
const MAX_DURATION_STRING = 100;

/** Parses an `ms`-format string to milliseconds; throws ValueError naming the string on anything else. */
function parseDurationString(text: string): number {
  const match = text.length <= MAX_DURATION_STRING ? DURATION_RE.exec(text.trim()) : null;
  const unit = match?.[2]?.toLowerCase() ?? "ms";
  const factor = UNITS[unit];
  if (!match || factor === undefined) {
    throw new ValueError(
      `Invalid duration string: '${text}' (expected a number of milliseconds or a number with a unit, e.g. '500ms', '30s', '1 minute', '2 hours', '1.5h', '7d')`,
    );
  }
  return Number(match[1]) * factor;
}

/** A Duration in milliseconds. Numbers pass through (they must be finite); strings are parsed. */
export function msToNumber(value: Duration): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ValueError(`Invalid duration: ${value} (expected a finite number of milliseconds)`);
    return value;
  }
  if (typeof value === "string") return parseDurationString(value);
  throw new ValueError(`Invalid duration: ${describe(value)} (expected a number of milliseconds or a string like '30s')`);
}

export function msOptionalToNumber(value: Duration | undefined | null): number | undefined {
  return value === undefined || value === null ? undefined : msToNumber(value);
}

/** Milliseconds → protobuf Duration. Negative durations are refused (Temporal has none). */
export function msNumberToTs(millis: number): ProtoDuration {
  if (!Number.isFinite(millis) || millis < 0) throw new ValueError(`Invalid duration: ${millis} ms (expected a finite, non-negative number)`);
  let seconds = Math.floor(millis / 1000);
  let nanos = Math.round((millis - seconds * 1000) * 1_000_000);
  if (nanos >= 1_000_000_000) {
    seconds += 1;
    nanos -= 1_000_000_000;
  }
  return create(DurationSchema, { seconds: BigInt(seconds), nanos });
}

/** Duration (ms or string) → protobuf Duration. */
export function msToTs(value: Duration): ProtoDuration {
  return msNumberToTs(msToNumber(value));
}

export function msOptionalToTs(value: Duration | undefined | null): ProtoDuration | undefined {
  return value === undefined || value === null ? undefined : msToTs(value);
}

/** Protobuf Duration or Timestamp → milliseconds (sub-millisecond nanos are dropped, as in @temporalio/common). */
export function tsToMs(ts: TimestampLike | undefined | null): number {
  if (ts === undefined || ts === null) throw new ValueError(`Expected a timestamp or duration, got ${ts}`);
  return Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000);
}

export function optionalTsToMs(ts: TimestampLike | undefined | null): number | undefined {
  return ts === undefined || ts === null ? undefined : tsToMs(ts);
}

/** Like tsToMs, but the error names the missing field. */
export function requiredTsToMs(ts: TimestampLike | undefined | null, fieldName: string): number {
  if (ts === undefined || ts === null) throw new ValueError(`Expected ${fieldName} to be a timestamp, got ${ts}`);
  return tsToMs(ts);
}

export function tsToDate(ts: TimestampLike): Date {
  return new Date(tsToMs(ts));
}

export function optionalTsToDate(ts: TimestampLike | undefined | null): Date | undefined {
  return ts === undefined || ts === null ? undefined : tsToDate(ts);
}

export function requiredTsToDate(ts: TimestampLike | undefined | null, fieldName: string): Date {
  return new Date(requiredTsToMs(ts, fieldName));
}

/** Date → protobuf Timestamp. */
export function dateToTs(date: Date): ProtoTimestamp {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new ValueError(`Invalid date: ${String(date)}`);
  const seconds = Math.floor(ms / 1000);
  return create(TimestampSchema, { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 });
}

export function optionalDateToTs(date: Date | undefined | null): ProtoTimestamp | undefined {
  return date === undefined || date === null ? undefined : dateToTs(date);
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object" && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}
