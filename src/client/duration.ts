/**
 * Durations as the official SDK accepts them: a number of milliseconds, or a string such
 * as "30s", "1 minute", "1.5h", "250ms". (Kept local to the client until src/common
 * exports the same helpers.)
 */
export type Duration = number | string;

const units: Record<string, number> = {
  ms: 1, msec: 1, msecs: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/** Milliseconds in `d`; throws a TypeError naming `what` for anything else. */
export function durationToMs(d: Duration, what = "duration"): number {
  if (typeof d === "number") {
    if (!Number.isFinite(d) || d < 0) throw new TypeError(`${what}: expected a non-negative number of milliseconds, got ${d}`);
    return d;
  }
  if (typeof d !== "string") throw new TypeError(`${what}: expected milliseconds or a string like '30s', got ${typeof d}`);
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(d);
  const unit = m ? (m[2] === "" ? 1 : units[m[2]!.toLowerCase()]) : undefined;
  if (!m || unit === undefined) throw new TypeError(`${what}: cannot parse '${d}' (expected milliseconds or a string like '30s', '1 minute')`);
  const ms = Number(m[1]) * unit;
  if (ms < 0) throw new TypeError(`${what}: must not be negative, got '${d}'`);
  return ms;
}

/** google.protobuf.Duration of a Duration. */
export function durationToProto(d: Duration, what = "duration"): { $typeName: "google.protobuf.Duration"; seconds: bigint; nanos: number } {
  const ms = durationToMs(d, what);
  const seconds = Math.floor(ms / 1000);
  return { $typeName: "google.protobuf.Duration", seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Milliseconds of a google.protobuf.Duration or Timestamp (undefined stays undefined). */
export function protoToMs(t: { seconds: bigint; nanos: number } | undefined): number | undefined {
  if (!t) return undefined;
  return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
}

/** Date of a google.protobuf.Timestamp. */
export function protoToDate(t: { seconds: bigint; nanos: number } | undefined): Date | undefined {
  const ms = protoToMs(t);
  return ms === undefined ? undefined : new Date(ms);
}
