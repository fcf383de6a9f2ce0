//! Exports over pending handles: poll, consume, cancel, free, and the drain call the JS
//! thread makes when the wake pipe fires.
const std = @import("std");
const handles = @import("handles.zig");
const global = @import("global.zig");
const pending = @import("pending.zig");
const buffers = @import("buffers.zig");
const errors = @import("errors.zig");
const mem = @import("mem.zig");

/// What `consume` writes to out[0].
pub const ResultKind = enum(u64) { none = 0, bytes = 1, object = 2, failure = 3, shutdown = 4 };

/// Creates a pending handle for an asynchronous call and registers it. The caller then
/// sets `context` and starts the core call with the pending pointer as user data.
pub fn begin() !*pending.Pending {
    const q = global.queue() catch return error.System;
    const p = try pending.Pending.create(q);
    const id = global.table.insert(&p.header) catch |err| {
        // Never started: drop both references (the in-flight one first).
        p.header.refs.store(1, .monotonic);
        p.detached = true;
        p.header.release();
        return err;
    };
    p.queue_id = id;
    return p;
}

pub fn beginFailed(err: anyerror, what: []const u8) i64 {
    return switch (err) {
        error.OutOfMemory => errors.fail(.out_of_memory, "out of memory starting {s}", .{what}),
        error.Capacity => errors.fail(.capacity, "handle table is full ({d} live handles): free handles you no longer need", .{handles.capacity}),
        else => errors.fail(.system, "cannot start {s}: {s}", .{ what, @errorName(err) }),
    };
}

/// Registers a handle that is already complete (synchronous failure after validation).
pub fn completed(outcome: pending.Outcome) i64 {
    const q = global.queue() catch |err| {
        outcome.deinit();
        return beginFailed(err, "call");
    };
    const p = pending.Pending.createCompleted(q, outcome) catch |err| {
        outcome.deinit();
        return beginFailed(err, "call");
    };
    const id = global.register(&p.header) catch |err| return beginFailed(err, "call");
    p.queue_id = id;
    q.push(id);
    return @intCast(id);
}

fn acquire(id: u64) handles.LookupError!*pending.Pending {
    const h = try global.table.acquire(id, .pending);
    return @fieldParentPtr("header", h);
}

pub fn poll(id: u64) i64 {
    const p = acquire(id) catch |err| return handles.lookupFailed(err, id, .pending);
    defer p.header.release();
    return @intFromEnum(p.poll());
}

fn errorJson(f: pending.Failure) error{OutOfMemory}![]u8 {
    var out: std.Io.Writer.Allocating = .init(mem.allocator);
    errdefer out.deinit();
    const w = &out.writer;
    (blk: {
        w.print("{{\"code\":{d},\"codeName\":\"{s}\",\"status\":{d},\"message\":", .{ @intFromEnum(f.code), @tagName(f.code), f.status }) catch |e| break :blk e;
        std.json.Stringify.encodeJsonString(f.message, .{}, w) catch |e| break :blk e;
        w.writeAll(",\"details\":\"") catch |e| break :blk e;
        std.base64.standard.Encoder.encodeWriter(w, f.details) catch |e| break :blk e;
        w.writeAll("\"}") catch |e| break :blk e;
    }) catch return error.OutOfMemory;
    return out.toOwnedSlice();
}

/// Moves the outcome of a completed handle out, exactly once.
/// out[0] = ResultKind, out[1] = buffer or object id, out[2] = data pointer, out[3] = length.
/// Returns the handle's state before consumption (1 ready, 2 failed, 3 shutdown) or a
/// negative error code. A failed handle yields a buffer with the error as JSON
/// `{"code","codeName","status","message","details"(base64 google.rpc.Status)}`.
pub fn consume(id: u64, out: ?*[4]u64) i64 {
    const dst = out orelse return errors.fail(.invalid_argument, "consume: the output array is null", .{});
    dst.* = .{ 0, 0, 0, 0 };
    const p = acquire(id) catch |err| return handles.lookupFailed(err, id, .pending);
    defer p.header.release();
    const outcome = p.consume() catch |err| return switch (err) {
        error.StillPending => errors.fail(.invalid_state, "pending handle {d} has not completed yet", .{id}),
        error.AlreadyConsumed => errors.fail(.invalid_state, "pending handle {d} was already consumed", .{id}),
    };
    switch (outcome) {
        .none => {
            dst[0] = @intFromEnum(ResultKind.none);
            return @intFromEnum(pending.State.ready);
        },
        .shutdown => {
            dst[0] = @intFromEnum(ResultKind.shutdown);
            return @intFromEnum(pending.State.shutdown);
        },
        .bytes => |bytes| {
            const ptr = @intFromPtr(bytes.ptr);
            const len = bytes.len;
            const buffer_id = buffers.register(bytes) catch |err| return beginFailed(err, "result buffer");
            dst.* = .{ @intFromEnum(ResultKind.bytes), buffer_id, ptr, len };
            return @intFromEnum(pending.State.ready);
        },
        .object => |header| {
            const object_id = global.register(header) catch |err| return beginFailed(err, "result object");
            dst.* = .{ @intFromEnum(ResultKind.object), object_id, 0, 0 };
            return @intFromEnum(pending.State.ready);
        },
        .failure => |f| {
            defer f.deinit();
            const json = errorJson(f) catch return errors.fail(.out_of_memory, "out of memory reporting a failure: {s}", .{f.message});
            const buffer_id = buffers.register(pending.Bytes.owned(json)) catch |err| return beginFailed(err, "error buffer");
            dst.* = .{ @intFromEnum(ResultKind.failure), buffer_id, @intFromPtr(json.ptr), json.len };
            return @intFromEnum(pending.State.failed);
        },
    }
}

/// Requests cancellation of the call behind a pending handle (RPC calls support it; for
/// others it is a no-op). The handle still completes, typically as a cancelled failure.
pub fn cancel(id: u64) i64 {
    const p = acquire(id) catch |err| return handles.lookupFailed(err, id, .pending);
    defer p.header.release();
    const state = p.poll();
    if (state == .pending) if (p.context) |ctx| if (ctx.cancel_fn) |f| f(ctx.ptr);
    return 0;
}

pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .pending) catch |err| return handles.lookupFailed(err, id, .pending);
    const p: *pending.Pending = @fieldParentPtr("header", header);
    p.detach();
    return 0;
}

/// JS thread, after the wake pipe fired: destroys objects released on core threads, then
/// copies up to `cap` completed handle ids into `out`. Call until it returns 0.
pub fn drain(out: ?[*]u64, cap: u32) i64 {
    const dst = out orelse return errors.fail(.invalid_argument, "drain: the output array is null", .{});
    const q = global.queue() catch |err| return beginFailed(err, "drain");
    global.reap();
    return q.drain(dst[0..cap]);
}

pub fn wakeFd() i64 {
    const q = global.queue() catch |err| return beginFailed(err, "wake pipe");
    return q.wake_read_fd;
}
