//! Process-wide bridge state: the handle table, the completion queue with its wake pipe,
//! and the core log queue. Initialised once, on first use, and never torn down (the
//! library lives as long as the process).
const std = @import("std");
const handles = @import("handles.zig");
const completions = @import("completions.zig");
const log_queue = @import("log_queue.zig");
const mem = @import("mem.zig");
const core = @import("core.zig");

pub var table: handles.Table = .{};
pub var logs: log_queue.Queue = .{};
var queue_storage: completions.Queue = undefined;
var init_error: ?anyerror = null;
var once = std.once(initOnce);

fn initOnce() void {
    queue_storage = completions.Queue.init(mem.allocator) catch |err| {
        init_error = err;
        return;
    };
    queue_storage.is_live = isLivePending;
}

fn isLivePending(id: u64) bool {
    return table.isLive(id, .pending);
}

/// The completion queue, or the reason it could not be created (no fds, no memory).
pub fn queue() !*completions.Queue {
    once.call();
    if (init_error) |err| return err;
    return &queue_storage;
}

/// Registers an object and returns its id; on failure the object is released (destroyed).
pub fn register(header: *handles.Header) error{Capacity}!u64 {
    return table.insert(header) catch |err| {
        header.release();
        return err;
    };
}

/// Destroys objects that were released on a core thread (see core.in_core_callback).
pub fn reap() void {
    const q = queue() catch return;
    var next = q.takeReap();
    while (next) |header| {
        next = header.next_reap;
        header.next_reap = null;
        header.destroy_fn(header);
    }
}

/// For destroy functions of objects that call into core: run now on the JS thread, or
/// hand to the JS thread when released on a core thread. Returns true if deferred.
pub fn deferIfOnCoreThread(header: *handles.Header) bool {
    if (!core.in_core_callback) return false;
    const q = queue() catch return false; // no queue means no core callbacks ever ran
    q.pushReap(header);
    return true;
}
