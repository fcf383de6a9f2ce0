//! Runtime: core's tokio runtime plus telemetry (log forwarding, Prometheus or OTLP metrics).
const std = @import("std");
const core = @import("core.zig");
const c = core.c;
const errors = @import("errors.zig");
const handles = @import("handles.zig");
const global = @import("global.zig");
const log_queue = @import("log_queue.zig");
const mem = @import("mem.zig");
const attribute_cache = @import("attribute_cache.zig");

pub const AttributeCache = attribute_cache.Cache(*c.TemporalCoreMetricAttributes);

fn freeAttributes(attributes: *c.TemporalCoreMetricAttributes) void {
    c.temporal_core_metric_attributes_free(attributes);
}

pub const Runtime = struct {
    header: handles.Header,
    core_runtime: *c.TemporalCoreRuntime,
    /// Core's meter for custom metrics (metrics.zig); null when no exporter is configured.
    meter: ?*c.TemporalCoreMetricMeter = null,
    /// The meter's default attribute set, reused by every record that has no tags of its own.
    no_tags: ?*c.TemporalCoreMetricAttributes = null,
    /// Attribute sets of tagged records, by their encoded tags (attribute_cache.zig).
    attributes: AttributeCache,

    fn destroy(header: *handles.Header) void {
        if (global.deferIfOnCoreThread(header)) return;
        const self: *Runtime = @fieldParentPtr("header", header);
        // Every metric holds a reference on the runtime, so none is left when we get here.
        self.attributes.deinit();
        if (self.no_tags) |a| c.temporal_core_metric_attributes_free(a);
        if (self.meter) |m| c.temporal_core_metric_meter_free(m);
        c.temporal_core_runtime_free(self.core_runtime);
        mem.allocator.destroy(self);
    }

    pub fn acquire(id: u64) handles.LookupError!*Runtime {
        const h = try global.table.acquire(id, .runtime);
        return @fieldParentPtr("header", h);
    }
};

const Options = struct {
    logging: ?struct {
        filter: []const u8,
        /// true: records go to the bounded log queue TypeScript drains; false: core prints them.
        forward: bool = true,
    } = null,
    metrics: ?struct {
        prometheus: ?struct {
            bindAddress: []const u8,
            countersTotalSuffix: bool = false,
            unitSuffix: bool = false,
            durationsAsSeconds: bool = false,
        } = null,
        otel: ?struct {
            url: []const u8,
            headers: ?std.json.ArrayHashMap([]const u8) = null,
            metricPeriodicityMs: u32 = 0,
            temporality: enum { cumulative, delta } = .cumulative,
            durationsAsSeconds: bool = false,
            protocol: enum { grpc, http } = .grpc,
        } = null,
        attachServiceName: bool = true,
        globalTags: ?std.json.ArrayHashMap([]const u8) = null,
        metricPrefix: []const u8 = "",
    } = null,
    workerHeartbeatIntervalMs: u64 = 0,
    /// Reported to the server in worker heartbeats as the SDK runtime's version.
    runtimeVersion: []const u8 = "",
};

fn forwardLog(level: c.TemporalCoreForwardedLogLevel, log: ?*const c.TemporalCoreForwardedLog) callconv(.c) void {
    const record = log orelse return;
    const lvl: log_queue.Level = switch (level) {
        c.TemporalCoreForwardedLogLevel_Trace => .trace,
        c.TemporalCoreForwardedLogLevel_Debug => .debug,
        c.TemporalCoreForwardedLogLevel_Info => .info,
        c.TemporalCoreForwardedLogLevel_Warn => .warn,
        else => .@"error",
    };
    const target = c.temporal_core_forwarded_log_target(record);
    const message = c.temporal_core_forwarded_log_message(record);
    const fields = c.temporal_core_forwarded_log_fields_json(record);
    _ = global.logs.push(lvl, c.temporal_core_forwarded_log_timestamp_millis(record), refSlice(target), refSlice(message), refSlice(fields));
    if (global.queue()) |q| q.wake() else |_| {}
}

fn refSlice(r: c.TemporalCoreByteArrayRef) []const u8 {
    if (r.data == null or r.size == 0) return &.{};
    return r.data[0..r.size];
}

/// Synchronous: core builds its runtime without network I/O.
pub fn new(options_json: []const u8) i64 {
    var strings = core.Strings.init();
    defer strings.deinit();
    const opts = core.parseOptions(Options, &strings, options_json) catch |err| return core.optionsFailed(err, "runtime");
    _ = global.queue() catch |err| return errors.fail(.system, "cannot create the completion queue's wake pipe: {s}", .{@errorName(err)});
    // Before core starts any task: a panic in one must end the calls waiting on it.
    @import("panics.zig").install();

    var logging: c.TemporalCoreLoggingOptions = undefined;
    var metrics: c.TemporalCoreMetricsOptions = undefined;
    var prometheus: c.TemporalCorePrometheusOptions = undefined;
    var otel: c.TemporalCoreOpenTelemetryOptions = undefined;
    var telemetry: c.TemporalCoreTelemetryOptions = .{ .logging = null, .metrics = null };
    if (opts.logging) |l| {
        logging = .{ .filter = core.ref(l.filter), .forward_to = if (l.forward) forwardLog else null };
        telemetry.logging = &logging;
    }
    if (opts.metrics) |m| {
        if (m.prometheus != null and m.otel != null) {
            return errors.fail(.malformed_options, "runtime options: metrics.prometheus and metrics.otel are mutually exclusive", .{});
        }
        metrics = .{
            .opentelemetry = null,
            .prometheus = null,
            .custom_meter = null,
            .attach_service_name = m.attachServiceName,
            .global_tags = strings.newlineMap(m.globalTags) catch |err| return core.optionsFailed(err, "runtime"),
            .metric_prefix = core.ref(m.metricPrefix),
        };
        if (m.prometheus) |p| {
            prometheus = .{
                .bind_address = core.ref(p.bindAddress),
                .counters_total_suffix = p.countersTotalSuffix,
                .unit_suffix = p.unitSuffix,
                .durations_as_seconds = p.durationsAsSeconds,
                .histogram_bucket_overrides = core.empty_ref,
            };
            metrics.prometheus = &prometheus;
        }
        if (m.otel) |o| {
            otel = .{
                .url = core.ref(o.url),
                .headers = strings.newlineMap(o.headers) catch |err| return core.optionsFailed(err, "runtime"),
                .metric_periodicity_millis = o.metricPeriodicityMs,
                .metric_temporality = switch (o.temporality) {
                    .cumulative => c.TemporalCoreOpenTelemetryMetricTemporality_Cumulative,
                    .delta => c.TemporalCoreOpenTelemetryMetricTemporality_Delta,
                },
                .durations_as_seconds = o.durationsAsSeconds,
                .protocol = switch (o.protocol) {
                    .grpc => c.TemporalCoreOpenTelemetryProtocol_Grpc,
                    .http => c.TemporalCoreOpenTelemetryProtocol_Http,
                },
                .histogram_bucket_overrides = core.empty_ref,
            };
            metrics.opentelemetry = &otel;
        }
        telemetry.metrics = &metrics;
    }
    const info = c.TemporalCoreRuntimeInfo{ .runtime_type = c.TemporalCoreRuntimeType_Bun, .version = core.ref(opts.runtimeVersion) };
    const options = c.TemporalCoreRuntimeOptions{
        .telemetry = &telemetry,
        .worker_heartbeat_interval_millis = opts.workerHeartbeatIntervalMs,
        .runtime_info = .{ .data = &info, .size = 1 },
        .disable_environment_info = false,
    };
    const result = c.temporal_core_runtime_new(&options);
    const core_runtime = result.runtime orelse return errors.fail(.core, "core returned no runtime", .{});
    if (result.fail) |fail| {
        // Core's contract: the runtime is present even on failure and must be freed after the message.
        const rc = core.failSync(.core, "runtime creation failed: ", fail);
        c.temporal_core_runtime_free(core_runtime);
        return rc;
    }
    const self = mem.allocator.create(Runtime) catch {
        c.temporal_core_runtime_free(core_runtime);
        return errors.fail(.out_of_memory, "out of memory creating a runtime", .{});
    };
    self.* = .{ .header = .{ .kind = .runtime, .destroy_fn = Runtime.destroy }, .core_runtime = core_runtime, .attributes = AttributeCache.init(mem.allocator, freeAttributes) };
    if (opts.metrics != null) attachMeter(self);
    const id = global.register(&self.header) catch return errors.fail(.capacity, "handle table is full ({d} live handles)", .{handles.capacity});
    return @intCast(id);
}

/// Core gives no meter without an exporter; then custom metrics are refused (metrics.zig)
/// and TypeScript uses its no-op meter, as the official SDK does.
fn attachMeter(self: *Runtime) void {
    std.debug.assert(self.meter == null and self.no_tags == null);
    const meter = c.temporal_core_metric_meter_new(self.core_runtime) orelse return;
    // A real (non-null) pointer for the empty slice: core builds a Rust slice from it.
    var none: [1]c.TemporalCoreMetricAttribute = undefined;
    const no_tags = c.temporal_core_metric_attributes_new(meter, &none, 0) orelse {
        c.temporal_core_metric_meter_free(meter);
        return;
    };
    self.meter = meter;
    self.no_tags = no_tags;
}

pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .runtime) catch |err| return handles.lookupFailed(err, id, .runtime);
    header.release();
    return 0;
}
