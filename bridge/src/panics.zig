//! Panics inside core: turned into errors for every call they would leave hanging.
//!
//! Core runs each asynchronous call as a tokio task. A panic in that task, or in a core task
//! the call waits on (a poller, the replayer's history feeder), is caught by tokio and the
//! task dies, so core never calls our callback back and the pending call would stay pending
//! forever. Our Rust crate (bridge/core/bun-core) installs a panic hook that calls
//! `temporal_bun_core_panicked` on the panicking thread before unwinding. We then:
//!
//! 1. fail every call still pending, whatever object it belongs to, with `core_panic`: we
//!    cannot tell which call the dead task served, and a call that would never complete is
//!    worse than one that fails and can be retried. A late real completion of such a call
//!    is freed on arrival (pending.zig, `abandoned`);
//! 2. refuse further calls on every worker that existed at the time (worker.zig): one of
//!    its internal tasks may be dead, so its next poll could wait forever. Initiate
//!    shutdown and free still work. Workers created afterwards, clients and runtimes stay
//!    usable;
//! 3. queue an error log record, so the runtime's logger reports the panic.
//!
//! A panic on the calling thread inside a synchronous core export cannot become an error:
//! unwinding out of an `extern "C"` function aborts the process (Rust's rule). The hook still
//! runs first and the message reaches stderr.
const std = @import("std");
const global = @import("global.zig");
const handles = @import("handles.zig");
const pending = @import("pending.zig");
const errors = @import("errors.zig");
const mem = @import("mem.zig");
const core = @import("core.zig");

/// Panics seen since the library was loaded.
pub var count: std.atomic.Value(u64) = .init(0);

/// Calls failed because of a panic (for tests and docs/reliability.md).
pub var failed_calls: std.atomic.Value(u64) = .init(0);

const message_capacity = 900;
var message_mutex: std.Thread.Mutex = .{};
var message_buf: [message_capacity]u8 = undefined;
var message_len: usize = 0;

/// Copies the last panic message into `buf` (truncated to its length).
pub fn lastMessage(buf: []u8) []const u8 {
    message_mutex.lock();
    defer message_mutex.unlock();
    const n = @min(buf.len, message_len);
    @memcpy(buf[0..n], message_buf[0..n]);
    return buf[0..n];
}

fn remember(message: []const u8) void {
    message_mutex.lock();
    defer message_mutex.unlock();
    const n = @min(message.len, message_capacity);
    @memcpy(message_buf[0..n], message[0..n]);
    message_len = n;
}

extern fn temporal_bun_core_install_panic_hook() void;

/// Installs the Rust panic hook (once per process; later calls do nothing). Called before
/// the first runtime is created, so no core task runs without it.
pub fn install() void {
    temporal_bun_core_install_panic_hook();
}

/// Called by the Rust panic hook (bridge/core/bun-core/src/lib.rs) on any thread.
export fn temporal_bun_core_panicked(ptr: ?[*]const u8, len: usize) callconv(.c) void {
    var short_buf: [message_capacity]u8 = undefined;
    const message = shorten(if (ptr) |p| p[0..len] else "", &short_buf);
    // Objects released here are destroyed later on the JS thread, never on this core thread
    // in the middle of a panic (see global.deferIfOnCoreThread).
    const was_in_callback = core.in_core_callback;
    core.in_core_callback = true;
    defer core.in_core_callback = was_in_callback;
    remember(message);
    // Counted before failing the calls: a worker call started from now on is refused.
    _ = count.fetchAdd(1, .acq_rel);
    const now: u64 = @intCast(@max(0, std.time.milliTimestamp()));
    var log_buf: [message_capacity + 200]u8 = undefined;
    const log_message = std.fmt.bufPrint(&log_buf, "Rust panic inside core: {s}. Every call pending now fails with core_panic; the workers that existed are unusable (free them)", .{message}) catch message;
    _ = global.logs.push(.@"error", now, "temporal_bun_bridge::panic", log_message, "");
    failPending(message);
}

/// Drops the backtrace anyhow errors carry in their text ("…\n\nStack backtrace:\n …"), keeping
/// the hook's location suffix " (at file:line, thread '…')": the message goes into errors.
fn shorten(message: []const u8, buf: []u8) []const u8 {
    const cut = std.mem.indexOf(u8, message, "\n\nStack backtrace:") orelse return message;
    const at = std.mem.lastIndexOf(u8, message, " (at ") orelse return message[0..cut];
    if (at < cut) return message[0..cut];
    return std.fmt.bufPrint(buf, "{s}{s}", .{ message[0..cut], message[at..] }) catch message[0..cut];
}

/// Fails every pending handle still waiting for core.
pub fn failPending(message: []const u8) void {
    const live = global.table.retainLive(.pending, mem.allocator) catch {
        // Out of memory listing them: nothing more can be done safely here.
        return;
    };
    defer mem.allocator.free(live);
    for (live) |header| {
        const p: *pending.Pending = @fieldParentPtr("header", header);
        const failure = pending.Failure.format(.core_panic, "core panicked while this call was pending (it would never have completed): {s}", .{message});
        if (p.abandon(failure)) _ = failed_calls.fetchAdd(1, .monotonic);
        header.release();
    }
}

/// The error of a worker call refused because core panicked after the worker was created.
pub fn refuse(what: []const u8) i64 {
    var buf: [message_capacity]u8 = undefined;
    const message = lastMessage(&buf);
    return errors.fail(.core_panic, "core panicked after this worker was created, so it may have lost internal tasks; it cannot be used any more (not {s}): free it and create a new worker. The panic: {s}", .{ what, message });
}
