//! Completion delivery to the JS thread: a bounded queue of completed pending-handle ids
//! plus a wake pipe.
//!
//! Core completes operations on its own (tokio) threads, where no JS may run. The
//! completing thread pushes the pending id here and, only when the queue goes from
//! "drained" to "has work", writes one byte to a pipe. The JS thread reads that pipe
//! through Bun's event loop (epoll), so it sleeps at zero cost when idle and wakes within
//! microseconds of a completion; it then drains every queued id in one call. One byte per
//! batch, not per completion, keeps syscalls off the hot path under load.
//!
//! The queue cannot overflow: every entry is a pending handle that completes exactly once,
//! and the handle table bounds the number of live pending handles, so the queue has the
//! table's capacity. Entries of handles freed before the JS thread drained them are stale;
//! if they ever fill the ring, `push` compacts it by dropping entries whose handle is no
//! longer live, which always makes room.
const std = @import("std");
const posix = std.posix;
const handles = @import("handles.zig");

pub const queue_capacity: u32 = handles.capacity;

pub const latency_buckets = 16;

pub const Latency = struct {
    count: u64 = 0,
    sum_ns: u64 = 0,
    max_ns: u64 = 0,
    buckets: [latency_buckets]u64 = [_]u64{0} ** latency_buckets,

    fn record(self: *Latency, ns: u64) void {
        self.count += 1;
        self.sum_ns +%= ns;
        if (ns > self.max_ns) self.max_ns = ns;
        const us = ns / std.time.ns_per_us;
        const bucket: usize = if (us == 0) 0 else @min(latency_buckets - 1, std.math.log2_int(u64, us) + 1);
        self.buckets[bucket] += 1;
    }
};

pub fn nowNs() u64 {
    const ts = posix.clock_gettime(.MONOTONIC) catch return 0;
    return @as(u64, @intCast(ts.sec)) * std.time.ns_per_s + @as(u64, @intCast(ts.nsec));
}

pub const Queue = struct {
    mutex: std.Thread.Mutex = .{},
    ring: []u64,
    /// CLOCK_MONOTONIC instant (ns) each entry of `ring` was pushed at, same indices: the
    /// drain measures how long completions wait for the JS thread (wake-up latency).
    stamps: []u64,
    head: u32 = 0, // next to pop
    len: u32 = 0,
    /// True from the first push after a drain until the JS thread drains again; while true,
    /// pushes do not write to the pipe (the reader is already woken).
    signaled: std.atomic.Value(bool) = .init(false),
    wake_read_fd: posix.fd_t = -1,
    wake_write_fd: posix.fd_t = -1,
    /// Objects whose destruction must run on the JS thread (see reaper in objects.zig).
    reap_head: ?*handles.Header = null,
    reap_len: u32 = 0,
    pushed_total: u64 = 0,
    wakes_total: u64 = 0,
    /// Wake-up latency of drained entries (push on a core thread → drain on the JS thread):
    /// count, sum and max in ns, and a histogram by powers of two of µs (bucket i counts
    /// latencies below 2^i µs, the last bucket the rest). Two clock reads per completion.
    latency: Latency = .{},
    /// Tells whether an id still names a live pending handle (set by the library to a
    /// handle-table lookup). Called with the queue lock held: it must not push.
    is_live: ?*const fn (u64) bool = null,

    pub fn init(allocator: std.mem.Allocator) !Queue {
        const ring = try allocator.alloc(u64, queue_capacity);
        errdefer allocator.free(ring);
        const stamps = try allocator.alloc(u64, queue_capacity);
        errdefer allocator.free(stamps);
        // Non-blocking on both ends: a full pipe means the reader has bytes to wake it anyway,
        // and Bun's reader expects a non-blocking fd. CLOEXEC keeps it out of child processes
        // (the dev server is spawned by core).
        const fds = try posix.pipe2(.{ .CLOEXEC = true, .NONBLOCK = true });
        return .{ .ring = ring, .stamps = stamps, .wake_read_fd = fds[0], .wake_write_fd = fds[1] };
    }

    pub fn deinit(self: *Queue, allocator: std.mem.Allocator) void {
        std.debug.assert(self.reap_head == null);
        allocator.free(self.ring);
        allocator.free(self.stamps);
        posix.close(self.wake_read_fd);
        posix.close(self.wake_write_fd);
        self.* = undefined;
    }

    /// Called from any thread. Never blocks on I/O.
    pub fn push(self: *Queue, id: u64) void {
        std.debug.assert(id != 0);
        const stamp = nowNs();
        {
            self.mutex.lock();
            defer self.mutex.unlock();
            if (self.len == queue_capacity) self.compact();
            // Capacity equals the handle table's: still full after compaction would mean a
            // pending handle completed twice or ids were pushed that are not pending handles.
            std.debug.assert(self.len < queue_capacity);
            const at = (self.head + self.len) % queue_capacity;
            self.ring[at] = id;
            self.stamps[at] = stamp;
            self.len += 1;
            self.pushed_total += 1;
        }
        self.wake();
    }

    fn compact(self: *Queue) void {
        const is_live = self.is_live orelse return;
        var kept: u32 = 0;
        for (0..self.len) |i| {
            const id = self.ring[(self.head + i) % queue_capacity];
            if (!is_live(id)) continue;
            self.ring[(self.head + kept) % queue_capacity] = id;
            self.stamps[(self.head + kept) % queue_capacity] = self.stamps[(self.head + i) % queue_capacity];
            kept += 1;
        }
        self.len = kept;
    }

    /// Hands an object to the JS thread for destruction and wakes it.
    pub fn pushReap(self: *Queue, header: *handles.Header) void {
        {
            self.mutex.lock();
            defer self.mutex.unlock();
            std.debug.assert(header.next_reap == null);
            header.next_reap = self.reap_head;
            self.reap_head = header;
            self.reap_len += 1;
        }
        self.wake();
    }

    pub fn wake(self: *Queue) void {
        if (self.signaled.swap(true, .acq_rel)) return;
        self.wakes_total +%= 1;
        const byte = [1]u8{1};
        // EAGAIN means the pipe already holds unread bytes: the reader will wake.
        _ = posix.write(self.wake_write_fd, &byte) catch {};
    }

    /// JS thread: copies up to `out.len` completed ids into `out` and returns how many.
    /// Re-arms the wake signal first, so a push that races with this drain either lands in
    /// this batch or writes a fresh byte; no completion is ever left without a wake.
    pub fn drain(self: *Queue, out: []u64) u32 {
        self.signaled.store(false, .release);
        self.mutex.lock();
        defer self.mutex.unlock();
        const n: u32 = @intCast(@min(out.len, self.len));
        const now = if (n > 0) nowNs() else 0;
        for (out[0..n]) |*slot| {
            slot.* = self.ring[self.head];
            self.latency.record(now -| self.stamps[self.head]);
            self.head = (self.head + 1) % queue_capacity;
        }
        self.len -= n;
        // If the caller's buffer was too small, keep the signal set so it drains again.
        if (self.len > 0 or self.reap_head != null) self.signaled.store(true, .release);
        return n;
    }

    /// JS thread: takes the whole reap list.
    pub fn takeReap(self: *Queue) ?*handles.Header {
        self.mutex.lock();
        defer self.mutex.unlock();
        const head = self.reap_head;
        self.reap_head = null;
        self.reap_len = 0;
        return head;
    }

    pub fn depth(self: *Queue) u32 {
        self.mutex.lock();
        defer self.mutex.unlock();
        return self.len;
    }
};

// ---------------------------------------------------------------------------- tests

const testing = std.testing;

fn pendingBytes(fd: posix.fd_t) usize {
    var buf: [64]u8 = undefined;
    var total: usize = 0;
    while (true) {
        const n = posix.read(fd, &buf) catch return total;
        if (n == 0) return total;
        total += n;
    }
}

test "one wake byte per batch, drained in order" {
    var q = try Queue.init(testing.allocator);
    defer q.deinit(testing.allocator);
    q.push(1);
    q.push(2);
    q.push(3);
    try testing.expectEqual(@as(usize, 1), pendingBytes(q.wake_read_fd));
    var out: [8]u64 = undefined;
    try testing.expectEqual(@as(u32, 3), q.drain(&out));
    try testing.expectEqualSlices(u64, &.{ 1, 2, 3 }, out[0..3]);
    try testing.expectEqual(@as(u32, 0), q.drain(&out));
    // After a drain the next push wakes again.
    q.push(4);
    try testing.expectEqual(@as(usize, 1), pendingBytes(q.wake_read_fd));
    try testing.expectEqual(@as(u32, 1), q.drain(&out));
    try testing.expectEqual(@as(u64, 4), out[0]);
}

test "drained entries record their wake-up latency" {
    var q = try Queue.init(testing.allocator);
    defer q.deinit(testing.allocator);
    q.push(1);
    q.push(2);
    std.Thread.sleep(2 * std.time.ns_per_ms);
    var out: [8]u64 = undefined;
    try testing.expectEqual(@as(u32, 2), q.drain(&out));
    try testing.expectEqual(@as(u64, 2), q.latency.count);
    try testing.expect(q.latency.max_ns >= 2 * std.time.ns_per_ms);
    try testing.expect(q.latency.sum_ns >= 2 * q.latency.max_ns - std.time.ns_per_ms);
    var in_buckets: u64 = 0;
    for (q.latency.buckets) |b| in_buckets += b;
    try testing.expectEqual(@as(u64, 2), in_buckets);
    // 2 ms = 2000 µs lands in bucket 11 (1024 ≤ µs < 2048 → below 2^11) or above.
    try testing.expectEqual(@as(u64, 0), q.latency.buckets[0]);
}

test "a small drain buffer keeps the signal armed" {
    var q = try Queue.init(testing.allocator);
    defer q.deinit(testing.allocator);
    for (1..6) |i| q.push(i);
    _ = pendingBytes(q.wake_read_fd);
    var out: [2]u64 = undefined;
    try testing.expectEqual(@as(u32, 2), q.drain(&out));
    try testing.expect(q.signaled.load(.acquire));
    try testing.expectEqual(@as(u32, 2), q.drain(&out));
    try testing.expectEqual(@as(u32, 1), q.drain(&out));
    try testing.expect(!q.signaled.load(.acquire));
}

var live_limit: u64 = 0;
fn liveBelow(id: u64) bool {
    return id <= live_limit;
}

test "a ring full of stale entries is compacted on push" {
    var q = try Queue.init(testing.allocator);
    defer q.deinit(testing.allocator);
    q.is_live = liveBelow;
    live_limit = 10; // ids 1..10 are still live, the rest were freed without a drain
    for (1..queue_capacity + 1) |i| q.push(i);
    q.push(queue_capacity + 1);
    try testing.expectEqual(@as(u32, 11), q.depth());
    var out: [16]u64 = undefined;
    try testing.expectEqual(@as(u32, 11), q.drain(&out));
    try testing.expectEqual(@as(u64, 1), out[0]);
    try testing.expectEqual(@as(u64, queue_capacity + 1), out[10]);
}

const Stress = struct {
    const threads = 8;
    const per_thread = 20_000;
    /// As in the library, where every queued id is a live pending handle and the handle
    /// table bounds how many exist: a producer may only complete a handle that exists.
    /// Without this bound a slow drainer (a loaded machine) lets producers overfill the
    /// ring, which the production invariant rules out.
    var outstanding: std.atomic.Value(u32) = .init(0);

    fn producer(q: *Queue, base: u64) void {
        for (0..per_thread) |i| {
            while (true) {
                const n = outstanding.load(.acquire);
                if (n < queue_capacity and outstanding.cmpxchgWeak(n, n + 1, .acq_rel, .acquire) == null) break;
                std.Thread.yield() catch {};
            }
            q.push(base + i + 1);
        }
    }
};

test "stress: many threads complete while the main thread drains; nothing lost or duplicated" {
    var q = try Queue.init(testing.allocator);
    defer q.deinit(testing.allocator);
    var workers: [Stress.threads]std.Thread = undefined;
    for (&workers, 0..) |*t, i| {
        t.* = try std.Thread.spawn(.{}, Stress.producer, .{ &q, @as(u64, i) * 1_000_000 });
    }
    const seen = try testing.allocator.alloc(u8, Stress.threads * Stress.per_thread);
    defer testing.allocator.free(seen);
    @memset(seen, 0);
    var received: usize = 0;
    var out: [256]u64 = undefined;
    var fds = [_]posix.pollfd{.{ .fd = q.wake_read_fd, .events = posix.POLL.IN, .revents = 0 }};
    while (received < seen.len) {
        // Block on the pipe like Bun's event loop does: every batch must come with a wake.
        const ready = try posix.poll(&fds, 2000);
        try testing.expect(ready == 1); // a lost wake-up would time out here
        _ = pendingBytes(q.wake_read_fd);
        while (true) {
            const n = q.drain(&out);
            if (n == 0) break;
            for (out[0..n]) |id| {
                const t = (id - 1) / 1_000_000;
                const i = (id - 1) % 1_000_000;
                const index = t * Stress.per_thread + i;
                try testing.expectEqual(@as(u8, 0), seen[index]);
                seen[index] = 1;
            }
            received += n;
            _ = Stress.outstanding.fetchSub(n, .acq_rel);
        }
    }
    for (workers) |t| t.join();
    try testing.expectEqual(@as(u32, 0), q.depth());
    try testing.expect(q.wakes_total <= q.pushed_total);
}
