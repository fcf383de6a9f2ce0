//! Worker: polls and completes workflow activations and activity tasks through core, and
//! the replayer (a worker fed with histories instead of a server).
const std = @import("std");
const core = @import("core.zig");
const c = core.c;
const errors = @import("errors.zig");
const handles = @import("handles.zig");
const global = @import("global.zig");
const pending = @import("pending.zig");
const ops = @import("ops.zig");
const mem = @import("mem.zig");
const Client = @import("client.zig").Client;
const Runtime = @import("runtime.zig").Runtime;
const panics = @import("panics.zig");

/// Where a worker is in core's two-phase shutdown. Core's worker becomes unusable the
/// moment finalize_shutdown starts (it takes the worker out of its handle, and any later
/// call on it panics), so every export checks this before touching core.
pub const Lifecycle = enum(u8) { running, shutting_down, finalizing, finalized };

pub const Worker = struct {
    header: handles.Header,
    core_worker: *c.TemporalCoreWorker,
    /// Exactly one of client/runtime is set: a server-backed worker keeps its client alive,
    /// a replay worker its runtime.
    client: ?*Client,
    runtime: ?*Runtime,
    /// Written on the JS thread (initiate/finalize), except the finalizing → finalized step
    /// in core's callback.
    state: std.atomic.Value(Lifecycle) = .init(.running),
    /// Core calls started on this worker whose callback has not run yet.
    in_flight: std.atomic.Value(u32) = .init(0),
    /// Pollers that must have returned "shutdown" before core can finalize (core's
    /// finalize waits for them, forever if nobody polls).
    needs_workflow_poll: bool,
    needs_activity_poll: bool,
    workflow_poll_done: std.atomic.Value(bool) = .init(false),
    activity_poll_done: std.atomic.Value(bool) = .init(false),
    /// panics.count when the worker was created: a core panic since then makes it unusable
    /// (one of its internal tasks may be dead; see panics.zig).
    panics_seen: u64 = 0,

    /// Refuses calls once finalize started (core would panic on them) or once core panicked.
    fn usable(self: *Worker, what: []const u8) ?i64 {
        if (self.panicked()) return panics.refuse(what);
        return self.lifecycleAllows(what);
    }

    fn panicked(self: *Worker) bool {
        return panics.count.load(.acquire) != self.panics_seen;
    }

    fn lifecycleAllows(self: *Worker, what: []const u8) ?i64 {
        return switch (self.state.load(.acquire)) {
            .running, .shutting_down => null,
            // `what` is not repeated in the message: TypeScript prefixes its own context.
            .finalizing, .finalized => errors.fail(.invalid_state, "the worker is {s}; only free is allowed now (not {s})", .{ @tagName(self.state.load(.acquire)), what }),
        };
    }

    fn destroy(header: *handles.Header) void {
        if (global.deferIfOnCoreThread(header)) return;
        const self: *Worker = @fieldParentPtr("header", header);
        c.temporal_core_worker_free(self.core_worker);
        if (self.client) |cl| cl.header.release();
        if (self.runtime) |r| r.header.release();
        mem.allocator.destroy(self);
    }

    pub fn acquire(id: u64) handles.LookupError!*Worker {
        const h = try global.table.acquire(id, .worker);
        return @fieldParentPtr("header", h);
    }
};

const Pollers = struct {
    maximum: ?usize = null,
    autoscaling: ?struct { minimum: usize = 1, maximum: usize = 100, initial: usize = 5 } = null,
};

const Options = struct {
    namespace: []const u8,
    taskQueue: []const u8,
    identity: []const u8 = "",
    buildId: []const u8 = "",
    maxCachedWorkflows: u32 = 1000,
    workflowSlots: usize = 100,
    activitySlots: usize = 100,
    localActivitySlots: usize = 100,
    nexusSlots: usize = 100,
    enableWorkflows: bool = true,
    enableActivities: bool = true,
    enableLocalActivities: bool = true,
    workflowPollers: Pollers = .{ .maximum = 5 },
    activityPollers: Pollers = .{ .maximum = 5 },
    nonstickyToStickyPollRatio: f32 = 0.2,
    stickyQueueScheduleToStartTimeoutMs: u64 = 10_000,
    maxHeartbeatThrottleIntervalMs: u64 = 60_000,
    defaultHeartbeatThrottleIntervalMs: u64 = 30_000,
    maxActivitiesPerSecond: f64 = 0,
    maxTaskQueueActivitiesPerSecond: f64 = 0,
    gracefulShutdownPeriodMs: u64 = 0,
    nondeterminismAsWorkflowFail: bool = false,
    nondeterminismAsWorkflowFailForTypes: []const []const u8 = &.{},
    maxEagerActivityReservations: u32 = 0,
};

const OptionsStorage = struct {
    options: c.TemporalCoreWorkerOptions = undefined,
    wf_pollers: c.TemporalCorePollerBehaviorSimpleMaximum = undefined,
    wf_auto: c.TemporalCorePollerBehaviorAutoscaling = undefined,
    act_pollers: c.TemporalCorePollerBehaviorSimpleMaximum = undefined,
    act_auto: c.TemporalCorePollerBehaviorAutoscaling = undefined,
    nexus_pollers: c.TemporalCorePollerBehaviorSimpleMaximum = .{ .simple_maximum = 1 },
};

fn fixedSlots(n: usize) c.TemporalCoreSlotSupplier {
    var s: c.TemporalCoreSlotSupplier = std.mem.zeroes(c.TemporalCoreSlotSupplier);
    s.tag = c.TemporalCoreSlotSupplier_FixedSize;
    s.unnamed_0.unnamed_0.fixed_size = .{ .num_slots = n };
    return s;
}

fn pollerBehavior(p: Pollers, simple: *c.TemporalCorePollerBehaviorSimpleMaximum, auto: *c.TemporalCorePollerBehaviorAutoscaling) !c.TemporalCorePollerBehavior {
    if (p.autoscaling) |a| {
        if (p.maximum != null) return error.PollersBothMaximumAndAutoscaling;
        if (a.minimum == 0 or a.minimum > a.initial or a.initial > a.maximum) return error.PollersAutoscalingNotMinLeInitialLeMax;
        auto.* = .{ .minimum = a.minimum, .maximum = a.maximum, .initial = a.initial };
        return .{ .simple_maximum = null, .autoscaling = auto };
    }
    const max = p.maximum orelse 5;
    if (max == 0) return error.PollersMaximumIsZero;
    simple.* = .{ .simple_maximum = max };
    return .{ .simple_maximum = simple, .autoscaling = null };
}

fn fillOptions(storage: *OptionsStorage, strings: *core.Strings, json: []const u8) !void {
    const opts = try core.parseOptions(Options, strings, json);
    if (opts.namespace.len == 0) return error.NamespaceIsEmpty;
    if (opts.taskQueue.len == 0) return error.TaskQueueIsEmpty;
    if (opts.workflowSlots == 0 or opts.activitySlots == 0 or opts.localActivitySlots == 0) return error.SlotsMustBePositive;
    var versioning: c.TemporalCoreWorkerVersioningStrategy = std.mem.zeroes(c.TemporalCoreWorkerVersioningStrategy);
    versioning.tag = c.TemporalCoreWorkerVersioningStrategy_None;
    versioning.unnamed_0.unnamed_0.none = .{ .build_id = core.ref(opts.buildId) };
    storage.options = .{
        .namespace_ = core.ref(opts.namespace),
        .task_queue = core.ref(opts.taskQueue),
        .versioning_strategy = versioning,
        .identity_override = core.ref(opts.identity),
        .max_cached_workflows = opts.maxCachedWorkflows,
        .tuner = .{
            .workflow_slot_supplier = fixedSlots(opts.workflowSlots),
            .activity_slot_supplier = fixedSlots(opts.activitySlots),
            .local_activity_slot_supplier = fixedSlots(opts.localActivitySlots),
            .nexus_task_slot_supplier = fixedSlots(opts.nexusSlots),
        },
        .task_types = .{
            .enable_workflows = opts.enableWorkflows,
            .enable_local_activities = opts.enableLocalActivities,
            .enable_remote_activities = opts.enableActivities,
            .enable_nexus = false,
        },
        .sticky_queue_schedule_to_start_timeout_millis = opts.stickyQueueScheduleToStartTimeoutMs,
        .max_heartbeat_throttle_interval_millis = opts.maxHeartbeatThrottleIntervalMs,
        .default_heartbeat_throttle_interval_millis = opts.defaultHeartbeatThrottleIntervalMs,
        .max_activities_per_second = opts.maxActivitiesPerSecond,
        .max_task_queue_activities_per_second = opts.maxTaskQueueActivitiesPerSecond,
        .graceful_shutdown_period_millis = opts.gracefulShutdownPeriodMs,
        .workflow_task_poller_behavior = try pollerBehavior(opts.workflowPollers, &storage.wf_pollers, &storage.wf_auto),
        .nonsticky_to_sticky_poll_ratio = opts.nonstickyToStickyPollRatio,
        .activity_task_poller_behavior = try pollerBehavior(opts.activityPollers, &storage.act_pollers, &storage.act_auto),
        .nexus_task_poller_behavior = .{ .simple_maximum = &storage.nexus_pollers, .autoscaling = null },
        .nondeterminism_as_workflow_fail = opts.nondeterminismAsWorkflowFail,
        .nondeterminism_as_workflow_fail_for_types = try strings.refArray(opts.nondeterminismAsWorkflowFailForTypes),
        .plugins = .{ .data = null, .size = 0 },
        .storage_drivers = .{ .data = null, .size = 0 },
        .disable_payload_error_limit = false,
        .max_eager_activity_reservations_per_workflow_task = opts.maxEagerActivityReservations,
    };
}

fn register(core_worker: *c.TemporalCoreWorker, client: ?*Client, runtime: ?*Runtime, task_types: c.TemporalCoreWorkerTaskTypes) i64 {
    const self = mem.allocator.create(Worker) catch {
        c.temporal_core_worker_free(core_worker);
        if (client) |cl| cl.header.release();
        if (runtime) |r| r.header.release();
        return errors.fail(.out_of_memory, "out of memory creating a worker", .{});
    };
    self.* = .{
        .header = .{ .kind = .worker, .destroy_fn = Worker.destroy },
        .core_worker = core_worker,
        .client = client,
        .runtime = runtime,
        .needs_workflow_poll = task_types.enable_workflows,
        .needs_activity_poll = task_types.enable_remote_activities,
        .panics_seen = panics.count.load(.acquire),
    };
    const id = global.register(&self.header) catch |err| return ops.beginFailed(err, "worker");
    return @intCast(id);
}

/// Synchronous: core builds the worker without network I/O (see `validate`).
pub fn new(client_id: u64, options_json: []const u8) i64 {
    const client = Client.acquire(client_id) catch |err| return handles.lookupFailed(err, client_id, .client);
    var strings = core.Strings.init();
    defer strings.deinit();
    var storage: OptionsStorage = .{};
    fillOptions(&storage, &strings, options_json) catch |err| {
        client.header.release();
        return core.optionsFailed(err, "worker");
    };
    const result = c.temporal_core_worker_new(client.core_client, &storage.options);
    if (result.fail) |fail| {
        client.header.release();
        return core.failSync(.core, "", fail);
    }
    const core_worker = result.worker orelse {
        client.header.release();
        return errors.fail(.core, "core returned neither a worker nor an error", .{});
    };
    return register(core_worker, client, null, storage.options.task_types); // the worker keeps the client reference
}

const CallContext = struct {
    worker: *Worker,
    call: Call,
    /// Completion bytes borrowed by core until the callback.
    input: []const u8 = &.{},

    fn deinit(ptr: *anyopaque) void {
        const self: *CallContext = @ptrCast(@alignCast(ptr));
        mem.free(self.input);
        self.worker.header.release();
        mem.allocator.destroy(self);
    }
};

fn callContext(p: *pending.Pending) *CallContext {
    return @ptrCast(@alignCast(p.context.?.ptr));
}

/// Bookkeeping when core calls back, before the pending handle completes (after that the
/// JS thread may already observe the outcome and, e.g., finalize).
fn callEnded(ctx: *CallContext, outcome_shutdown: bool) void {
    const w = ctx.worker;
    switch (ctx.call) {
        .finalize_shutdown => {
            const previous = w.state.swap(.finalized, .acq_rel);
            std.debug.assert(previous == .finalizing);
        },
        else => {
            const previous = w.in_flight.fetchSub(1, .acq_rel);
            std.debug.assert(previous > 0);
        },
    }
    if (outcome_shutdown) switch (ctx.call) {
        .poll_workflow => w.workflow_poll_done.store(true, .release),
        .poll_activity => w.activity_poll_done.store(true, .release),
        else => unreachable, // only polls end with "shutdown"
    };
}

fn pollCallback(user_data: ?*anyopaque, success: ?*const c.TemporalCoreByteArray, fail: ?*const c.TemporalCoreByteArray) callconv(.c) void {
    core.in_core_callback = true;
    defer core.in_core_callback = false;
    const p: *pending.Pending = @ptrCast(@alignCast(user_data.?));
    callEnded(callContext(p), success == null and fail == null);
    if (success) |s| {
        core.release(fail);
        p.complete(.{ .bytes = core.adopt(s) });
    } else if (fail) |f| {
        p.complete(.{ .failure = core.failure(.core, "", f) });
    } else {
        p.complete(.shutdown);
    }
}

fn doneCallback(user_data: ?*anyopaque, fail: ?*const c.TemporalCoreByteArray) callconv(.c) void {
    core.in_core_callback = true;
    defer core.in_core_callback = false;
    const p: *pending.Pending = @ptrCast(@alignCast(user_data.?));
    callEnded(callContext(p), false);
    if (fail) |f| p.complete(.{ .failure = core.failure(.core, "", f) }) else p.complete(.none);
}

const Call = enum { validate, poll_workflow, poll_activity, complete_workflow, complete_activity, finalize_shutdown };

/// Why finalize cannot start now, or null when it can. Checked on the JS thread.
fn finalizeRefusal(w: *Worker) ?i64 {
    switch (w.state.load(.acquire)) {
        .running => return errors.fail(.invalid_state, "call initiate_shutdown first (phase 1), then poll until both pollers return 'shutdown'", .{}),
        .shutting_down => {},
        .finalizing, .finalized => return errors.fail(.invalid_state, "already {s}", .{@tagName(w.state.load(.acquire))}),
    }
    const n = w.in_flight.load(.acquire);
    if (n > 0) return errors.fail(.invalid_state, "{d} call(s) on this worker are still in flight; wait until every poll has returned 'shutdown' and every completion has finished", .{n});
    if (w.needs_workflow_poll and !w.workflow_poll_done.load(.acquire))
        return errors.fail(.invalid_state, "poll workflow activations until the poll returns 'shutdown' first (core waits for it)", .{});
    if (w.needs_activity_poll and !w.activity_poll_done.load(.acquire))
        return errors.fail(.invalid_state, "poll activity tasks until the poll returns 'shutdown' first (core waits for it)", .{});
    return null;
}

fn start(worker_id: u64, call: Call, input: []const u8) i64 {
    const worker = Worker.acquire(worker_id) catch |err| return handles.lookupFailed(err, worker_id, .worker);
    const refusal = if (worker.panicked()) panics.refuse(@tagName(call)) else if (call == .finalize_shutdown) finalizeRefusal(worker) else worker.usable(@tagName(call));
    if (refusal) |code| {
        worker.header.release();
        return code;
    }
    const ctx = mem.allocator.create(CallContext) catch {
        worker.header.release();
        return errors.fail(.out_of_memory, "out of memory starting {s}", .{@tagName(call)});
    };
    ctx.* = .{ .worker = worker, .call = call };
    ctx.input = mem.dupe(input) catch {
        CallContext.deinit(ctx);
        return errors.fail(.out_of_memory, "out of memory copying the {s} payload", .{@tagName(call)});
    };
    const p = ops.begin() catch |err| {
        CallContext.deinit(ctx);
        return ops.beginFailed(err, @tagName(call));
    };
    p.context = .{ .ptr = ctx, .deinit_fn = CallContext.deinit };
    const id = p.queue_id;
    const w = worker.core_worker;
    if (call == .finalize_shutdown) {
        const previous = worker.state.swap(.finalizing, .acq_rel);
        std.debug.assert(previous == .shutting_down);
    } else {
        _ = worker.in_flight.fetchAdd(1, .acq_rel);
    }
    switch (call) {
        .validate => c.temporal_core_worker_validate(w, p, doneCallback),
        .poll_workflow => c.temporal_core_worker_poll_workflow_activation(w, p, pollCallback),
        .poll_activity => c.temporal_core_worker_poll_activity_task(w, p, pollCallback),
        .complete_workflow => c.temporal_core_worker_complete_workflow_activation(w, core.ref(ctx.input), p, doneCallback),
        .complete_activity => c.temporal_core_worker_complete_activity_task(w, core.ref(ctx.input), p, doneCallback),
        .finalize_shutdown => c.temporal_core_worker_finalize_shutdown(w, p, doneCallback),
    }
    return @intCast(id);
}

pub fn validate(id: u64) i64 {
    return start(id, .validate, &.{});
}
pub fn pollWorkflowActivation(id: u64) i64 {
    return start(id, .poll_workflow, &.{});
}
pub fn pollActivityTask(id: u64) i64 {
    return start(id, .poll_activity, &.{});
}
pub fn completeWorkflowActivation(id: u64, completion: []const u8) i64 {
    if (completion.len == 0) return errors.fail(.invalid_argument, "complete workflow activation: the completion is empty", .{});
    return start(id, .complete_workflow, completion);
}
pub fn completeActivityTask(id: u64, completion: []const u8) i64 {
    if (completion.len == 0) return errors.fail(.invalid_argument, "complete activity task: the completion is empty", .{});
    return start(id, .complete_activity, completion);
}
pub fn finalizeShutdown(id: u64) i64 {
    return start(id, .finalize_shutdown, &.{});
}

/// Synchronous in core (it only queues the heartbeat; core throttles and sends it).
pub fn recordActivityHeartbeat(id: u64, heartbeat: []const u8) i64 {
    if (heartbeat.len == 0) return errors.fail(.invalid_argument, "record activity heartbeat: the heartbeat is empty", .{});
    const worker = Worker.acquire(id) catch |err| return handles.lookupFailed(err, id, .worker);
    defer worker.header.release();
    if (worker.usable("record activity heartbeat")) |code| return code;
    if (c.temporal_core_worker_record_activity_heartbeat(worker.core_worker, core.ref(heartbeat))) |fail| {
        return core.failSync(.core, "", fail);
    }
    return 0;
}

pub fn requestWorkflowEviction(id: u64, run_id: []const u8) i64 {
    if (run_id.len == 0) return errors.fail(.invalid_argument, "request workflow eviction: the run id is empty", .{});
    const worker = Worker.acquire(id) catch |err| return handles.lookupFailed(err, id, .worker);
    defer worker.header.release();
    if (worker.usable("request workflow eviction")) |code| return code;
    c.temporal_core_worker_request_workflow_eviction(worker.core_worker, core.ref(run_id));
    return 0;
}

pub fn initiateShutdown(id: u64) i64 {
    const worker = Worker.acquire(id) catch |err| return handles.lookupFailed(err, id, .worker);
    defer worker.header.release();
    // Allowed after a core panic too: it stops the pollers that may still run.
    if (worker.lifecycleAllows("initiate shutdown")) |code| return code;
    // Idempotent in core; running → shutting_down only (never back).
    _ = worker.state.cmpxchgStrong(.running, .shutting_down, .acq_rel, .acquire);
    c.temporal_core_worker_initiate_shutdown(worker.core_worker);
    return 0;
}

/// Removes the id. If calls are still in flight (typically polls of a worker that was
/// never shut down), the core worker is told to shut down so they end instead of polling
/// forever; it is destroyed when the last of them completes.
pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .worker) catch |err| return handles.lookupFailed(err, id, .worker);
    const self: *Worker = @fieldParentPtr("header", header);
    const st = self.state.load(.acquire);
    if (header.refs.load(.acquire) > 1 and (st == .running or st == .shutting_down)) {
        _ = self.state.cmpxchgStrong(.running, .shutting_down, .acq_rel, .acquire);
        c.temporal_core_worker_initiate_shutdown(self.core_worker);
    }
    header.release();
    return 0;
}

// ---------------------------------------------------------------------------- replayer

pub const Replayer = struct {
    header: handles.Header,
    pusher: *c.TemporalCoreWorkerReplayPusher,
    /// The replay worker, referenced so pushes stay valid even after the worker id is freed.
    worker: *Worker,
    worker_id: u64,

    fn destroy(header: *handles.Header) void {
        if (global.deferIfOnCoreThread(header)) return;
        const self: *Replayer = @fieldParentPtr("header", header);
        // Dropping the pusher closes the history stream: the replay worker's polls then
        // end with "shutdown" once every pushed history was processed.
        c.temporal_core_worker_replay_pusher_free(self.pusher);
        self.worker.header.release();
        mem.allocator.destroy(self);
    }
};

/// Creates a replayer and its worker. Returns the replayer id; `replayerWorker` gives the
/// worker id to poll and complete like any worker (free it with the worker free export).
pub fn replayerNew(runtime_id: u64, options_json: []const u8) i64 {
    const runtime = Runtime.acquire(runtime_id) catch |err| return handles.lookupFailed(err, runtime_id, .runtime);
    var strings = core.Strings.init();
    defer strings.deinit();
    var storage: OptionsStorage = .{};
    fillOptions(&storage, &strings, options_json) catch |err| {
        runtime.header.release();
        return core.optionsFailed(err, "replayer");
    };
    const result = c.temporal_core_worker_replayer_new(runtime.core_runtime, &storage.options);
    if (result.fail) |fail| {
        runtime.header.release();
        return core.failSync(.core, "", fail);
    }
    const core_worker = result.worker orelse {
        runtime.header.release();
        return errors.fail(.core, "core returned no replay worker", .{});
    };
    const pusher = result.worker_replay_pusher orelse {
        c.temporal_core_worker_free(core_worker);
        runtime.header.release();
        return errors.fail(.core, "core returned no replay pusher", .{});
    };
    const worker_id_or_err = register(core_worker, null, runtime, storage.options.task_types);
    if (worker_id_or_err < 0) {
        c.temporal_core_worker_replay_pusher_free(pusher);
        return worker_id_or_err;
    }
    const worker_id: u64 = @intCast(worker_id_or_err);
    const worker = Worker.acquire(worker_id) catch unreachable; // registered just above on this thread
    const self = mem.allocator.create(Replayer) catch {
        c.temporal_core_worker_replay_pusher_free(pusher);
        worker.header.release();
        _ = free(worker_id);
        return errors.fail(.out_of_memory, "out of memory creating a replayer", .{});
    };
    self.* = .{ .header = .{ .kind = .replayer, .destroy_fn = Replayer.destroy }, .pusher = pusher, .worker = worker, .worker_id = worker_id };
    const id = global.register(&self.header) catch |err| {
        _ = free(worker_id);
        return ops.beginFailed(err, "replayer");
    };
    return @intCast(id);
}

pub fn replayerWorker(id: u64) i64 {
    const h = global.table.acquire(id, .replayer) catch |err| return handles.lookupFailed(err, id, .replayer);
    defer h.release();
    const self: *Replayer = @fieldParentPtr("header", h);
    return @intCast(self.worker_id);
}

/// Pushes one history (serialized temporal.api.history.v1.History) for `workflow_id`.
pub fn replayerPush(id: u64, workflow_id: []const u8, history: []const u8) i64 {
    if (workflow_id.len == 0) return errors.fail(.invalid_argument, "replay push: the workflow id is empty", .{});
    const h = global.table.acquire(id, .replayer) catch |err| return handles.lookupFailed(err, id, .replayer);
    defer h.release();
    const self: *Replayer = @fieldParentPtr("header", h);
    if (self.worker.usable("replay push")) |code| return code;
    const result = c.temporal_core_worker_replay_push(self.worker.core_worker, self.pusher, core.ref(workflow_id), core.ref(history));
    if (result.fail) |fail| return core.failSync(.core, "", fail);
    return 0;
}

pub fn replayerFree(id: u64) i64 {
    const header = global.table.remove(id, .replayer) catch |err| return handles.lookupFailed(err, id, .replayer);
    header.release();
    return 0;
}
