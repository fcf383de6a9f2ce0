//! Custom metrics on core's meter: the instruments users create (counters, histograms,
//! gauges, up-down counters) record into the same exporter (Prometheus or OTLP) as core's
//! own metrics.
//!
//! The meter belongs to the runtime (runtime.zig creates it when metrics are configured).
//! A Metric handle holds one reference on its runtime, so the meter outlives every
//! instrument made from it. Core panics when a value of the wrong type is recorded on an
//! instrument (`record_integer` on a float histogram), so `record` dispatches on the kind
//! we stored and never lets such a call through.
const std = @import("std");
const core = @import("core.zig");
const c = core.c;
const errors = @import("errors.zig");
const handles = @import("handles.zig");
const global = @import("global.zig");
const mem = @import("mem.zig");
const metric_tags = @import("metric_tags.zig");
const metric_values = @import("metric_values.zig");
const Runtime = @import("runtime.zig").Runtime;
const AttributeCache = @import("runtime.zig").AttributeCache;

const Kind = metric_values.Kind;
const convert = metric_values.convert;

fn coreKind(kind: Kind) c.TemporalCoreMetricKind {
    return switch (kind) {
        .counter_int => c.TemporalCoreMetricKind_CounterInteger,
        .histogram_int => c.TemporalCoreMetricKind_HistogramInteger,
        .histogram_float => c.TemporalCoreMetricKind_HistogramFloat,
        .gauge_int => c.TemporalCoreMetricKind_GaugeInteger,
        .gauge_float => c.TemporalCoreMetricKind_GaugeFloat,
        .up_down_counter_int => c.TemporalCoreMetricKind_UpDownCounterInteger,
    };
}

pub const Metric = struct {
    header: handles.Header,
    runtime: *Runtime,
    core_metric: *c.TemporalCoreMetric,
    kind: Kind,

    fn destroy(header: *handles.Header) void {
        const self: *Metric = @fieldParentPtr("header", header);
        c.temporal_core_metric_free(self.core_metric);
        self.runtime.header.release();
        mem.allocator.destroy(self);
    }

    fn acquire(id: u64) handles.LookupError!*Metric {
        const h = try global.table.acquire(id, .metric);
        return @fieldParentPtr("header", h);
    }
};

/// Core's ByteArrayRef readers build a slice from the pointer even when the size is 0, which
/// Rust requires to be non-null: give empty strings a real address.
fn textRef(bytes: []const u8) c.TemporalCoreByteArrayRef {
    const empty: []const u8 = "";
    return .{ .data = if (bytes.len == 0) empty.ptr else bytes.ptr, .size = bytes.len };
}

pub fn new(runtime_id: u64, kind_code: u32, name: []const u8, unit: []const u8, description: []const u8) i64 {
    const kind = std.meta.intToEnum(Kind, kind_code) catch return errors.fail(.invalid_argument, "metric kind {d} is not one of 1..6", .{kind_code});
    if (name.len == 0) return errors.fail(.invalid_argument, "a metric name must not be empty", .{});
    for ([_][]const u8{ name, unit, description }, [_][]const u8{ "name", "unit", "description" }) |text, what| {
        if (!std.unicode.utf8ValidateSlice(text)) return errors.fail(.invalid_argument, "the metric {s} is not UTF-8", .{what});
    }
    const rt = Runtime.acquire(runtime_id) catch |err| return handles.lookupFailed(err, runtime_id, .runtime);
    // On success the metric keeps this reference; every failure path drops it.
    const meter = rt.meter orelse {
        rt.header.release();
        return errors.fail(.invalid_state, "the runtime has no metrics exporter (set telemetryOptions.metrics to Prometheus or OTLP)", .{});
    };
    const options = c.TemporalCoreMetricOptions{ .name = textRef(name), .description = textRef(description), .unit = textRef(unit), .kind = coreKind(kind) };
    const core_metric = c.temporal_core_metric_new(meter, &options) orelse {
        rt.header.release();
        return errors.fail(.core, "core returned no metric for '{s}'", .{name});
    };
    const self = mem.allocator.create(Metric) catch {
        c.temporal_core_metric_free(core_metric);
        rt.header.release();
        return errors.fail(.out_of_memory, "out of memory creating metric '{s}'", .{name});
    };
    self.* = .{ .header = .{ .kind = .metric, .destroy_fn = Metric.destroy }, .runtime = rt, .core_metric = core_metric, .kind = kind };
    const id = global.register(&self.header) catch return errors.fail(.capacity, "handle table is full ({d} live handles)", .{handles.capacity});
    return @intCast(id);
}

/// Records one value with the tags encoded in `tags` (metric_tags.zig). Tags decode onto the
/// stack; the attribute set core builds from them is cached per encoding (attribute_cache.zig).
pub fn record(metric_id: u64, value: f64, tags: []const u8) i64 {
    const self = Metric.acquire(metric_id) catch |err| return handles.lookupFailed(err, metric_id, .metric);
    defer self.header.release();
    const converted = convert(self.kind, value) catch |err| return errors.fail(.invalid_argument, "metric value {d} for a {s} instrument: {s}", .{ value, @tagName(self.kind), metric_values.describe(err) });

    const meter = self.runtime.meter.?; // A metric exists only if its runtime had a meter.
    if (tags.len == 0) {
        recordValue(self, converted, self.runtime.no_tags.?);
        return 0;
    }
    const cache = &self.runtime.attributes;
    if (!AttributeCache.cacheable(tags)) {
        const attributes = newAttributes(meter, tags) catch return errors.lastCodeValue();
        defer c.temporal_core_metric_attributes_free(attributes);
        recordValue(self, converted, attributes);
        return 0;
    }
    // Held through the record: a put on another thread could otherwise free the set we use.
    cache.mutex.lock();
    defer cache.mutex.unlock();
    const attributes = cache.get(tags) orelse blk: {
        const built = newAttributes(meter, tags) catch return errors.lastCodeValue();
        cache.put(tags, built) catch {
            // Out of memory for the cache entry: record uncached rather than fail the record.
            defer c.temporal_core_metric_attributes_free(built);
            recordValue(self, converted, built);
            return 0;
        };
        break :blk built;
    };
    recordValue(self, converted, attributes);
    return 0;
}

/// Decodes `tags` and has core build the attribute set (meter defaults + tags). On error the
/// thread's last error is set.
fn newAttributes(meter: *c.TemporalCoreMetricMeter, tags: []const u8) error{Failed}!*c.TemporalCoreMetricAttributes {
    var decoded: [metric_tags.max_tags]metric_tags.Tag = undefined;
    const count = metric_tags.decode(tags, &decoded) catch |err| {
        _ = errors.fail(.invalid_argument, "metric tags are malformed: {s}", .{metric_tags.describe(err)});
        return error.Failed;
    };
    std.debug.assert(count > 0);
    var core_tags: [metric_tags.max_tags]c.TemporalCoreMetricAttribute = undefined;
    for (decoded[0..count], core_tags[0..count]) |tag, *out| out.* = coreAttribute(tag);
    return c.temporal_core_metric_attributes_new(meter, &core_tags, count) orelse {
        _ = errors.fail(.core, "core returned no attribute set", .{});
        return error.Failed;
    };
}

fn recordValue(self: *const Metric, value: metric_values.Value, attributes: *c.TemporalCoreMetricAttributes) void {
    switch (value) {
        .unsigned => |v| {
            std.debug.assert(self.kind == .counter_int or self.kind == .histogram_int or self.kind == .gauge_int);
            c.temporal_core_metric_record_integer(self.core_metric, v, attributes);
        },
        .signed => |v| {
            std.debug.assert(self.kind == .up_down_counter_int);
            c.temporal_core_metric_record_integer_signed(self.core_metric, v, attributes);
        },
        .float => |v| {
            std.debug.assert(self.kind == .histogram_float or self.kind == .gauge_float);
            c.temporal_core_metric_record_float(self.core_metric, v, attributes);
        },
    }
}

fn coreAttribute(tag: metric_tags.Tag) c.TemporalCoreMetricAttribute {
    return switch (tag.value) {
        .string => |s| .{ .key = textRef(tag.key), .value = .{ .string_value = textRef(s) }, .value_type = c.TemporalCoreMetricAttributeValueType_String },
        .int => |i| .{ .key = textRef(tag.key), .value = .{ .int_value = i }, .value_type = c.TemporalCoreMetricAttributeValueType_Int },
        .float => |f| .{ .key = textRef(tag.key), .value = .{ .float_value = f }, .value_type = c.TemporalCoreMetricAttributeValueType_Float },
        .bool => |b| .{ .key = textRef(tag.key), .value = .{ .bool_value = b }, .value_type = c.TemporalCoreMetricAttributeValueType_Bool },
    };
}

pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .metric) catch |err| return handles.lookupFailed(err, id, .metric);
    header.release();
    return 0;
}
