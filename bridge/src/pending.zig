//! Pending handles: how an asynchronous core call is represented to TypeScript.
//!
//! State machine (every transition asserted):
//!
//!     pending ──complete──▶ ready | failed | shutdown ──consume──▶ consumed
//!
//! `complete` runs once, on whatever thread core calls back on. `consume` runs on the JS
//! thread and moves the outcome out exactly once. `detach` (the free export) is legal in
//! every state: on a pending handle it marks the handle detached and cancels the call
//! where core supports it, and the late completion then frees its outcome on arrival.
//!
//! References: the handle table holds one, the in-flight core call holds one. Whichever
//! side lets go last destroys the pending handle, so a free racing a completion is safe.
const std = @import("std");
const errors = @import("errors.zig");
const handles = @import("handles.zig");
const completions = @import("completions.zig");
const mem = @import("mem.zig");

pub const State = enum(u8) {
    pending = 0,
    ready = 1,
    failed = 2,
    shutdown = 3,
    consumed = 4,
};

/// A byte buffer produced by core or by the bridge, with the function that frees it.
pub const Bytes = struct {
    ptr: [*]const u8,
    len: usize,
    ctx: ?*anyopaque,
    free_fn: *const fn (ctx: ?*anyopaque, ptr: [*]const u8, len: usize) void,

    pub fn slice(self: Bytes) []const u8 {
        return self.ptr[0..self.len];
    }

    pub fn deinit(self: Bytes) void {
        self.free_fn(self.ctx, self.ptr, self.len);
    }

    fn freeOwned(_: ?*anyopaque, ptr: [*]const u8, len: usize) void {
        mem.free(ptr[0..len]);
    }

    /// Bytes allocated with mem.allocator (the empty slice is allowed).
    pub fn owned(bytes: []const u8) Bytes {
        return .{ .ptr = bytes.ptr, .len = bytes.len, .ctx = null, .free_fn = freeOwned };
    }
};

pub const Failure = struct {
    code: errors.Code,
    /// Owned (mem.allocator).
    message: []const u8,
    /// gRPC status code for `.rpc` failures, 0 otherwise.
    status: u32 = 0,
    /// Owned; serialized google.rpc.Status for `.rpc` failures when core provides it.
    details: []const u8 = &.{},

    pub fn deinit(self: Failure) void {
        mem.free(self.message);
        mem.free(self.details);
    }

    /// Builds a failure with a formatted message. On allocation failure the message is
    /// empty and the code still reaches TypeScript.
    pub fn format(code: errors.Code, comptime fmt: []const u8, args: anytype) Failure {
        const message = std.fmt.allocPrint(mem.allocator, fmt, args) catch "";
        return .{ .code = code, .message = message };
    }
};

pub const Outcome = union(enum) {
    /// Success with no payload (e.g. a completion accepted by core).
    none,
    bytes: Bytes,
    /// Success producing a new native object; the outcome owns one reference.
    object: *handles.Header,
    failure: Failure,
    /// A worker poll ended because the worker is shutting down.
    shutdown,

    pub fn deinit(self: Outcome) void {
        switch (self) {
            .none, .shutdown => {},
            .bytes => |b| b.deinit(),
            .object => |h| h.release(),
            .failure => |f| f.deinit(),
        }
    }

    fn state(self: Outcome) State {
        return switch (self) {
            .none, .bytes, .object => .ready,
            .failure => .failed,
            .shutdown => .shutdown,
        };
    }
};

/// Operation-specific context: owned copies of inputs, references to the parent objects
/// the call uses, a cancellation token. Freed when the pending handle is destroyed.
pub const Context = struct {
    ptr: *anyopaque,
    deinit_fn: *const fn (*anyopaque) void,
    /// Asks core to abandon the call (RPC cancellation). Optional.
    cancel_fn: ?*const fn (*anyopaque) void = null,
};

pub var live_count: std.atomic.Value(i64) = .init(0);
pub var created_total: std.atomic.Value(u64) = .init(0);

pub const Pending = struct {
    header: handles.Header,
    mutex: std.Thread.Mutex = .{},
    state: State = .pending,
    outcome: Outcome = .none,
    detached: bool = false,
    /// Failed by the bridge (a core panic, panics.zig) before core called back. The in-flight
    /// reference is kept for the late callback, if it ever comes, which frees its outcome.
    abandoned: bool = false,
    /// Fixed at registration, read by the completing thread (header.id is cleared on free).
    queue_id: u64 = 0,
    queue: *completions.Queue,
    context: ?Context = null,

    /// Starts with two references: the table's and the in-flight call's.
    pub fn create(queue: *completions.Queue) error{OutOfMemory}!*Pending {
        const self = try mem.allocator.create(Pending);
        self.* = .{ .header = .{ .kind = .pending, .destroy_fn = destroy, .refs = .init(2) }, .queue = queue };
        _ = live_count.fetchAdd(1, .monotonic);
        _ = created_total.fetchAdd(1, .monotonic);
        return self;
    }

    /// Creates an already-completed handle (for calls that finish synchronously) with only
    /// the table's reference.
    pub fn createCompleted(queue: *completions.Queue, outcome: Outcome) error{OutOfMemory}!*Pending {
        const self = try create(queue);
        self.header.refs.store(1, .monotonic);
        self.state = outcome.state();
        self.outcome = outcome;
        return self;
    }

    fn destroy(header: *handles.Header) void {
        const self: *Pending = @fieldParentPtr("header", header);
        std.debug.assert(self.state != .pending or self.detached);
        switch (self.state) {
            .ready, .failed, .shutdown => self.outcome.deinit(),
            .pending, .consumed => {},
        }
        if (self.context) |ctx| ctx.deinit_fn(ctx.ptr);
        _ = live_count.fetchSub(1, .monotonic);
        mem.allocator.destroy(self);
    }

    /// Any thread, exactly once per asynchronous call. Consumes the in-flight reference.
    pub fn complete(self: *Pending, outcome: Outcome) void {
        var push_id: u64 = 0;
        blk: {
            self.mutex.lock();
            defer self.mutex.unlock();
            if (self.abandoned) {
                // Already failed for a panic; its outcome was delivered (or freed) then.
                outcome.deinit();
                push_id = 0;
                break :blk;
            }
            std.debug.assert(self.state == .pending); // completed twice: a core or bridge bug
            std.debug.assert(self.queue_id != 0 or self.detached);
            if (self.detached) {
                // Nobody will consume it: free now rather than at destruction.
                outcome.deinit();
                self.state = .consumed;
            } else {
                self.outcome = outcome;
                self.state = outcome.state();
                push_id = self.queue_id;
            }
        }
        if (push_id != 0) self.queue.push(push_id);
        self.header.release();
    }

    /// Fails a call core will never complete (panics.zig), on any thread. Returns false (and
    /// frees `failure`) when the call is not pending any more or nobody waits for it. Keeps the
    /// in-flight reference: a late callback still finds the handle and frees its outcome.
    pub fn abandon(self: *Pending, failure: Failure) bool {
        var push_id: u64 = 0;
        {
            self.mutex.lock();
            defer self.mutex.unlock();
            if (self.state != .pending or self.abandoned) {
                failure.deinit();
                return false;
            }
            self.abandoned = true;
            if (self.detached) {
                failure.deinit();
                self.state = .consumed;
            } else {
                self.outcome = .{ .failure = failure };
                self.state = .failed;
                push_id = self.queue_id;
            }
        }
        if (push_id != 0) self.queue.push(push_id);
        return push_id != 0;
    }

    pub fn poll(self: *Pending) State {
        self.mutex.lock();
        defer self.mutex.unlock();
        return self.state;
    }

    pub const ConsumeError = error{ StillPending, AlreadyConsumed };

    /// JS thread: moves the outcome out, exactly once.
    pub fn consume(self: *Pending) ConsumeError!Outcome {
        self.mutex.lock();
        defer self.mutex.unlock();
        switch (self.state) {
            .pending => return error.StillPending,
            .consumed => return error.AlreadyConsumed,
            .ready, .failed, .shutdown => {
                const outcome = self.outcome;
                self.outcome = .none;
                self.state = .consumed;
                return outcome;
            },
        }
    }

    /// The free export, after the id was removed from the table: cancels a call still in
    /// flight, frees an outcome nobody consumed, then drops the table's reference.
    pub fn detach(self: *Pending) void {
        var cancel: ?Context = null;
        {
            self.mutex.lock();
            defer self.mutex.unlock();
            std.debug.assert(!self.detached);
            self.detached = true;
            switch (self.state) {
                .pending => cancel = self.context,
                .ready, .failed, .shutdown => {
                    self.outcome.deinit();
                    self.outcome = .none;
                    self.state = .consumed;
                },
                .consumed => {},
            }
        }
        // Outside the lock: core may complete the call synchronously from inside cancel.
        if (cancel) |ctx| if (ctx.cancel_fn) |f| f(ctx.ptr);
        self.header.release();
    }
};

// ---------------------------------------------------------------------------- tests

const testing = std.testing;

const TestEnv = struct {
    queue: completions.Queue,
    table: *handles.Table,

    fn init() !TestEnv {
        mem.allocator = testing.allocator;
        const table = try testing.allocator.create(handles.Table);
        table.* = .{};
        return .{ .queue = try completions.Queue.init(testing.allocator), .table = table };
    }

    fn deinit(self: *TestEnv) void {
        self.queue.deinit(testing.allocator);
        testing.allocator.destroy(self.table);
        mem.allocator = std.heap.c_allocator;
    }

    fn register(self: *TestEnv, p: *Pending) !u64 {
        const id = try self.table.insert(&p.header);
        p.queue_id = id;
        return id;
    }
};

fn ownedBytes(text: []const u8) !Bytes {
    return Bytes.owned(try mem.dupe(text));
}

test "ready round trip: complete, poll, consume once, free" {
    var env = try TestEnv.init();
    defer env.deinit();
    const before = live_count.load(.monotonic);
    const p = try Pending.create(&env.queue);
    const id = try env.register(p);
    try testing.expectEqual(State.pending, p.poll());
    try testing.expectError(error.StillPending, p.consume());
    p.complete(.{ .bytes = try ownedBytes("result") });
    try testing.expectEqual(State.ready, p.poll());
    var out: [4]u64 = undefined;
    try testing.expectEqual(@as(u32, 1), env.queue.drain(&out));
    try testing.expectEqual(id, out[0]);
    const outcome = try p.consume();
    try testing.expectEqualStrings("result", outcome.bytes.slice());
    outcome.deinit();
    try testing.expectError(error.AlreadyConsumed, p.consume());
    (try env.table.remove(id, .pending)).release(); // what the free export does minus detach
    try testing.expectEqual(before, live_count.load(.monotonic));
}

test "failed and shutdown outcomes set their states" {
    var env = try TestEnv.init();
    defer env.deinit();
    const p = try Pending.create(&env.queue);
    const id = try env.register(p);
    p.complete(.{ .failure = Failure.format(.rpc, "status {d}", .{14}) });
    try testing.expectEqual(State.failed, p.poll());
    const p2 = try Pending.create(&env.queue);
    const id2 = try env.register(p2);
    p2.complete(.shutdown);
    try testing.expectEqual(State.shutdown, p2.poll());
    // Freed without consuming: outcomes are released by detach (leak check covers it).
    const h = try env.table.remove(id, .pending);
    @as(*Pending, @fieldParentPtr("header", h)).detach();
    const h2 = try env.table.remove(id2, .pending);
    @as(*Pending, @fieldParentPtr("header", h2)).detach();
}

test "abandon (core panic): the waiter gets the failure at once, a late completion is freed on arrival" {
    var env = try TestEnv.init();
    defer env.deinit();
    const before = live_count.load(.monotonic);
    const p = try Pending.create(&env.queue);
    const id = try env.register(p);
    // What panics.zig does: every live pending handle, retained while it is failed.
    const live = try env.table.retainLive(.pending, testing.allocator);
    defer testing.allocator.free(live);
    try testing.expectEqual(@as(usize, 1), live.len);
    try testing.expect(p.abandon(Failure.format(.core_panic, "core panicked: {s}", .{"boom"})));
    try testing.expect(!p.abandon(Failure.format(.core_panic, "again", .{}))); // once only
    for (live) |h| h.release();
    try testing.expectEqual(State.failed, p.poll());
    var out: [4]u64 = undefined;
    try testing.expectEqual(@as(u32, 1), env.queue.drain(&out));
    try testing.expectEqual(id, out[0]);
    const outcome = try p.consume();
    try testing.expectEqual(errors.Code.core_panic, outcome.failure.code);
    try testing.expectEqualStrings("core panicked: boom", outcome.failure.message);
    outcome.deinit();
    // The handle is freed by JS; core's callback arrives late after all: no double
    // completion, its outcome freed (the leak check covers it), the last reference dropped.
    const h = try env.table.remove(id, .pending);
    @as(*Pending, @fieldParentPtr("header", h)).detach();
    p.complete(.{ .bytes = try ownedBytes("late") });
    try testing.expectEqual(before, live_count.load(.monotonic));
    try testing.expectEqual(@as(u32, 0), env.queue.drain(&out));
}

test "abandon skips handles that completed or were freed" {
    var env = try TestEnv.init();
    defer env.deinit();
    const p = try Pending.create(&env.queue);
    const id = try env.register(p);
    p.complete(.none);
    try testing.expect(!p.abandon(Failure.format(.core_panic, "x", .{})));
    try testing.expectEqual(State.ready, p.poll());
    const h = try env.table.remove(id, .pending);
    @as(*Pending, @fieldParentPtr("header", h)).detach();
}

const CancelCtx = struct {
    cancelled: bool = false,
    deinited: bool = false,
    fn cancel(ptr: *anyopaque) void {
        const self: *CancelCtx = @ptrCast(@alignCast(ptr));
        self.cancelled = true;
    }
    fn deinit(ptr: *anyopaque) void {
        const self: *CancelCtx = @ptrCast(@alignCast(ptr));
        self.deinited = true;
    }
};

test "free while pending cancels, and the late completion frees its outcome" {
    var env = try TestEnv.init();
    defer env.deinit();
    var ctx = CancelCtx{};
    const p = try Pending.create(&env.queue);
    p.context = .{ .ptr = &ctx, .deinit_fn = CancelCtx.deinit, .cancel_fn = CancelCtx.cancel };
    const id = try env.register(p);
    const h = try env.table.remove(id, .pending);
    @as(*Pending, @fieldParentPtr("header", h)).detach();
    try testing.expect(ctx.cancelled);
    try testing.expect(!ctx.deinited); // the call still holds its reference
    p.complete(.{ .bytes = try ownedBytes("late") });
    try testing.expect(ctx.deinited);
    var out: [4]u64 = undefined;
    try testing.expectEqual(@as(u32, 0), env.queue.drain(&out)); // detached: not queued
}

const StressShared = struct {
    pendings: []*Pending,
    next: std.atomic.Value(usize) = .init(0),
};

fn completer(shared: *StressShared) void {
    while (true) {
        const i = shared.next.fetchAdd(1, .monotonic);
        if (i >= shared.pendings.len) return;
        const p = shared.pendings[i];
        if (i % 3 == 0) {
            p.complete(.{ .failure = Failure.format(.core, "failure {d}", .{i}) });
        } else {
            const bytes = mem.dupe("payload") catch unreachable;
            p.complete(.{ .bytes = Bytes.owned(bytes) });
        }
    }
}

test "stress: 8 threads complete 40k handles while the main thread polls, consumes and frees" {
    var env = try TestEnv.init();
    defer env.deinit();
    const before = live_count.load(.monotonic);
    const n = 40_000;
    const pendings = try testing.allocator.alloc(*Pending, n);
    defer testing.allocator.free(pendings);
    const ids = try testing.allocator.alloc(u64, n);
    defer testing.allocator.free(ids);
    for (pendings, ids) |*p, *id| {
        p.* = try Pending.create(&env.queue);
        id.* = try env.register(p.*);
    }
    var shared = StressShared{ .pendings = pendings };
    var threads: [8]std.Thread = undefined;
    for (&threads) |*t| t.* = try std.Thread.spawn(.{}, completer, .{&shared});

    // Free every 4th handle right away, racing its completion; consume the rest as they
    // arrive through the completion queue.
    var freed: usize = 0;
    for (ids, 0..) |id, i| {
        if (i % 4 == 0) {
            const h = try env.table.remove(id, .pending);
            @as(*Pending, @fieldParentPtr("header", h)).detach();
            freed += 1;
        }
    }
    var consumed: usize = 0;
    var out: [512]u64 = undefined;
    var spins: usize = 0;
    while (consumed + freed < n) : (spins += 1) {
        try testing.expect(spins < 10_000_000);
        const got = env.queue.drain(&out);
        for (out[0..got]) |id| {
            const h = env.table.acquire(id, .pending) catch continue; // freed above: stale id
            const p: *Pending = @fieldParentPtr("header", h);
            const outcome = try p.consume();
            switch (outcome) {
                .bytes => |b| try testing.expectEqualStrings("payload", b.slice()),
                .failure => |f| try testing.expect(std.mem.startsWith(u8, f.message, "failure ")),
                else => return error.UnexpectedOutcome,
            }
            outcome.deinit();
            h.release();
            const removed = try env.table.remove(id, .pending);
            @as(*Pending, @fieldParentPtr("header", removed)).detach();
            consumed += 1;
        }
        if (got == 0) std.Thread.yield() catch {};
    }
    for (threads) |t| t.join();
    try testing.expectEqual(before, live_count.load(.monotonic));
    try testing.expectEqual(@as(u32, 0), env.table.live(.pending));
}
