//! Native build: Rust core (static lib, via cargo) + Zig bridge → libtemporal_bun_bridge.
//!
//!   zig build          builds the core if needed and installs zig-out/lib/libtemporal_bun_bridge.so
//!   zig build test     runs the bridge's unit tests (no core, no network)
//!
//! Options:
//!   -Dcache-dir=PATH   where heavy outputs live (default $TEMPORAL_BUN_SDK_CACHE or
//!                      $HOME/.cache/temporal-bun-sdk); the cargo target dir is keyed by the
//!                      pinned @temporalio/core-bridge version.
//!   -Dskip-cargo=true  link the static lib already in the cache without invoking cargo.
//!   -Dglibc=X.Y        the oldest glibc the library must run on (default below), or `native`
//!                      for the host's glibc and CPU. The Zig link targets that glibc, and the
//!                      core's C dependencies are compiled by `zig cc` for it (its cargo target
//!                      dir is keyed by it). tests/bridge/glibc.test.ts checks the result.
const std = @import("std");
const builtin = @import("builtin");

/// The glibc the published library is built for: 2.28 is Debian 10, RHEL/Rocky 8, Ubuntu
/// 18.10+, Amazon Linux 2023 (docs/building.md). tests/bridge/glibc.test.ts reads this line.
const default_glibc = "2.28";

pub fn build(b: *std.Build) void {
    const glibc = b.option([]const u8, "glibc", "Oldest glibc to run on, e.g. 2.28, or `native` (default " ++ default_glibc ++ ")") orelse default_glibc;
    const pinned_glibc = !std.mem.eql(u8, glibc, "native");
    // A pinned glibc also means the baseline CPU of the architecture (the default target is
    // the build machine's own CPU, whose instructions another machine may lack).
    const target = if (pinned_glibc) blk: {
        const query = std.Target.Query.parse(.{
            .arch_os_abi = b.fmt("{s}-linux-gnu.{s}", .{ @tagName(builtin.cpu.arch), glibc }),
        }) catch |err| std.debug.panic("-Dglibc={s}: not a glibc version like 2.28 ({s})", .{ glibc, @errorName(err) });
        break :blk b.resolveTargetQuery(query);
    } else b.standardTargetOptions(.{});
    // ReleaseSafe by default: fast, and every assertion and bounds check stays on, so a
    // broken invariant stops with a message instead of corrupting memory.
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimization mode (default ReleaseSafe)") orelse .ReleaseSafe;

    const cache_dir = b.option([]const u8, "cache-dir", "Cache folder for heavy build outputs") orelse defaultCacheDir(b);
    const skip_cargo = b.option(bool, "skip-cargo", "Do not run cargo; link the cached static lib") orelse false;

    const core_pkg = b.pathFromRoot("node_modules/@temporalio/core-bridge");
    const core_version = readPackageVersion(b, core_pkg);
    const cargo_target = if (pinned_glibc)
        b.fmt("{s}/cargo-target/core-bridge-{s}-gnu.{s}", .{ cache_dir, core_version, glibc })
    else
        b.fmt("{s}/cargo-target/core-bridge-{s}", .{ cache_dir, core_version });
    // Our crate bridge/core/bun-core: the C bridge plus its panic hook (see build-core.sh).
    const core_lib = b.fmt("{s}/release/libtemporal_bun_core.a", .{cargo_target});
    const core_include = b.fmt("{s}/sdk-core/crates/sdk-core-c-bridge/include", .{core_pkg});

    // ---- the shared library
    const lib_module = b.createModule(.{
        .root_source_file = b.path("bridge/src/root.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
    });
    lib_module.addIncludePath(.{ .cwd_relative = core_include });
    lib_module.addObjectFile(.{ .cwd_relative = core_lib });
    // What the Rust static lib needs from the system (`--print native-static-libs`).
    for ([_][]const u8{ "gcc_s", "util", "rt", "pthread", "m", "dl" }) |name| {
        lib_module.linkSystemLibrary(name, .{});
    }
    const lib = b.addLibrary(.{ .linkage = .dynamic, .name = "temporal_bun_bridge", .root_module = lib_module });
    lib.version_script = b.path("bridge/exports.map");
    // Lets the linker drop the parts of the core nothing reachable from our exports uses.
    lib.link_gc_sections = true;
    if (!skip_cargo) {
        const core_src = b.fmt("{s}/core-src/core-bridge-{s}", .{ cache_dir, core_version });
        const cargo = b.addSystemCommand(&.{ "bash", b.pathFromRoot("bridge/core/build-core.sh"), b.pathFromRoot("."), cargo_target, core_src });
        if (pinned_glibc) {
            cargo.addArgs(&.{ b.graph.zig_exe, glibc });
            if (b.graph.global_cache_root.path) |dir| cargo.setEnvironmentVariable("ZIG_GLOBAL_CACHE_DIR", dir);
        }
        cargo.has_side_effects = true; // cargo decides itself whether anything changed
        lib.step.dependOn(&cargo.step);
    }
    b.installArtifact(lib);

    // ---- unit tests: pure bridge modules, no core linked
    const test_module = b.createModule(.{
        .root_source_file = b.path("bridge/src/unit_tests.zig"),
        .target = b.graph.host,
        .optimize = .Debug,
        .link_libc = true,
    });
    const unit_tests = b.addTest(.{ .root_module = test_module });
    const run_tests = b.addRunArtifact(unit_tests);
    const test_step = b.step("test", "Run the bridge's unit tests");
    test_step.dependOn(&run_tests.step);
}

fn defaultCacheDir(b: *std.Build) []const u8 {
    if (b.graph.env_map.get("TEMPORAL_BUN_SDK_CACHE")) |dir| return dir;
    const home = b.graph.env_map.get("HOME") orelse @panic("HOME is not set; pass -Dcache-dir=PATH");
    return b.fmt("{s}/.cache/temporal-bun-sdk", .{home});
}

fn readPackageVersion(b: *std.Build, pkg_dir: []const u8) []const u8 {
    const path = b.fmt("{s}/package.json", .{pkg_dir});
    const text = std.fs.cwd().readFileAlloc(b.allocator, path, 1 << 20) catch |err| {
        std.debug.panic("cannot read {s} ({s}): run `bun install` first (./dev setup does it)", .{ path, @errorName(err) });
    };
    const Pkg = struct { version: []const u8 };
    const parsed = std.json.parseFromSlice(Pkg, b.allocator, text, .{ .ignore_unknown_fields = true }) catch |err| {
        std.debug.panic("cannot parse {s}: {s}", .{ path, @errorName(err) });
    };
    return parsed.value.version;
}
