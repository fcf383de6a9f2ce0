//! Bounded queue of core log records, drained by TypeScript.
//!
//! Core calls the log forwarder on its own threads, possibly in bursts. Records are copied
//! (each field truncated to a fixed bound) into a ring of fixed capacity; when the ring is
//! full the new record is dropped and counted, so a log storm can cost memory only up to
//! the bound and never blocks core. TypeScript takes the whole batch as one JSON buffer
//! and reports the dropped count.
const std = @import("std");
const mem = @import("mem.zig");

pub const capacity: u32 = 4096;
pub const field_bytes_max: usize = 8 * 1024;

pub const Level = enum(u8) { trace = 0, debug = 1, info = 2, warn = 3, @"error" = 4 };

pub const Record = struct {
    level: Level,
    timestamp_ms: u64,
    target: []u8,
    message: []u8,
    /// JSON object text from core (may be empty).
    fields: []u8,

    fn deinit(self: *Record) void {
        mem.free(self.target);
        mem.free(self.message);
        mem.free(self.fields);
        self.* = undefined;
    }
};

pub const Queue = struct {
    mutex: std.Thread.Mutex = .{},
    ring: [capacity]Record = undefined,
    head: u32 = 0,
    len: u32 = 0,
    dropped: u64 = 0,

    fn truncated(bytes: []const u8) []const u8 {
        return bytes[0..@min(bytes.len, field_bytes_max)];
    }

    /// Any thread. Returns false when the record was dropped (queue full or out of memory).
    pub fn push(self: *Queue, level: Level, timestamp_ms: u64, target: []const u8, message: []const u8, fields: []const u8) bool {
        // Copy outside the lock: allocation can be slow and core threads must not convoy.
        var record = Record{ .level = level, .timestamp_ms = timestamp_ms, .target = &.{}, .message = &.{}, .fields = &.{} };
        const ok = blk: {
            record.target = mem.dupe(truncated(target)) catch break :blk false;
            record.message = mem.dupe(truncated(message)) catch break :blk false;
            record.fields = mem.dupe(truncated(fields)) catch break :blk false;
            break :blk true;
        };
        self.mutex.lock();
        if (!ok or self.len == capacity) {
            self.dropped += 1;
            self.mutex.unlock();
            record.deinit();
            return false;
        }
        self.ring[(self.head + self.len) % capacity] = record;
        self.len += 1;
        self.mutex.unlock();
        return true;
    }

    /// Nothing to report: no record queued and none dropped since the last take.
    pub fn isIdle(self: *Queue) bool {
        self.mutex.lock();
        defer self.mutex.unlock();
        return self.len == 0 and self.dropped == 0;
    }

    pub fn depth(self: *Queue) u32 {
        self.mutex.lock();
        defer self.mutex.unlock();
        return self.len;
    }

    /// Takes every queued record as a JSON document
    /// `{"dropped":N,"logs":[{"level":"info","timestampMs":...,"target":...,"message":...,"fields":{...}}]}`
    /// and resets the dropped counter. The caller owns the returned bytes (mem.allocator).
    pub fn takeJson(self: *Queue) error{OutOfMemory}![]u8 {
        // Move the records out under the lock, format without it.
        const taken = try mem.allocator.alloc(Record, capacity);
        defer mem.allocator.free(taken);
        var n: u32 = 0;
        var dropped: u64 = 0;
        {
            self.mutex.lock();
            defer self.mutex.unlock();
            n = self.len;
            for (0..n) |i| taken[i] = self.ring[(self.head + i) % capacity];
            self.head = (self.head + n) % capacity;
            self.len = 0;
            dropped = self.dropped;
            self.dropped = 0;
        }
        defer for (taken[0..n]) |*r| r.deinit();

        var out: std.Io.Writer.Allocating = .init(mem.allocator);
        errdefer out.deinit();
        const w = &out.writer;
        writeAll(w, taken[0..n], dropped) catch return error.OutOfMemory;
        return out.toOwnedSlice();
    }

    fn writeAll(w: *std.Io.Writer, records: []const Record, dropped: u64) std.Io.Writer.Error!void {
        try w.print("{{\"dropped\":{d},\"logs\":[", .{dropped});
        for (records, 0..) |r, i| {
            if (i > 0) try w.writeByte(',');
            try w.print("{{\"level\":\"{s}\",\"timestampMs\":{d},\"target\":", .{ @tagName(r.level), r.timestamp_ms });
            try std.json.Stringify.encodeJsonString(r.target, .{}, w);
            try w.writeAll(",\"message\":");
            try std.json.Stringify.encodeJsonString(r.message, .{}, w);
            // Core gives fields as JSON text; pass it through only if it is valid JSON so one
            // malformed or truncated record cannot corrupt the batch.
            try w.writeAll(",\"fields\":");
            if (r.fields.len > 0 and std.json.validate(mem.allocator, r.fields) catch false) {
                try w.writeAll(r.fields);
            } else {
                try w.writeAll("{}");
            }
            try w.writeByte('}');
        }
        try w.writeAll("]}");
    }

    pub fn deinit(self: *Queue) void {
        for (0..self.len) |i| self.ring[(self.head + i) % capacity].deinit();
        self.len = 0;
    }
};

// ---------------------------------------------------------------------------- tests

const testing = std.testing;

test "records come out as one JSON batch, in order" {
    mem.allocator = testing.allocator;
    defer mem.allocator = std.heap.c_allocator;
    const q = try testing.allocator.create(Queue);
    defer testing.allocator.destroy(q);
    q.* = .{};
    defer q.deinit();
    try testing.expect(q.push(.info, 1700, "temporal_sdk_core::worker", "polling \"started\"", "{\"task_queue\":\"q\"}"));
    try testing.expect(q.push(.warn, 1701, "t", "second", "not json"));
    const json = try q.takeJson();
    defer testing.allocator.free(json);
    const parsed = try std.json.parseFromSlice(std.json.Value, testing.allocator, json, .{});
    defer parsed.deinit();
    const logs = parsed.value.object.get("logs").?.array;
    try testing.expectEqual(@as(usize, 2), logs.items.len);
    try testing.expectEqualStrings("polling \"started\"", logs.items[0].object.get("message").?.string);
    try testing.expectEqualStrings("q", logs.items[0].object.get("fields").?.object.get("task_queue").?.string);
    try testing.expectEqualStrings("warn", logs.items[1].object.get("level").?.string);
    try testing.expectEqual(@as(usize, 0), logs.items[1].object.get("fields").?.object.count());
    try testing.expectEqual(@as(u32, 0), q.depth());
    try testing.expect(q.isIdle());
}

test "a full queue drops and counts, never grows" {
    mem.allocator = testing.allocator;
    defer mem.allocator = std.heap.c_allocator;
    const q = try testing.allocator.create(Queue);
    defer testing.allocator.destroy(q);
    q.* = .{};
    defer q.deinit();
    for (0..capacity + 10) |i| _ = q.push(.debug, i, "t", "m", "");
    try testing.expectEqual(capacity, q.depth());
    const json = try q.takeJson();
    defer testing.allocator.free(json);
    try testing.expect(std.mem.startsWith(u8, json, "{\"dropped\":10,"));
    // The dropped count is reported once.
    const again = try q.takeJson();
    defer testing.allocator.free(again);
    try testing.expectEqualStrings("{\"dropped\":0,\"logs\":[]}", again);
}

fn logStorm(q: *Queue) void {
    for (0..5000) |i| _ = q.push(.info, i, "storm", "message body", "{}");
}

test "stress: concurrent producers while draining; every record is delivered or counted" {
    mem.allocator = testing.allocator;
    defer mem.allocator = std.heap.c_allocator;
    const q = try testing.allocator.create(Queue);
    defer testing.allocator.destroy(q);
    q.* = .{};
    defer q.deinit();
    var threads: [4]std.Thread = undefined;
    for (&threads) |*t| t.* = try std.Thread.spawn(.{}, logStorm, .{q});
    var delivered: u64 = 0;
    var dropped: u64 = 0;
    var done = false;
    while (!done) {
        done = true;
        const json = try q.takeJson();
        defer testing.allocator.free(json);
        const parsed = try std.json.parseFromSlice(std.json.Value, testing.allocator, json, .{});
        defer parsed.deinit();
        delivered += parsed.value.object.get("logs").?.array.items.len;
        dropped += @intCast(parsed.value.object.get("dropped").?.integer);
        if (delivered + dropped < 4 * 5000) done = false;
    }
    for (threads) |t| t.join();
    try testing.expectEqual(@as(u64, 4 * 5000), delivered + dropped);
}
