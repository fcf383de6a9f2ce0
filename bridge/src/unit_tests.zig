//! `zig build test`: the bridge's own logic, without core. Every test runs under
//! std.testing.allocator, so a leak fails the test.
test {
    _ = @import("errors.zig");
    _ = @import("handles.zig");
    _ = @import("completions.zig");
    _ = @import("log_queue.zig");
    _ = @import("pending.zig");
    _ = @import("metric_tags.zig");
    _ = @import("metric_values.zig");
    _ = @import("attribute_cache.zig");
}
