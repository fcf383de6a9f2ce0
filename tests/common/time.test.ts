import { describe, expect, test } from "bun:test";
import { dateToTs, msOptionalToTs, msToNumber, msToTs, optionalTsToMs, requiredTsToMs, tsToDate, tsToMs, ValueError } from "../../src/common/index.js";

describe("durations", () => {
  test.each([
    [1500, 1500],
    ["500ms", 500],
    ["500", 500],
    ["30s", 30_000],
    ["1 minute", 60_000],
    ["2 hours", 7_200_000],
    ["1.5h", 5_400_000],
    [".5s", 500],
    ["1d", 86_400_000],
    ["1w", 604_800_000],
    ["1y", 31_557_600_000],
    ["10 Seconds", 10_000],
    ["3 mins", 180_000],
  ] as const)("msToNumber(%p) = %p", (input, expected) => {
    expect(msToNumber(input)).toBe(expected);
  });

  test.each(["", "abc", "1 fortnight", "1.2.3s", "s", "--1s", "1s2", "x".repeat(200)])("msToNumber(%p) is refused with a clear error", (input) => {
    expect(() => msToNumber(input)).toThrow(ValueError);
    expect(() => msToNumber(input)).toThrow(/Invalid duration string: '.*' \(expected a number of milliseconds or a number with a unit/);
  });

  test("non-finite numbers and other types are refused", () => {
    expect(() => msToNumber(Number.NaN)).toThrow(/finite/);
    expect(() => msToNumber(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => msToNumber({} as never)).toThrow(/Invalid duration/);
  });

  test("msToTs: seconds and nanos, fractional milliseconds, refusing negatives", () => {
    const ts = msToTs("1.5s");
    expect(ts.$typeName).toBe("google.protobuf.Duration");
    expect([ts.seconds, ts.nanos]).toEqual([1n, 500_000_000]);
    expect([msToTs(0.25).seconds, msToTs(0.25).nanos]).toEqual([0n, 250_000]);
    expect([msToTs(59_999).seconds, msToTs(59_999).nanos]).toEqual([59n, 999_000_000]);
    expect(() => msToTs(-1)).toThrow(/non-negative/);
    expect(msOptionalToTs(undefined)).toBeUndefined();
  });

  test("tsToMs and friends", () => {
    expect(tsToMs({ seconds: 12n, nanos: 345_678_901 })).toBe(12_345);
    expect(tsToMs(msToTs("2 hours"))).toBe(7_200_000);
    expect(tsToMs({ seconds: 3 })).toBe(3000);
    expect(optionalTsToMs(undefined)).toBeUndefined();
    expect(() => tsToMs(undefined)).toThrow(/Expected a timestamp/);
    expect(() => requiredTsToMs(null, "startTime")).toThrow(/Expected startTime to be a timestamp/);
    const d = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 250));
    expect(tsToDate(dateToTs(d)).getTime()).toBe(d.getTime());
  });
});
