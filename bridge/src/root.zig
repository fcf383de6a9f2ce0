//! libtemporal_bun_bridge: the C ABI TypeScript calls through bun:ffi.
//!
//! Conventions (docs/ffi-surface.md has the full table):
//! - Only pointers, integers and floats cross. Options are JSON buffers.
//! - Objects are 48-bit handle ids (see handles.zig), never raw pointers.
//! - Return values: >= 0 success (an id, a count or 0); < 0 an error code from errors.zig,
//!   with the message readable through temporal_bun_last_error on the same thread.
//! - Asynchronous calls return a pending-handle id; completion is signalled through the
//!   wake pipe and collected with temporal_bun_drain + temporal_bun_pending_consume.
//! - Bytes passed in are borrowed for the duration of the call (copied if core needs them
//!   longer). Bytes handed out are buffers freed with temporal_bun_buffer_free.
const std = @import("std");
const errors = @import("errors.zig");
const ops = @import("ops.zig");
const runtime = @import("runtime.zig");
const client = @import("client.zig");
const worker = @import("worker.zig");
const ephemeral = @import("ephemeral.zig");
const buffers = @import("buffers.zig");
const debug = @import("debug.zig");
const metrics = @import("metrics.zig");
const global = @import("global.zig");
const panics = @import("panics.zig");

/// Bump on any change to an export's signature or semantics, or to a JSON/result format.
pub const abi_version: u32 = 3; // 3: core_panic error code, temporal_bun_debug_core_panics

fn bytes(ptr: ?[*]const u8, len: usize) []const u8 {
    const p = ptr orelse return &.{};
    return p[0..len];
}

fn requireBytes(ptr: ?[*]const u8, len: usize, comptime what: []const u8) ?[]const u8 {
    if (ptr == null and len != 0) {
        _ = errors.fail(.invalid_argument, what ++ ": null pointer with non-zero length {d}", .{len});
        return null;
    }
    return bytes(ptr, len);
}

const bad_argument: i64 = @intFromEnum(errors.Code.invalid_argument);

// ---- library

export fn temporal_bun_abi_version() u32 {
    return abi_version;
}

/// out[0] = pointer, out[1] = length of the calling thread's last error message; returns
/// the last error code (0 if none).
export fn temporal_bun_last_error(out: ?*[2]u64) i64 {
    const msg = errors.lastMessage();
    if (out) |o| o.* = .{ @intFromPtr(msg.ptr), msg.len };
    return @intFromEnum(errors.lastCode());
}

export fn temporal_bun_wake_fd() i64 {
    return ops.wakeFd();
}

export fn temporal_bun_drain(out: ?[*]u64, cap: u32) i64 {
    return ops.drain(out, cap);
}

/// Takes every queued core log record as a JSON buffer; out = [buffer id, ptr, len].
/// When there is nothing to report, out = [0, 0, 0] and no buffer is made: TypeScript
/// calls this after every wake-up, so the common empty case must cost no allocation.
export fn temporal_bun_logs_take(out: ?*[3]u64) i64 {
    const dst = out orelse return errors.fail(.invalid_argument, "logs_take: the output array is null", .{});
    if (global.logs.isIdle()) {
        dst.* = .{ 0, 0, 0 };
        return 0;
    }
    const json = global.logs.takeJson() catch return errors.fail(.out_of_memory, "out of memory formatting logs", .{});
    const pending = @import("pending.zig");
    const id = buffers.register(pending.Bytes.owned(json)) catch |err| return ops.beginFailed(err, "logs buffer");
    dst.* = .{ id, @intFromPtr(json.ptr), json.len };
    return 0;
}

// ---- pending handles and buffers

export fn temporal_bun_pending_poll(id: u64) i64 {
    return ops.poll(id);
}
export fn temporal_bun_pending_consume(id: u64, out: ?*[4]u64) i64 {
    return ops.consume(id, out);
}
export fn temporal_bun_pending_cancel(id: u64) i64 {
    return ops.cancel(id);
}
export fn temporal_bun_pending_free(id: u64) i64 {
    return ops.free(id);
}
export fn temporal_bun_buffer_free(id: u64) i64 {
    return buffers.free(id);
}

// ---- runtime

export fn temporal_bun_runtime_new(options: ?[*]const u8, len: usize) i64 {
    const json = requireBytes(options, len, "runtime_new options") orelse return bad_argument;
    return runtime.new(json);
}
export fn temporal_bun_runtime_free(id: u64) i64 {
    return runtime.free(id);
}

// ---- custom metrics (metrics.zig)

export fn temporal_bun_metric_new(
    runtime_id: u64,
    kind: u32,
    name: ?[*]const u8,
    name_len: usize,
    unit: ?[*]const u8,
    unit_len: usize,
    description: ?[*]const u8,
    description_len: usize,
) i64 {
    const n = requireBytes(name, name_len, "metric name") orelse return bad_argument;
    const u = requireBytes(unit, unit_len, "metric unit") orelse return bad_argument;
    const d = requireBytes(description, description_len, "metric description") orelse return bad_argument;
    return metrics.new(runtime_id, kind, n, u, d);
}
/// `tags` is the encoding of metric_tags.zig; empty for a record without tags.
export fn temporal_bun_metric_record(metric_id: u64, value: f64, tags: ?[*]const u8, tags_len: usize) i64 {
    const t = requireBytes(tags, tags_len, "metric tags") orelse return bad_argument;
    return metrics.record(metric_id, value, t);
}
export fn temporal_bun_metric_free(id: u64) i64 {
    return metrics.free(id);
}

// ---- client

export fn temporal_bun_client_connect(runtime_id: u64, options: ?[*]const u8, len: usize) i64 {
    const json = requireBytes(options, len, "client_connect options") orelse return bad_argument;
    return client.connect(runtime_id, json);
}
export fn temporal_bun_client_rpc_call(
    client_id: u64,
    service: u32,
    rpc: ?[*]const u8,
    rpc_len: usize,
    request: ?[*]const u8,
    request_len: usize,
    retry: u32,
    timeout_ms: u32,
    metadata: ?[*]const u8,
    metadata_len: usize,
) i64 {
    const rpc_name = requireBytes(rpc, rpc_len, "rpc name") orelse return bad_argument;
    const req = requireBytes(request, request_len, "rpc request") orelse return bad_argument;
    const md = requireBytes(metadata, metadata_len, "rpc metadata") orelse return bad_argument;
    return client.rpcCall(client_id, service, rpc_name, req, retry != 0, timeout_ms, md);
}
export fn temporal_bun_client_update_metadata(client_id: u64, metadata: ?[*]const u8, len: usize) i64 {
    const md = requireBytes(metadata, len, "metadata") orelse return bad_argument;
    return client.updateMetadata(client_id, md);
}
export fn temporal_bun_client_update_api_key(client_id: u64, key: ?[*]const u8, len: usize) i64 {
    const k = requireBytes(key, len, "api key") orelse return bad_argument;
    return client.updateApiKey(client_id, k);
}
export fn temporal_bun_client_free(id: u64) i64 {
    return client.free(id);
}

// ---- worker

export fn temporal_bun_worker_new(client_id: u64, options: ?[*]const u8, len: usize) i64 {
    const json = requireBytes(options, len, "worker options") orelse return bad_argument;
    return worker.new(client_id, json);
}
export fn temporal_bun_worker_validate(id: u64) i64 {
    return worker.validate(id);
}
export fn temporal_bun_worker_poll_workflow_activation(id: u64) i64 {
    return worker.pollWorkflowActivation(id);
}
export fn temporal_bun_worker_poll_activity_task(id: u64) i64 {
    return worker.pollActivityTask(id);
}
export fn temporal_bun_worker_complete_workflow_activation(id: u64, completion: ?[*]const u8, len: usize) i64 {
    const b = requireBytes(completion, len, "workflow completion") orelse return bad_argument;
    return worker.completeWorkflowActivation(id, b);
}
export fn temporal_bun_worker_complete_activity_task(id: u64, completion: ?[*]const u8, len: usize) i64 {
    const b = requireBytes(completion, len, "activity completion") orelse return bad_argument;
    return worker.completeActivityTask(id, b);
}
export fn temporal_bun_worker_record_activity_heartbeat(id: u64, heartbeat: ?[*]const u8, len: usize) i64 {
    const b = requireBytes(heartbeat, len, "heartbeat") orelse return bad_argument;
    return worker.recordActivityHeartbeat(id, b);
}
export fn temporal_bun_worker_request_workflow_eviction(id: u64, run_id: ?[*]const u8, len: usize) i64 {
    const b = requireBytes(run_id, len, "run id") orelse return bad_argument;
    return worker.requestWorkflowEviction(id, b);
}
export fn temporal_bun_worker_initiate_shutdown(id: u64) i64 {
    return worker.initiateShutdown(id);
}
export fn temporal_bun_worker_finalize_shutdown(id: u64) i64 {
    return worker.finalizeShutdown(id);
}
export fn temporal_bun_worker_free(id: u64) i64 {
    return worker.free(id);
}

// ---- replayer

export fn temporal_bun_replayer_new(runtime_id: u64, options: ?[*]const u8, len: usize) i64 {
    const json = requireBytes(options, len, "replayer options") orelse return bad_argument;
    return worker.replayerNew(runtime_id, json);
}
export fn temporal_bun_replayer_worker(id: u64) i64 {
    return worker.replayerWorker(id);
}
export fn temporal_bun_replayer_push(id: u64, workflow_id: ?[*]const u8, workflow_id_len: usize, history: ?[*]const u8, history_len: usize) i64 {
    const wid = requireBytes(workflow_id, workflow_id_len, "workflow id") orelse return bad_argument;
    const h = requireBytes(history, history_len, "history") orelse return bad_argument;
    return worker.replayerPush(id, wid, h);
}
export fn temporal_bun_replayer_free(id: u64) i64 {
    return worker.replayerFree(id);
}

// ---- ephemeral dev server

export fn temporal_bun_ephemeral_server_start_dev(runtime_id: u64, options: ?[*]const u8, len: usize) i64 {
    const json = requireBytes(options, len, "dev server options") orelse return bad_argument;
    return ephemeral.startDev(runtime_id, json);
}
export fn temporal_bun_ephemeral_server_target(id: u64, out: ?*[2]u64) i64 {
    return ephemeral.target(id, out);
}
export fn temporal_bun_ephemeral_server_shutdown(id: u64) i64 {
    return ephemeral.shutdown(id);
}
export fn temporal_bun_ephemeral_server_free(id: u64) i64 {
    return ephemeral.free(id);
}

// ---- debug (tests and benchmarks)

export fn temporal_bun_debug_counters(out: ?[*]u64, cap: u32) i64 {
    return debug.counters(out, cap);
}
export fn temporal_bun_debug_pending_ready(len: u32) i64 {
    return debug.pendingReady(len);
}
export fn temporal_bun_debug_pending_from_thread(delay_us: u32) i64 {
    return debug.pendingFromThread(delay_us);
}
export fn temporal_bun_debug_now_ns() u64 {
    return debug.nowNs();
}
/// out = [panics inside core since load, calls failed because of them] (bridge/src/panics.zig).
export fn temporal_bun_debug_core_panics(out: ?*[2]u64) i64 {
    const dst = out orelse return errors.fail(.invalid_argument, "core_panics: the output array is null", .{});
    dst.* = .{ panics.count.load(.acquire), panics.failed_calls.load(.acquire) };
    return 0;
}

comptime {
    _ = panics; // temporal_bun_core_panicked, called by the Rust panic hook
}
