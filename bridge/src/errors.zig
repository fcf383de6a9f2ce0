//! Error codes shared with TypeScript (src/bridge/errors.ts mirrors them) and the
//! per-thread "last error" message of synchronous exports.
//!
//! Synchronous exports return a negative `Code` on failure and leave a message in a
//! thread-local buffer that TypeScript reads right after the call. A fixed buffer keeps
//! the error path allocation-free (it must work when allocation itself failed).
const std = @import("std");

pub const Code = enum(i32) {
    ok = 0,
    /// A null pointer, a zero length where bytes are required, an out-of-range enum.
    invalid_argument = -1,
    /// The handle id is unknown: never issued, already freed, or forged.
    invalid_handle = -2,
    /// The handle id is live but names another kind of object (a client where a worker was expected).
    wrong_kind = -3,
    /// The options buffer is not valid JSON of the documented shape.
    malformed_options = -4,
    /// The call is not allowed in the object's current state (consume of a pending handle, double consume).
    invalid_state = -5,
    /// Core reported a failure; the message is core's.
    core = -6,
    /// A gRPC call failed; status code and details are in the error record.
    rpc = -7,
    out_of_memory = -8,
    /// A bounded table or queue is full.
    capacity = -9,
    /// The operation was cancelled before it completed.
    cancelled = -10,
    /// A worker poll ended because the worker is shutting down.
    shutdown = -11,
    /// Operating system call failed (pipe creation, thread spawn).
    system = -12,
    /// Core panicked (a bug in core): the call would never have completed, or the worker may
    /// have lost internal tasks (bridge/src/panics.zig).
    core_panic = -13,
};

const message_capacity = 1024;

threadlocal var last_message_buf: [message_capacity]u8 = undefined;
threadlocal var last_message_len: usize = 0;
threadlocal var last_code: Code = .ok;

/// Records `code` with a formatted message for the calling thread and returns the code
/// as the export's return value. Messages longer than the buffer are truncated with "...".
pub fn fail(code: Code, comptime fmt: []const u8, args: anytype) i64 {
    std.debug.assert(code != .ok);
    last_code = code;
    const written = std.fmt.bufPrint(&last_message_buf, fmt, args) catch blk: {
        const ellipsis = "...";
        @memcpy(last_message_buf[message_capacity - ellipsis.len ..], ellipsis);
        break :blk last_message_buf[0..];
    };
    last_message_len = written.len;
    return @intFromEnum(code);
}

pub fn lastMessage() []const u8 {
    return last_message_buf[0..last_message_len];
}

/// The thread's last error code as an export's return value (after a helper called `fail`).
pub fn lastCodeValue() i64 {
    std.debug.assert(last_code != .ok);
    return @intFromEnum(last_code);
}

pub fn lastCode() Code {
    return last_code;
}

pub fn clear() void {
    last_code = .ok;
    last_message_len = 0;
}

test "fail records code and message; long messages are truncated" {
    const rc = fail(.invalid_handle, "handle {d} is not live", .{42});
    try std.testing.expectEqual(@as(i64, -2), rc);
    try std.testing.expectEqualStrings("handle 42 is not live", lastMessage());
    try std.testing.expectEqual(Code.invalid_handle, lastCode());

    const long = "x" ** 2000;
    _ = fail(.core, "{s}", .{long});
    try std.testing.expectEqual(@as(usize, message_capacity), lastMessage().len);
    try std.testing.expect(std.mem.endsWith(u8, lastMessage(), "..."));
    clear();
    try std.testing.expectEqual(@as(usize, 0), lastMessage().len);
}
