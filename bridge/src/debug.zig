//! Introspection and synthetic pending handles for tests and benchmarks.
const std = @import("std");
const handles = @import("handles.zig");
const global = @import("global.zig");
const pending = @import("pending.zig");
const buffers = @import("buffers.zig");
const ops = @import("ops.zig");
const core = @import("core.zig");
const errors = @import("errors.zig");
const mem = @import("mem.zig");

/// Number of u64 slots `counters` writes.
pub const counter_count = 15;

/// out[0..7]  live handle ids by kind: runtime, client, worker, replayer, server, pending, buffer
/// out[7]     pending objects alive (including freed ones whose core call is still in flight)
/// out[8]     buffer objects alive
/// out[9]     core byte arrays alive (owned by buffers or unconsumed results)
/// out[10]    completion queue depth
/// out[11]    log queue depth
/// out[12]    objects waiting for the JS thread to destroy them
/// out[13]    pending handles created since load
/// out[14]    wake signals written since load
/// out[15]    live metric handles (only when cap > 15)
/// out[16..]  when cap allows: completions drained, their summed and maximum wake-up latency
///            in ns (core thread push → JS thread drain), then the latency histogram
///            (completions.latency_buckets counts; bucket i: below 2^i µs)
pub fn counters(out: ?[*]u64, cap: u32) i64 {
    const dst = out orelse return errors.fail(.invalid_argument, "counters: the output array is null", .{});
    if (cap < counter_count) return errors.fail(.invalid_argument, "counters: the output array needs {d} slots, got {d}", .{ counter_count, cap });
    const q = global.queue() catch |err| return ops.beginFailed(err, "counters");
    // The first seven kinds keep their slots; later kinds go after the fixed counters, for
    // callers that pass a larger array (src/bridge/debug.ts).
    for (0..7) |k| dst[k] = global.table.live(@enumFromInt(k));
    if (cap > counter_count) dst[counter_count] = global.table.live(.metric);
    dst[7] = @intCast(pending.live_count.load(.monotonic));
    dst[8] = @intCast(buffers.live_count.load(.monotonic));
    dst[9] = @intCast(core.live_core_arrays.load(.monotonic));
    dst[10] = q.depth();
    dst[11] = global.logs.depth();
    q.mutex.lock();
    dst[12] = q.reap_len;
    dst[14] = q.wakes_total;
    const lat = q.latency;
    q.mutex.unlock();
    const extra = [_]u64{ lat.count, lat.sum_ns, lat.max_ns } ++ lat.buckets;
    for (extra, counter_count + 1..) |v, i| {
        if (i < cap) dst[i] = v;
    }
    dst[13] = pending.created_total.load(.monotonic);
    return counter_count;
}

/// A pending handle that is already ready with `len` bytes (0xAB). Measures the pure
/// handle round trip: create → consume → free.
pub fn pendingReady(len: u32) i64 {
    const bytes = mem.allocator.alloc(u8, len) catch return errors.fail(.out_of_memory, "out of memory", .{});
    @memset(bytes, 0xAB);
    return ops.completed(.{ .bytes = pending.Bytes.owned(bytes) });
}

fn completeLater(p: *pending.Pending, delay_ns: u64) void {
    if (delay_ns > 0) std.Thread.sleep(delay_ns);
    const bytes = mem.allocator.alloc(u8, 8) catch {
        p.complete(.{ .failure = pending.Failure.format(.out_of_memory, "out of memory", .{}) });
        return;
    };
    // The completion instant, so the JS side can measure wake-up latency on the same clock.
    std.mem.writeInt(u64, bytes[0..8], nowNs(), .little);
    p.complete(.{ .bytes = pending.Bytes.owned(bytes) });
}

/// A pending handle completed from another thread after `delay_us`; its result is the
/// 8-byte little-endian CLOCK_MONOTONIC instant (ns) at which it completed.
pub fn pendingFromThread(delay_us: u32) i64 {
    const p = ops.begin() catch |err| return ops.beginFailed(err, "debug pending");
    const id = p.queue_id;
    const thread = std.Thread.spawn(.{ .stack_size = 64 * 1024 }, completeLater, .{ p, @as(u64, delay_us) * std.time.ns_per_us }) catch {
        p.complete(.{ .failure = pending.Failure.format(.system, "could not spawn a thread", .{}) });
        return @intCast(id);
    };
    thread.detach();
    return @intCast(id);
}

pub fn nowNs() u64 {
    const ts = std.posix.clock_gettime(.MONOTONIC) catch return 0;
    return @as(u64, @intCast(ts.sec)) * std.time.ns_per_s + @as(u64, @intCast(ts.nsec));
}
