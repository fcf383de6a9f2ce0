//! A bounded cache of core attribute sets, keyed by the encoded tags of a record
//! (metric_tags.zig).
//!
//! Building an attribute set is most of the cost of a tagged record: core copies every key
//! and value into Rust strings and merges them with the meter's defaults (≈ 3 µs for three
//! tags, against < 1 µs for the record itself). Activities and workflows record with the
//! same few tag sets over and over, so the set is built once per distinct encoding.
//!
//! Bounds: at most `max_entries` sets and keys of at most `max_key_bytes` (longer encodings
//! are not cached). When full, every entry is dropped at once: simple, bounded, and a hot set
//! is rebuilt by its next record. The caller holds `mutex` from `get` until it is done with
//! the value, since a `put` on another thread may free it.
const std = @import("std");

pub const max_entries: u32 = 1024;
pub const max_key_bytes: u32 = 512;

pub fn Cache(comptime V: type) type {
    return struct {
        const Self = @This();

        mutex: std.Thread.Mutex = .{},
        map: std.StringHashMapUnmanaged(V) = .empty,
        allocator: std.mem.Allocator,
        free_value: *const fn (V) void,

        pub fn init(allocator: std.mem.Allocator, free_value: *const fn (V) void) Self {
            return .{ .allocator = allocator, .free_value = free_value };
        }

        pub fn deinit(self: *Self) void {
            self.clear();
            self.map.deinit(self.allocator);
        }

        /// Whether `key` may be cached at all.
        pub fn cacheable(key: []const u8) bool {
            return key.len > 0 and key.len <= max_key_bytes;
        }

        /// The value cached for `key`. Call with `mutex` held.
        pub fn get(self: *Self, key: []const u8) ?V {
            return self.map.get(key);
        }

        /// Caches `value` under a copy of `key`; the cache then owns `value`. On error the
        /// caller still owns it. Call with `mutex` held, and not for a key already present.
        pub fn put(self: *Self, key: []const u8, value: V) error{OutOfMemory}!void {
            std.debug.assert(cacheable(key));
            std.debug.assert(!self.map.contains(key));
            if (self.map.count() >= max_entries) self.clear();
            const owned = try self.allocator.dupe(u8, key);
            errdefer self.allocator.free(owned);
            try self.map.put(self.allocator, owned, value);
            std.debug.assert(self.map.count() <= max_entries);
        }

        pub fn count(self: *const Self) u32 {
            return self.map.count();
        }

        fn clear(self: *Self) void {
            var it = self.map.iterator();
            while (it.next()) |entry| {
                self.free_value(entry.value_ptr.*);
                self.allocator.free(entry.key_ptr.*);
            }
            self.map.clearRetainingCapacity();
        }
    };
}

// ---------------------------------------------------------------------------- tests

const testing = std.testing;

var freed_total: u32 = 0;
fn countFree(v: *u32) void {
    _ = v;
    freed_total += 1;
}

test "get returns what put stored, under a copied key" {
    freed_total = 0;
    var cache = Cache(*u32).init(testing.allocator, countFree);
    defer cache.deinit();
    var value: u32 = 7;
    var key_buf = [_]u8{ 1, 2, 3 };
    try cache.put(&key_buf, &value);
    key_buf[0] = 9; // the caller's buffer is reused for the next record
    try testing.expectEqual(@as(?*u32, null), cache.get(&key_buf));
    try testing.expectEqual(@as(?*u32, &value), cache.get(&[_]u8{ 1, 2, 3 }));
    try testing.expectEqual(@as(u32, 0), freed_total);
}

test "full cache drops every entry, freeing each value once; deinit frees the rest" {
    freed_total = 0;
    var values: [max_entries + 1]u32 = undefined;
    {
        var cache = Cache(*u32).init(testing.allocator, countFree);
        defer cache.deinit();
        for (&values, 0..) |*v, i| {
            var key: [4]u8 = undefined;
            std.mem.writeInt(u32, &key, @intCast(i), .little);
            try cache.put(&key, v);
        }
        try testing.expectEqual(max_entries, freed_total);
        try testing.expectEqual(@as(u32, 1), cache.count());
    }
    try testing.expectEqual(max_entries + 1, freed_total);
}

test "keys outside the bounds are not cacheable" {
    const C = Cache(*u32);
    try testing.expect(!C.cacheable(&.{}));
    try testing.expect(C.cacheable(&([_]u8{0} ** max_key_bytes)));
    try testing.expect(!C.cacheable(&([_]u8{0} ** (max_key_bytes + 1))));
}
