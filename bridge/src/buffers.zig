//! Owned byte buffers handed to TypeScript. TypeScript copies the bytes out (ptr + len
//! from the consume call) and frees the buffer exactly once by id; a second free is an
//! invalid-handle error, not a double free.
const std = @import("std");
const handles = @import("handles.zig");
const global = @import("global.zig");
const pending = @import("pending.zig");
const errors = @import("errors.zig");
const mem = @import("mem.zig");

pub var live_count: std.atomic.Value(i64) = .init(0);

pub const Buffer = struct {
    header: handles.Header,
    bytes: pending.Bytes,

    fn destroy(header: *handles.Header) void {
        const self: *Buffer = @fieldParentPtr("header", header);
        self.bytes.deinit();
        _ = live_count.fetchSub(1, .monotonic);
        mem.allocator.destroy(self);
    }
};

/// Registers `bytes` (taking ownership) and returns the buffer id.
pub fn register(bytes: pending.Bytes) error{ OutOfMemory, Capacity }!u64 {
    const self = mem.allocator.create(Buffer) catch |err| {
        bytes.deinit();
        return err;
    };
    self.* = .{ .header = .{ .kind = .buffer, .destroy_fn = Buffer.destroy }, .bytes = bytes };
    _ = live_count.fetchAdd(1, .monotonic);
    return global.register(&self.header);
}

pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .buffer) catch |err| return handles.lookupFailed(err, id, .buffer);
    header.release();
    return 0;
}
