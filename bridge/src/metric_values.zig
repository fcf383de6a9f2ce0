//! Metric kinds and the conversion of a JS number to the value core records.
const std = @import("std");

/// The numbering TypeScript uses (src/bridge/metrics.ts `MetricKindCode`).
pub const Kind = enum(u32) {
    counter_int = 1,
    histogram_int = 2,
    histogram_float = 3,
    gauge_int = 4,
    gauge_float = 5,
    up_down_counter_int = 6,
};

/// The value a record passes to core, by the instrument's value type.
pub const Value = union(enum) { unsigned: u64, signed: i64, float: f64 };

pub const ValueError = error{ NotFinite, Negative, OutOfRange };

pub fn describe(err: ValueError) []const u8 {
    return switch (err) {
        error.NotFinite => "not a finite number",
        error.Negative => "negative",
        error.OutOfRange => "out of the 64-bit integer range",
    };
}

/// JS numbers arrive as f64. Integer instruments truncate toward zero, as the official
/// bridge does (`value as u64`); values that do not fit are refused rather than saturated.
pub fn convert(kind: Kind, value: f64) ValueError!Value {
    if (!std.math.isFinite(value)) return error.NotFinite;
    switch (kind) {
        .counter_int, .histogram_int, .gauge_int => {
            if (value < 0) return error.Negative;
            // 2^64 is exactly representable; every finite f64 below it truncates into u64.
            if (value >= 18446744073709551616.0) return error.OutOfRange;
            return .{ .unsigned = @intFromFloat(@trunc(value)) };
        },
        .up_down_counter_int => {
            if (value < -9223372036854775808.0 or value >= 9223372036854775808.0) return error.OutOfRange;
            return .{ .signed = @intFromFloat(@trunc(value)) };
        },
        .histogram_float, .gauge_float => return .{ .float = value },
    }
}

const testing = std.testing;

test "integer instruments truncate, refuse negatives, non-finite and overflow" {
    try testing.expectEqual(Value{ .unsigned = 3 }, try convert(.counter_int, 3.9));
    try testing.expectEqual(Value{ .unsigned = 0 }, try convert(.gauge_int, 0));
    try testing.expectEqual(Value{ .unsigned = 18446744073709549568 }, try convert(.histogram_int, 18446744073709549568.0));
    try testing.expectError(error.Negative, convert(.counter_int, -1));
    try testing.expectError(error.OutOfRange, convert(.counter_int, 18446744073709551616.0));
    try testing.expectError(error.NotFinite, convert(.histogram_int, std.math.nan(f64)));
    try testing.expectError(error.NotFinite, convert(.gauge_int, std.math.inf(f64)));
}

test "up-down counters take signed values" {
    try testing.expectEqual(Value{ .signed = -5 }, try convert(.up_down_counter_int, -5.7));
    try testing.expectEqual(Value{ .signed = std.math.minInt(i64) }, try convert(.up_down_counter_int, -9223372036854775808.0));
    try testing.expectError(error.OutOfRange, convert(.up_down_counter_int, 9223372036854775808.0));
}

test "float instruments keep the value, refuse non-finite" {
    try testing.expectEqual(Value{ .float = 0.125 }, try convert(.histogram_float, 0.125));
    try testing.expectEqual(Value{ .float = -2.5 }, try convert(.gauge_float, -2.5));
    try testing.expectError(error.NotFinite, convert(.gauge_float, -std.math.inf(f64)));
}
