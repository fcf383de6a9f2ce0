//! The allocator every bridge object uses. The shared library uses libc's malloc
//! (thread-safe, and what core's callbacks run beside); unit tests swap in
//! std.testing.allocator so that every test doubles as a leak check.
const std = @import("std");

pub var allocator: std.mem.Allocator = std.heap.c_allocator;

/// Copies `bytes` into a fresh allocation; the empty slice needs no allocation.
pub fn dupe(bytes: []const u8) error{OutOfMemory}![]u8 {
    if (bytes.len == 0) return &[_]u8{};
    return allocator.dupe(u8, bytes);
}

pub fn free(bytes: []const u8) void {
    if (bytes.len == 0) return;
    allocator.free(bytes);
}
