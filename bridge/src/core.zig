//! The Rust core's C ABI (header from the pinned @temporalio/core-bridge package) and the
//! small conversions every concept file needs.
const std = @import("std");
const pending = @import("pending.zig");
const errors = @import("errors.zig");
const mem = @import("mem.zig");

pub const c = @cImport({
    @cInclude("temporal-sdk-core-c-bridge.h");
});

/// Set while a thread runs inside one of our core callbacks. Objects whose destruction
/// calls back into core (runtime, client, worker, server) must not be destroyed there:
/// core may be holding locks, and a tokio runtime cannot be dropped from its own threads.
pub threadlocal var in_core_callback: bool = false;

pub fn ref(bytes: []const u8) c.TemporalCoreByteArrayRef {
    return .{ .data = if (bytes.len == 0) null else bytes.ptr, .size = bytes.len };
}

pub const empty_ref: c.TemporalCoreByteArrayRef = .{ .data = null, .size = 0 };

pub fn slice(bytes: *const c.TemporalCoreByteArray) []const u8 {
    if (bytes.data == null or bytes.size == 0) return &.{};
    return bytes.data[0..bytes.size];
}

fn freeCoreBytes(ctx: ?*anyopaque, _: [*]const u8, _: usize) void {
    const array: *const c.TemporalCoreByteArray = @ptrCast(@alignCast(ctx.?));
    // A null runtime is what the core does with its own buffers (it keeps no pool), and it
    // makes this safe on any thread.
    c.temporal_core_byte_array_free(null, array);
    _ = live_core_arrays.fetchSub(1, .monotonic);
}

pub var live_core_arrays: std.atomic.Value(i64) = .init(0);

/// Takes ownership of a byte array core returned; freed exactly once by `Bytes.deinit`.
pub fn adopt(array: *const c.TemporalCoreByteArray) pending.Bytes {
    _ = live_core_arrays.fetchAdd(1, .monotonic);
    const data = slice(array);
    const empty: []const u8 = "";
    return .{ .ptr = if (data.len == 0) empty.ptr else data.ptr, .len = data.len, .ctx = @constCast(@ptrCast(array)), .free_fn = freeCoreBytes };
}

/// Frees a core byte array we only needed to read.
pub fn release(array: ?*const c.TemporalCoreByteArray) void {
    if (array) |a| c.temporal_core_byte_array_free(null, a);
}

/// Turns a core failure message into a pending failure and frees core's buffer.
pub fn failure(code: errors.Code, prefix: []const u8, array: *const c.TemporalCoreByteArray) pending.Failure {
    defer release(array);
    return pending.Failure.format(code, "{s}{s}", .{ prefix, slice(array) });
}

/// Copies a core failure message into the thread's last-error and frees core's buffer.
pub fn failSync(code: errors.Code, prefix: []const u8, array: *const c.TemporalCoreByteArray) i64 {
    defer release(array);
    return errors.fail(code, "{s}{s}", .{ prefix, slice(array) });
}

/// Owned storage for strings copied out of an options buffer, freed together.
pub const Strings = struct {
    arena: std.heap.ArenaAllocator,

    pub fn init() Strings {
        return .{ .arena = std.heap.ArenaAllocator.init(mem.allocator) };
    }

    pub fn deinit(self: *Strings) void {
        self.arena.deinit();
    }

    pub fn allocator(self: *Strings) std.mem.Allocator {
        return self.arena.allocator();
    }

    /// Core's metadata format: an array of `key\nvalue` refs.
    pub fn metadata(self: *Strings, map: ?std.json.ArrayHashMap([]const u8)) !c.TemporalCoreByteArrayRefArray {
        const m = map orelse return .{ .data = null, .size = 0 };
        const refs = try self.allocator().alloc(c.TemporalCoreByteArrayRef, m.map.count());
        var it = m.map.iterator();
        var i: usize = 0;
        while (it.next()) |entry| : (i += 1) {
            if (std.mem.indexOfScalar(u8, entry.key_ptr.*, '\n') != null) return error.NewlineInMetadataKey;
            const line = try std.fmt.allocPrint(self.allocator(), "{s}\n{s}", .{ entry.key_ptr.*, entry.value_ptr.* });
            refs[i] = ref(line);
        }
        return .{ .data = refs.ptr, .size = refs.len };
    }

    /// Core's newline-delimited map: `k1\nv1\nk2\nv2`.
    pub fn newlineMap(self: *Strings, map: ?std.json.ArrayHashMap([]const u8)) !c.TemporalCoreByteArrayRef {
        const m = map orelse return empty_ref;
        var out: std.ArrayList(u8) = .empty;
        var it = m.map.iterator();
        var first = true;
        while (it.next()) |entry| {
            if (!first) try out.append(self.allocator(), '\n');
            first = false;
            try out.appendSlice(self.allocator(), entry.key_ptr.*);
            try out.append(self.allocator(), '\n');
            try out.appendSlice(self.allocator(), entry.value_ptr.*);
        }
        return ref(out.items);
    }

    pub fn refArray(self: *Strings, items: []const []const u8) !c.TemporalCoreByteArrayRefArray {
        if (items.len == 0) return .{ .data = null, .size = 0 };
        const refs = try self.allocator().alloc(c.TemporalCoreByteArrayRef, items.len);
        for (items, refs) |item, *r| r.* = ref(item);
        return .{ .data = refs.ptr, .size = refs.len };
    }
};

/// Parses a JSON options buffer into `T` with allocations in `strings`. Unknown fields
/// are rejected so a misspelled option is an error, not silently ignored.
pub fn parseOptions(comptime T: type, strings: *Strings, bytes: []const u8) !T {
    return std.json.parseFromSliceLeaky(T, strings.allocator(), bytes, .{ .allocate = .alloc_always });
}

pub fn optionsFailed(err: anyerror, what: []const u8) i64 {
    return switch (err) {
        error.OutOfMemory => errors.fail(.out_of_memory, "out of memory while reading {s} options", .{what}),
        else => errors.fail(.malformed_options, "{s} options are malformed: {s} (the buffer must be the JSON documented in docs/ffi-surface.md)", .{ what, @errorName(err) }),
    };
}
