//! The wire format of a metric record's tags, decoded without allocation.
//!
//! TypeScript encodes the tags of one record into a reusable buffer (src/bridge/metrics.ts),
//! so a record costs no JSON and no allocation on either side. Little-endian, unaligned:
//!
//!   entry  = type:u8  key_len:u32  key[key_len]  value
//!   value  = string: len:u32 bytes[len] | int: i64 | float: f64 | bool: u8 (0 or 1)
//!   type   = 1 string, 2 int, 3 float, 4 bool  (core's TemporalCoreMetricAttributeValueType)
//!
//! Keys and string values must be UTF-8: core reads them with `from_utf8_unchecked`, so
//! invalid bytes would be undefined behaviour on the Rust side; we refuse them here.
const std = @import("std");

/// Tags per record. Enough for any real label set (Prometheus itself warns well below this),
/// and it keeps the decoded form on the stack.
pub const max_tags: u32 = 64;

pub const ValueType = enum(u8) { string = 1, int = 2, float = 3, bool = 4 };

pub const Value = union(ValueType) {
    string: []const u8,
    int: i64,
    float: f64,
    bool: bool,
};

pub const Tag = struct { key: []const u8, value: Value };

pub const DecodeError = error{ Truncated, TooManyTags, BadType, BadBool, EmptyKey, InvalidUtf8 };

pub fn describe(err: DecodeError) []const u8 {
    return switch (err) {
        error.Truncated => "the tag buffer ends inside an entry",
        error.TooManyTags => std.fmt.comptimePrint("more than {d} tags", .{max_tags}),
        error.BadType => "unknown tag value type",
        error.BadBool => "a bool tag value is neither 0 nor 1",
        error.EmptyKey => "a tag key is empty",
        error.InvalidUtf8 => "a tag key or string value is not UTF-8",
    };
}

const Reader = struct {
    bytes: []const u8,
    pos: usize = 0,

    fn take(self: *Reader, n: usize) DecodeError![]const u8 {
        if (self.bytes.len - self.pos < n) return error.Truncated;
        const out = self.bytes[self.pos..][0..n];
        self.pos += n;
        return out;
    }

    fn int(self: *Reader, comptime T: type) DecodeError!T {
        const b = try self.take(@sizeOf(T));
        return std.mem.readInt(T, b[0..@sizeOf(T)], .little);
    }

    fn text(self: *Reader) DecodeError![]const u8 {
        const len = try self.int(u32);
        const s = try self.take(len);
        if (!std.unicode.utf8ValidateSlice(s)) return error.InvalidUtf8;
        return s;
    }
};

/// Decodes `bytes` into `out`, returning how many tags were written.
pub fn decode(bytes: []const u8, out: *[max_tags]Tag) DecodeError!u32 {
    var r = Reader{ .bytes = bytes };
    var count: u32 = 0;
    while (r.pos < bytes.len) {
        if (count == max_tags) return error.TooManyTags;
        const type_byte = (try r.take(1))[0];
        const value_type = std.meta.intToEnum(ValueType, type_byte) catch return error.BadType;
        const key = try r.text();
        if (key.len == 0) return error.EmptyKey;
        const value: Value = switch (value_type) {
            .string => .{ .string = try r.text() },
            .int => .{ .int = try r.int(i64) },
            .float => .{ .float = @bitCast(try r.int(u64)) },
            .bool => switch ((try r.take(1))[0]) {
                0 => .{ .bool = false },
                1 => .{ .bool = true },
                else => return error.BadBool,
            },
        };
        out[count] = .{ .key = key, .value = value };
        count += 1;
    }
    std.debug.assert(r.pos == bytes.len);
    std.debug.assert(count <= max_tags);
    return count;
}

// ---------------------------------------------------------------------------- tests

const testing = std.testing;

/// Test-side encoder, mirroring src/bridge/metrics.ts.
fn encode(list: *std.ArrayList(u8), key: []const u8, value: Value) !void {
    const a = testing.allocator;
    try list.append(a, @intFromEnum(std.meta.activeTag(value)));
    try list.appendSlice(a, &std.mem.toBytes(std.mem.nativeToLittle(u32, @intCast(key.len))));
    try list.appendSlice(a, key);
    switch (value) {
        .string => |s| {
            try list.appendSlice(a, &std.mem.toBytes(std.mem.nativeToLittle(u32, @intCast(s.len))));
            try list.appendSlice(a, s);
        },
        .int => |i| try list.appendSlice(a, &std.mem.toBytes(std.mem.nativeToLittle(i64, i))),
        .float => |f| try list.appendSlice(a, &std.mem.toBytes(std.mem.nativeToLittle(u64, @bitCast(f)))),
        .bool => |b| try list.append(a, @intFromBool(b)),
    }
}

test "decodes every value type in order" {
    var buf: std.ArrayList(u8) = .empty;
    defer buf.deinit(testing.allocator);
    try encode(&buf, "taskQueue", .{ .string = "q-é" });
    try encode(&buf, "attempt", .{ .int = -3 });
    try encode(&buf, "ratio", .{ .float = 0.25 });
    try encode(&buf, "retry", .{ .bool = true });
    var out: [max_tags]Tag = undefined;
    const n = try decode(buf.items, &out);
    try testing.expectEqual(@as(u32, 4), n);
    try testing.expectEqualStrings("taskQueue", out[0].key);
    try testing.expectEqualStrings("q-é", out[0].value.string);
    try testing.expectEqual(@as(i64, -3), out[1].value.int);
    try testing.expectEqual(@as(f64, 0.25), out[2].value.float);
    try testing.expectEqual(true, out[3].value.bool);
}

test "empty buffer is no tags" {
    var out: [max_tags]Tag = undefined;
    try testing.expectEqual(@as(u32, 0), try decode(&.{}, &out));
}

test "malformed buffers are errors, never reads past the end" {
    var buf: std.ArrayList(u8) = .empty;
    defer buf.deinit(testing.allocator);
    try encode(&buf, "k", .{ .string = "value" });
    var out: [max_tags]Tag = undefined;
    // Every strict prefix of a valid entry is truncated.
    for (1..buf.items.len) |len| {
        try testing.expectError(error.Truncated, decode(buf.items[0..len], &out));
    }
    var bad_type = try testing.allocator.dupe(u8, buf.items);
    defer testing.allocator.free(bad_type);
    bad_type[0] = 9;
    try testing.expectError(error.BadType, decode(bad_type, &out));

    var utf: std.ArrayList(u8) = .empty;
    defer utf.deinit(testing.allocator);
    try encode(&utf, "k", .{ .string = "\xff\xfe" });
    try testing.expectError(error.InvalidUtf8, decode(utf.items, &out));

    var empty_key: std.ArrayList(u8) = .empty;
    defer empty_key.deinit(testing.allocator);
    try encode(&empty_key, "", .{ .int = 1 });
    try testing.expectError(error.EmptyKey, decode(empty_key.items, &out));

    var bad_bool: std.ArrayList(u8) = .empty;
    defer bad_bool.deinit(testing.allocator);
    try encode(&bad_bool, "b", .{ .bool = true });
    bad_bool.items[bad_bool.items.len - 1] = 2;
    try testing.expectError(error.BadBool, decode(bad_bool.items, &out));

    // A length field larger than the buffer cannot overflow the position.
    const huge = [_]u8{ 1, 0xff, 0xff, 0xff, 0xff, 'k' };
    try testing.expectError(error.Truncated, decode(&huge, &out));
}

test "the tag count is bounded" {
    var buf: std.ArrayList(u8) = .empty;
    defer buf.deinit(testing.allocator);
    for (0..max_tags + 1) |_| try encode(&buf, "k", .{ .bool = false });
    var out: [max_tags]Tag = undefined;
    try testing.expectError(error.TooManyTags, decode(buf.items, &out));
    // Exactly the bound is accepted.
    const one_entry = buf.items.len / (max_tags + 1);
    try testing.expectEqual(max_tags, try decode(buf.items[0 .. one_entry * max_tags], &out));
}
