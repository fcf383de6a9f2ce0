//! Ephemeral dev server: core starts an existing Temporal CLI binary (`temporal server
//! start-dev`) on a port it picks or we give, and stops it. Core cannot download here, so
//! `existingPath` is required.
const std = @import("std");
const core = @import("core.zig");
const c = core.c;
const errors = @import("errors.zig");
const handles = @import("handles.zig");
const global = @import("global.zig");
const pending = @import("pending.zig");
const ops = @import("ops.zig");
const mem = @import("mem.zig");
const Runtime = @import("runtime.zig").Runtime;

pub const Server = struct {
    header: handles.Header,
    core_server: *c.TemporalCoreEphemeralServer,
    runtime: *Runtime,
    /// "host:port", owned.
    target: []const u8,

    fn destroy(header: *handles.Header) void {
        if (global.deferIfOnCoreThread(header)) return;
        const self: *Server = @fieldParentPtr("header", header);
        c.temporal_core_ephemeral_server_free(self.core_server);
        self.runtime.header.release();
        mem.free(self.target);
        mem.allocator.destroy(self);
    }

    fn acquire(id: u64) handles.LookupError!*Server {
        const h = try global.table.acquire(id, .server);
        return @fieldParentPtr("header", h);
    }
};

const Options = struct {
    existingPath: []const u8,
    namespace: []const u8 = "default",
    ip: []const u8 = "127.0.0.1",
    /// 0: core picks a free port.
    port: u16 = 0,
    databaseFilename: []const u8 = "",
    ui: bool = false,
    uiPort: u16 = 0,
    logFormat: []const u8 = "pretty",
    logLevel: []const u8 = "warn",
    extraArgs: []const []const u8 = &.{},
    sdkName: []const u8 = "temporal-bun-sdk",
    sdkVersion: []const u8 = "0.0.0",
};

const StartContext = struct {
    strings: core.Strings,
    runtime: *Runtime,
    test_server: c.TemporalCoreTestServerOptions = undefined,
    options: c.TemporalCoreDevServerOptions = undefined,

    fn deinit(ptr: *anyopaque) void {
        const self: *StartContext = @ptrCast(@alignCast(ptr));
        self.runtime.header.release();
        self.strings.deinit();
        mem.allocator.destroy(self);
    }
};

fn startCallback(user_data: ?*anyopaque, success: ?*c.TemporalCoreEphemeralServer, target_address: ?*const c.TemporalCoreByteArray, fail: ?*const c.TemporalCoreByteArray) callconv(.c) void {
    core.in_core_callback = true;
    defer core.in_core_callback = false;
    const p: *pending.Pending = @ptrCast(@alignCast(user_data.?));
    const ctx: *StartContext = @ptrCast(@alignCast(p.context.?.ptr));
    defer core.release(target_address);
    if (fail) |f| {
        if (success) |s| c.temporal_core_ephemeral_server_free(s);
        p.complete(.{ .failure = core.failure(.core, "dev server start failed: ", f) });
        return;
    }
    const core_server = success orelse {
        p.complete(.{ .failure = pending.Failure.format(.core, "core reported neither a server nor an error", .{}) });
        return;
    };
    const target_copy = mem.dupe(if (target_address) |t| core.slice(t) else "") catch null;
    const server = mem.allocator.create(Server) catch null;
    if (server == null or target_copy == null) {
        if (target_copy) |t| mem.free(t);
        if (server) |s| mem.allocator.destroy(s);
        c.temporal_core_ephemeral_server_free(core_server);
        p.complete(.{ .failure = pending.Failure.format(.out_of_memory, "out of memory recording the dev server", .{}) });
        return;
    }
    ctx.runtime.header.retain();
    server.?.* = .{ .header = .{ .kind = .server, .destroy_fn = Server.destroy }, .core_server = core_server, .runtime = ctx.runtime, .target = target_copy.? };
    p.complete(.{ .object = &server.?.header });
}

/// Asynchronous: completes with a server object once the server accepts connections.
pub fn startDev(runtime_id: u64, options_json: []const u8) i64 {
    const runtime = Runtime.acquire(runtime_id) catch |err| return handles.lookupFailed(err, runtime_id, .runtime);
    const ctx = mem.allocator.create(StartContext) catch {
        runtime.header.release();
        return errors.fail(.out_of_memory, "out of memory starting the dev server", .{});
    };
    ctx.* = .{ .strings = core.Strings.init(), .runtime = runtime };
    const opts = core.parseOptions(Options, &ctx.strings, options_json) catch |err| {
        StartContext.deinit(ctx);
        return core.optionsFailed(err, "dev server");
    };
    if (opts.existingPath.len == 0) {
        StartContext.deinit(ctx);
        return errors.fail(.malformed_options, "dev server: existingPath is required (core cannot download the CLI here); ./dev setup builds it", .{});
    }
    std.fs.accessAbsolute(opts.existingPath, .{}) catch |err| {
        StartContext.deinit(ctx);
        return errors.fail(.malformed_options, "dev server: existingPath '{s}' is not accessible ({s}); ./dev setup builds the Temporal CLI", .{ opts.existingPath, @errorName(err) });
    };
    const extra = std.mem.join(ctx.strings.allocator(), "\n", opts.extraArgs) catch {
        StartContext.deinit(ctx);
        return errors.fail(.out_of_memory, "out of memory starting the dev server", .{});
    };
    ctx.test_server = .{
        .existing_path = core.ref(opts.existingPath),
        .sdk_name = core.ref(opts.sdkName),
        .sdk_version = core.ref(opts.sdkVersion),
        .download_version = core.empty_ref,
        .download_dest_dir = core.empty_ref,
        .port = opts.port,
        .extra_args = core.ref(extra),
        .download_ttl_seconds = 0,
    };
    ctx.options = .{
        .test_server = &ctx.test_server,
        .namespace_ = core.ref(opts.namespace),
        .ip = core.ref(opts.ip),
        .database_filename = core.ref(opts.databaseFilename),
        .ui = opts.ui,
        .ui_port = opts.uiPort,
        .log_format = core.ref(opts.logFormat),
        .log_level = core.ref(opts.logLevel),
    };
    const p = ops.begin() catch |err| {
        StartContext.deinit(ctx);
        return ops.beginFailed(err, "dev server");
    };
    p.context = .{ .ptr = ctx, .deinit_fn = StartContext.deinit };
    const id = p.queue_id;
    c.temporal_core_ephemeral_server_start_dev_server(runtime.core_runtime, &ctx.options, p, startCallback);
    return @intCast(id);
}

/// Writes the server's "host:port" as out[0] = pointer, out[1] = length; valid until the
/// server is freed.
pub fn target(id: u64, out: ?*[2]u64) i64 {
    const dst = out orelse return errors.fail(.invalid_argument, "server target: the output array is null", .{});
    const server = Server.acquire(id) catch |err| return handles.lookupFailed(err, id, .server);
    defer server.header.release();
    dst.* = .{ @intFromPtr(server.target.ptr), server.target.len };
    return 0;
}

const ShutdownContext = struct {
    server: *Server,
    fn deinit(ptr: *anyopaque) void {
        const self: *ShutdownContext = @ptrCast(@alignCast(ptr));
        self.server.header.release();
        mem.allocator.destroy(self);
    }
};

fn shutdownCallback(user_data: ?*anyopaque, fail: ?*const c.TemporalCoreByteArray) callconv(.c) void {
    core.in_core_callback = true;
    defer core.in_core_callback = false;
    const p: *pending.Pending = @ptrCast(@alignCast(user_data.?));
    if (fail) |f| p.complete(.{ .failure = core.failure(.core, "dev server shutdown failed: ", f) }) else p.complete(.none);
}

/// Asynchronous: stops the server process and waits for it to exit.
pub fn shutdown(id: u64) i64 {
    const server = Server.acquire(id) catch |err| return handles.lookupFailed(err, id, .server);
    const ctx = mem.allocator.create(ShutdownContext) catch {
        server.header.release();
        return errors.fail(.out_of_memory, "out of memory stopping the dev server", .{});
    };
    ctx.* = .{ .server = server };
    const p = ops.begin() catch |err| {
        ShutdownContext.deinit(ctx);
        return ops.beginFailed(err, "dev server shutdown");
    };
    p.context = .{ .ptr = ctx, .deinit_fn = ShutdownContext.deinit };
    const pid = p.queue_id;
    c.temporal_core_ephemeral_server_shutdown(server.core_server, p, shutdownCallback);
    return @intCast(pid);
}

pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .server) catch |err| return handles.lookupFailed(err, id, .server);
    header.release();
    return 0;
}
