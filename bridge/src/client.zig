//! Client: core's gRPC connection to the Temporal service, and raw RPC calls over it.
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

pub const Client = struct {
    header: handles.Header,
    core_client: *c.TemporalCoreConnection,
    runtime: *Runtime,

    fn destroy(header: *handles.Header) void {
        if (global.deferIfOnCoreThread(header)) return;
        const self: *Client = @fieldParentPtr("header", header);
        c.temporal_core_client_free(self.core_client);
        self.runtime.header.release();
        mem.allocator.destroy(self);
    }

    pub fn acquire(id: u64) handles.LookupError!*Client {
        const h = try global.table.acquire(id, .client);
        return @fieldParentPtr("header", h);
    }
};

const ConnectOptions = struct {
    targetUrl: []const u8,
    clientName: []const u8 = "temporal-bun-sdk",
    clientVersion: []const u8 = "0.0.0",
    identity: []const u8 = "",
    apiKey: []const u8 = "",
    metadata: ?std.json.ArrayHashMap([]const u8) = null,
    tls: ?struct {
        serverRootCaCert: []const u8 = "",
        domain: []const u8 = "",
        clientCert: []const u8 = "",
        clientPrivateKey: []const u8 = "",
    } = null,
    retry: ?struct {
        initialIntervalMs: u64 = 100,
        randomizationFactor: f64 = 0.2,
        multiplier: f64 = 1.7,
        maxIntervalMs: u64 = 5000,
        maxElapsedTimeMs: u64 = 10000,
        maxRetries: usize = 10,
    } = null,
    keepAlive: ?struct {
        intervalMs: u64 = 30_000,
        timeoutMs: u64 = 15_000,
    } = null,
    httpConnectProxy: ?struct {
        targetHost: []const u8,
        username: []const u8 = "",
        password: []const u8 = "",
    } = null,
    grpcGzip: bool = true,
};

/// Everything core may read until the connect callback runs.
const ConnectContext = struct {
    strings: core.Strings,
    runtime: *Runtime,
    options: c.TemporalCoreConnectionOptions = undefined,
    tls: c.TemporalCoreClientTlsOptions = undefined,
    retry: c.TemporalCoreClientRetryOptions = undefined,
    keep_alive: c.TemporalCoreClientKeepAliveOptions = undefined,
    proxy: c.TemporalCoreClientHttpConnectProxyOptions = undefined,

    fn deinit(ptr: *anyopaque) void {
        const self: *ConnectContext = @ptrCast(@alignCast(ptr));
        self.runtime.header.release();
        self.strings.deinit();
        mem.allocator.destroy(self);
    }
};

fn connectCallback(user_data: ?*anyopaque, success: ?*c.TemporalCoreConnection, fail: ?*const c.TemporalCoreByteArray) callconv(.c) void {
    core.in_core_callback = true;
    defer core.in_core_callback = false;
    const p: *pending.Pending = @ptrCast(@alignCast(user_data.?));
    const ctx: *ConnectContext = @ptrCast(@alignCast(p.context.?.ptr));
    if (fail) |f| {
        if (success) |s| c.temporal_core_client_free(s);
        p.complete(.{ .failure = core.failure(.core, "", f) });
        return;
    }
    const core_client = success orelse {
        p.complete(.{ .failure = pending.Failure.format(.core, "core reported neither a client nor an error", .{}) });
        return;
    };
    const client = mem.allocator.create(Client) catch {
        c.temporal_core_client_free(core_client);
        p.complete(.{ .failure = pending.Failure.format(.out_of_memory, "out of memory creating the client", .{}) });
        return;
    };
    ctx.runtime.header.retain();
    client.* = .{ .header = .{ .kind = .client, .destroy_fn = Client.destroy }, .core_client = core_client, .runtime = ctx.runtime };
    p.complete(.{ .object = &client.header });
}

/// Asynchronous: the pending handle completes with a client object (consume yields its id).
pub fn connect(runtime_id: u64, options_json: []const u8) i64 {
    const runtime = Runtime.acquire(runtime_id) catch |err| return handles.lookupFailed(err, runtime_id, .runtime);
    const ctx = mem.allocator.create(ConnectContext) catch {
        runtime.header.release();
        return errors.fail(.out_of_memory, "out of memory starting connect", .{});
    };
    ctx.* = .{ .strings = core.Strings.init(), .runtime = runtime };
    const rc = fillConnectOptions(ctx, options_json);
    if (rc != 0) {
        ConnectContext.deinit(ctx);
        return rc;
    }
    const p = ops.begin() catch |err| {
        ConnectContext.deinit(ctx);
        return ops.beginFailed(err, "connect");
    };
    p.context = .{ .ptr = ctx, .deinit_fn = ConnectContext.deinit };
    const id = p.queue_id;
    c.temporal_core_client_connect(runtime.core_runtime, &ctx.options, p, connectCallback);
    return @intCast(id);
}

fn fillConnectOptions(ctx: *ConnectContext, options_json: []const u8) i64 {
    const opts = core.parseOptions(ConnectOptions, &ctx.strings, options_json) catch |err| return core.optionsFailed(err, "client connect");
    const url = if (std.mem.indexOf(u8, opts.targetUrl, "://") == null)
        std.fmt.allocPrint(ctx.strings.allocator(), "{s}://{s}", .{ if (opts.tls != null) "https" else "http", opts.targetUrl }) catch return core.optionsFailed(error.OutOfMemory, "client connect")
    else
        opts.targetUrl;
    const has_space = std.mem.indexOfAny(u8, url, " \t\r\n") != null;
    _ = (if (has_space) error.InvalidFormat else std.Uri.parse(url)) catch return errors.fail(.malformed_options, "client connect: targetUrl '{s}' is not a valid address (expected host:port or http(s)://host:port)", .{opts.targetUrl});
    ctx.options = .{
        .target_url = core.ref(url),
        .client_name = core.ref(opts.clientName),
        .client_version = core.ref(opts.clientVersion),
        .metadata = ctx.strings.metadata(opts.metadata) catch |err| return core.optionsFailed(err, "client connect"),
        .binary_metadata = .{ .data = null, .size = 0 },
        .api_key = core.ref(opts.apiKey),
        .identity = core.ref(opts.identity),
        .tls_options = null,
        .retry_options = null,
        .keep_alive_options = null,
        .http_connect_proxy_options = null,
        .grpc_override_callback = null,
        .grpc_override_callback_user_data = null,
        .dns_load_balancing_options = null,
        .grpc_compression = if (opts.grpcGzip) c.TemporalCoreClientGrpcCompression_Gzip else c.TemporalCoreClientGrpcCompression_None,
        .payloads_warn_size = 0,
        .memo_warn_size = 0,
    };
    if (opts.tls) |t| {
        if ((t.clientCert.len == 0) != (t.clientPrivateKey.len == 0)) {
            return errors.fail(.malformed_options, "client connect: tls.clientCert and tls.clientPrivateKey must be given together", .{});
        }
        ctx.tls = .{
            .server_root_ca_cert = core.ref(t.serverRootCaCert),
            .domain = core.ref(t.domain),
            .client_cert = core.ref(t.clientCert),
            .client_private_key = core.ref(t.clientPrivateKey),
        };
        ctx.options.tls_options = &ctx.tls;
    }
    if (opts.retry) |r| {
        ctx.retry = .{
            .initial_interval_millis = r.initialIntervalMs,
            .randomization_factor = r.randomizationFactor,
            .multiplier = r.multiplier,
            .max_interval_millis = r.maxIntervalMs,
            .max_elapsed_time_millis = r.maxElapsedTimeMs,
            .max_retries = r.maxRetries,
        };
        ctx.options.retry_options = &ctx.retry;
    }
    if (opts.keepAlive) |k| {
        ctx.keep_alive = .{ .interval_millis = k.intervalMs, .timeout_millis = k.timeoutMs };
        ctx.options.keep_alive_options = &ctx.keep_alive;
    }
    if (opts.httpConnectProxy) |p| {
        ctx.proxy = .{ .target_host = core.ref(p.targetHost), .username = core.ref(p.username), .password = core.ref(p.password) };
        ctx.options.http_connect_proxy_options = &ctx.proxy;
    }
    return 0;
}

const RpcContext = struct {
    strings: core.Strings,
    client: *Client,
    token: *c.TemporalCoreCancellationToken,
    options: c.TemporalCoreRpcCallOptions = undefined,
    /// Set when cancellation was requested, so the failure is reported as a cancellation
    /// (core reports a cancelled call with status 0 and a message).
    cancel_requested: std.atomic.Value(bool) = .init(false),

    fn deinit(ptr: *anyopaque) void {
        const self: *RpcContext = @ptrCast(@alignCast(ptr));
        c.temporal_core_cancellation_token_free(self.token);
        self.client.header.release();
        self.strings.deinit();
        mem.allocator.destroy(self);
    }

    fn cancel(ptr: *anyopaque) void {
        const self: *RpcContext = @ptrCast(@alignCast(ptr));
        self.cancel_requested.store(true, .release);
        c.temporal_core_cancellation_token_cancel(self.token);
    }
};

fn rpcCallback(
    user_data: ?*anyopaque,
    success: ?*const c.TemporalCoreByteArray,
    status_code: u32,
    failure_message: ?*const c.TemporalCoreByteArray,
    failure_details: ?*const c.TemporalCoreByteArray,
) callconv(.c) void {
    core.in_core_callback = true;
    defer core.in_core_callback = false;
    const p: *pending.Pending = @ptrCast(@alignCast(user_data.?));
    if (success) |s| {
        core.release(failure_message);
        core.release(failure_details);
        p.complete(.{ .bytes = core.adopt(s) });
        return;
    }
    defer core.release(failure_message);
    defer core.release(failure_details);
    const message = if (failure_message) |m| core.slice(m) else "";
    const ctx: *RpcContext = @ptrCast(@alignCast(p.context.?.ptr));
    const cancelled = status_code == grpc_cancelled or (status_code == 0 and ctx.cancel_requested.load(.acquire));
    var f = pending.Failure.format(if (cancelled) .cancelled else .rpc, "{s}", .{message});
    f.status = if (cancelled) grpc_cancelled else status_code;
    if (failure_details) |d| f.details = mem.dupe(core.slice(d)) catch &.{};
    p.complete(.{ .failure = f });
}

const grpc_cancelled: u32 = 1;

pub const Service = enum(u32) { workflow = 1, operator = 2, cloud = 3, testing = 4, health = 5 };

/// Asynchronous raw gRPC call. `metadata` is newline-delimited `k\nv\nk\nv` text.
pub fn rpcCall(client_id: u64, service: u32, rpc: []const u8, request: []const u8, retry: bool, timeout_ms: u32, metadata: []const u8) i64 {
    if (service < 1 or service > 5) return errors.fail(.invalid_argument, "rpc: service {d} is not one of 1 workflow, 2 operator, 3 cloud, 4 test, 5 health", .{service});
    if (rpc.len == 0) return errors.fail(.invalid_argument, "rpc: the method name is empty", .{});
    const client = Client.acquire(client_id) catch |err| return handles.lookupFailed(err, client_id, .client);
    const token = c.temporal_core_cancellation_token_new() orelse {
        client.header.release();
        return errors.fail(.out_of_memory, "rpc: core could not create a cancellation token", .{});
    };
    const ctx = mem.allocator.create(RpcContext) catch {
        c.temporal_core_cancellation_token_free(token);
        client.header.release();
        return errors.fail(.out_of_memory, "out of memory starting rpc {s}", .{rpc});
    };
    ctx.* = .{ .strings = core.Strings.init(), .client = client, .token = token };
    const rc = fillRpcOptions(ctx, service, rpc, request, retry, timeout_ms, metadata);
    if (rc != 0) {
        RpcContext.deinit(ctx);
        return rc;
    }
    const p = ops.begin() catch |err| {
        RpcContext.deinit(ctx);
        return ops.beginFailed(err, "rpc");
    };
    p.context = .{ .ptr = ctx, .deinit_fn = RpcContext.deinit, .cancel_fn = RpcContext.cancel };
    const id = p.queue_id;
    c.temporal_core_client_rpc_call(client.core_client, &ctx.options, p, rpcCallback);
    return @intCast(id);
}

fn fillRpcOptions(ctx: *RpcContext, service: u32, rpc: []const u8, request: []const u8, retry: bool, timeout_ms: u32, metadata: []const u8) i64 {
    const a = ctx.strings.allocator();
    // Request bytes are borrowed from TypeScript for this call only: copy them.
    const rpc_copy = a.dupe(u8, rpc) catch return errors.fail(.out_of_memory, "out of memory copying rpc", .{});
    const req_copy = a.dupe(u8, request) catch return errors.fail(.out_of_memory, "out of memory copying rpc request", .{});
    const md = metadataLines(a, metadata) catch |err| return switch (err) {
        error.OutOfMemory => errors.fail(.out_of_memory, "out of memory copying rpc metadata", .{}),
        error.OddMetadata => errors.fail(.invalid_argument, "rpc metadata must be newline-delimited key/value pairs (an even number of lines)", .{}),
    };
    ctx.options = .{
        .service = @intCast(service),
        .rpc = core.ref(rpc_copy),
        .req = core.ref(req_copy),
        .retry = retry,
        .metadata = md,
        .binary_metadata = .{ .data = null, .size = 0 },
        .timeout_millis = timeout_ms,
        .cancellation_token = ctx.token,
    };
    return 0;
}

/// "k1\nv1\nk2\nv2" → core's array of "k\nv" refs.
fn metadataLines(a: std.mem.Allocator, text: []const u8) error{ OutOfMemory, OddMetadata }!c.TemporalCoreByteArrayRefArray {
    if (text.len == 0) return .{ .data = null, .size = 0 };
    const count = std.mem.count(u8, text, "\n") + 1;
    if (count % 2 != 0) return error.OddMetadata;
    const refs = try a.alloc(c.TemporalCoreByteArrayRef, count / 2);
    var it = std.mem.splitScalar(u8, text, '\n');
    for (refs) |*r| {
        const key = it.next().?;
        const value = it.next().?;
        r.* = core.ref(try std.fmt.allocPrint(a, "{s}\n{s}", .{ key, value }));
    }
    return .{ .data = refs.ptr, .size = refs.len };
}

/// Replaces the gRPC metadata sent with every call (newline-delimited pairs).
pub fn updateMetadata(client_id: u64, metadata: []const u8) i64 {
    const client = Client.acquire(client_id) catch |err| return handles.lookupFailed(err, client_id, .client);
    defer client.header.release();
    var arena = std.heap.ArenaAllocator.init(mem.allocator);
    defer arena.deinit();
    const md = metadataLines(arena.allocator(), metadata) catch |err| return switch (err) {
        error.OutOfMemory => errors.fail(.out_of_memory, "out of memory copying metadata", .{}),
        error.OddMetadata => errors.fail(.invalid_argument, "metadata must be newline-delimited key/value pairs (an even number of lines)", .{}),
    };
    c.temporal_core_client_update_metadata(client.core_client, md);
    return 0;
}

pub fn updateApiKey(client_id: u64, api_key: []const u8) i64 {
    const client = Client.acquire(client_id) catch |err| return handles.lookupFailed(err, client_id, .client);
    defer client.header.release();
    c.temporal_core_client_update_api_key(client.core_client, core.ref(api_key));
    return 0;
}

pub fn free(id: u64) i64 {
    const header = global.table.remove(id, .client) catch |err| return handles.lookupFailed(err, id, .client);
    header.release();
    return 0;
}
