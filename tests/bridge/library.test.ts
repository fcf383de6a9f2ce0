import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "bun";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pkg from "../../package.json";
import {
  InvalidPlatformOverrideError,
  UnsupportedBunVersionError,
  UnsupportedPlatformError,
  checkBunVersion,
  compareVersions,
  currentPlatformKey,
  locateLibrary,
  minimumOfRange,
  platformPackageName,
  supportedPlatform,
  EXPECTED_ABI_VERSION,
  InvalidUseZigValueError,
  NativeBridgeError,
  NativeErrorCode,
  NativeRuntime,
  bridgeVariant,
  candidatePaths,
  isZigBridgeEnabled,
  loadNativeLibrary,
  parseUseZig,
} from "../../src/bridge/index.js";

describe("native library loading", () => {
  test("loads through bun:ffi and reports the expected ABI version", () => {
    const lib = loadNativeLibrary();
    expect(lib.abiVersion).toBe(EXPECTED_ABI_VERSION);
    expect(lib.path).toEndWith("libtemporal_bun_bridge.so");
    expect(lib.symbols.temporal_bun_abi_version()).toBe(EXPECTED_ABI_VERSION);
  });

  test("creates and frees a core runtime; a second free is a typed error", () => {
    const rt = NativeRuntime.create({ logging: { filter: "info", forward: true } });
    expect(rt.id).toBeGreaterThan(0);
    rt.free();
    const s = loadNativeLibrary().symbols;
    expect(s.temporal_bun_runtime_free(rt.id)).toBe(NativeErrorCode.invalid_handle);
  });

  test("a missing library is a NativeBridgeError naming every path tried and the build command", () => {
    let error: unknown;
    try {
      loadNativeLibrary({ paths: ["/nonexistent/libtemporal_bun_bridge.so", "/etc/hostname"] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NativeBridgeError);
    const e = error as NativeBridgeError;
    expect(e.code).toBe(NativeErrorCode.library_unavailable);
    expect(e.message).toContain("/nonexistent/libtemporal_bun_bridge.so: file does not exist");
    expect(e.message).toContain("/etc/hostname");
    expect(e.message).toContain("./dev build");
    expect(e.details.pathsTried).toHaveLength(2);
  });

  test("TEMPORAL_BUN_SDK_NATIVE_PATH is tried first", () => {
    expect(candidatePaths({ TEMPORAL_BUN_SDK_NATIVE_PATH: "/custom/lib.so" })[0]).toBe("/custom/lib.so");
  });

  test("order: TEMPORAL_BUN_SDK_NATIVE_PATH, the platform package, the repository's build output", () => {
    const location = locateLibrary({
      env: { TEMPORAL_BUN_SDK_NATIVE_PATH: "/custom/lib.so" },
      resolvePackageJson: (s) => `/node_modules/${s}`,
    });
    expect(location.platformKey).toBe("linux-x64-gnu");
    expect(location.candidates).toEqual([
      { source: "env", path: "/custom/lib.so" },
      { source: "platform-package", path: "/node_modules/temporal-bun-sdk-linux-x64-gnu/libtemporal_bun_bridge.so" },
      { source: "build-output", path: join(repoRoot, "zig-out/lib/libtemporal_bun_bridge.so") },
    ]);
  });

  test("the platform package is resolved from this package as an install lays it out, and loaded from there", () => {
    const dir = mkdtempSync(join(tmpdir(), "tbs-platform-"));
    try {
      const pkgDir = join(dir, "node_modules", "temporal-bun-sdk-linux-x64-gnu");
      mkdirSync(pkgDir, { recursive: true });
      writeFileSync(join(pkgDir, "package.json"), JSON.stringify({ name: "temporal-bun-sdk-linux-x64-gnu", version: "0.0.0" }));
      // A symlink: dlopen identifies a library by its file, so this is the library already loaded, not a second copy.
      symlinkSync(join(repoRoot, "zig-out/lib/libtemporal_bun_bridge.so"), join(pkgDir, "libtemporal_bun_bridge.so"));
      const lib = loadNativeLibrary({ locate: { env: {}, packageRoot: dir, resolvePackageJson: (s) => createRequire(join(dir, "x.js")).resolve(s) } });
      expect(lib.path).toBe(join(pkgDir, "libtemporal_bun_bridge.so"));
      expect(lib.abiVersion).toBe(EXPECTED_ABI_VERSION);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("nothing installed outside a checkout: the error lists each place and says to bun add the platform package or build from source", () => {
    const dir = mkdtempSync(join(tmpdir(), "tbs-none-"));
    try {
      let error: unknown;
      try {
        loadNativeLibrary({ locate: { env: {}, packageRoot: dir, resolvePackageJson: (s) => createRequire(join(dir, "x.js")).resolve(s) } });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(NativeBridgeError);
      const e = error as NativeBridgeError;
      expect(e.code).toBe(NativeErrorCode.library_unavailable);
      expect(e.message).toContain("platform package temporal-bun-sdk-linux-x64-gnu: package not installed");
      expect(e.message).toContain("`bun add temporal-bun-sdk-linux-x64-gnu`");
      expect(e.message).toContain("./dev build");
      expect(e.details.pathsTried).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an unsupported platform (TEMPORAL_BUN_SDK_PLATFORM=freebsd-arm64) is an UnsupportedPlatformError naming it and the supported ones", () => {
    const dir = mkdtempSync(join(tmpdir(), "tbs-freebsd-"));
    try {
      let error: unknown;
      try {
        loadNativeLibrary({ locate: { env: { TEMPORAL_BUN_SDK_PLATFORM: "freebsd-arm64" }, packageRoot: dir } });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UnsupportedPlatformError);
      const e = error as UnsupportedPlatformError;
      expect(e.platform).toBe("freebsd-arm64");
      expect(e.code).toBe(NativeErrorCode.library_unavailable);
      expect(e.message).toStartWith("no prebuilt library for freebsd-arm64; supported: linux-x64-gnu; build from source");
      expect(e.message).toContain("./dev build");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A platform package is never looked for there; a checkout's own build still is.
    expect(locateLibrary({ env: { TEMPORAL_BUN_SDK_PLATFORM: "freebsd-arm64" } }).candidates.map((c) => c.source)).toEqual(["build-output"]);
  });

  test("platform keys: this machine, the override, and a malformed override", () => {
    expect(currentPlatformKey({})).toBe("linux-x64-gnu");
    expect(supportedPlatform({})?.key).toBe("linux-x64-gnu");
    expect(currentPlatformKey({ TEMPORAL_BUN_SDK_PLATFORM: " Linux-X64-Musl " })).toBe("linux-x64-musl");
    expect(supportedPlatform({ TEMPORAL_BUN_SDK_PLATFORM: "linux-x64-musl" })).toBeUndefined();
    expect(() => currentPlatformKey({ TEMPORAL_BUN_SDK_PLATFORM: "freebsd" })).toThrow(InvalidPlatformOverrideError);
    expect(() => currentPlatformKey({ TEMPORAL_BUN_SDK_PLATFORM: "freebsd" })).toThrow("TEMPORAL_BUN_SDK_PLATFORM='freebsd' is not a platform key");
    expect(platformPackageName("linux-x64-gnu")).toBe("temporal-bun-sdk-linux-x64-gnu");
  });

  // Issue 16: an explicit library that does not load used to be skipped for the package's own one.
  const notALibrary = join(mkdtempSync(join(tmpdir(), "tbs-notlib-")), "libtemporal_bun_bridge.so");
  writeFileSync(notALibrary, "this is a text file, not an ELF shared object\n".repeat(8));
  afterAll(() => rmSync(dirname(notALibrary), { recursive: true, force: true }));
  for (const [what, bad, reason] of [
    // dlopen's own reason, as Bun reports it.
    ["a file that is not a library", notALibrary, `Failed to open library "${notALibrary}": ${notALibrary}: invalid ELF header`],
    ["a missing file", "/nonexistent/libtemporal_bun_bridge.so", "file does not exist"],
  ] as const) {
    for (const useZig of ["1", undefined]) {
      test(`in a fresh process, TEMPORAL_BUN_SDK_NATIVE_PATH at ${what}${useZig ? " with USE_ZIG=1" : ""} is an error naming it and why, never a fallback`, () => {
        const script = `import { loadNativeLibrary } from "${import.meta.dir}/../../src/bridge/index.ts"; try { console.log("loaded " + loadNativeLibrary().path); } catch (e) { console.log(e.name + " " + e.codeName + ": " + e.message); }`;
        const env: Record<string, string | undefined> = { ...process.env, TEMPORAL_BUN_SDK_NATIVE_PATH: bad, TEMPORAL_BUN_SDK_USE_ZIG: useZig };
        const r = spawnSync(["bun", "-e", script], { env });
        const out = r.stdout.toString();
        expect(r.exitCode).toBe(0);
        expect(out).not.toContain("loaded ");
        expect(out).toStartWith("NativeBridgeError library_unavailable: ");
        expect(out).toContain(`TEMPORAL_BUN_SDK_NATIVE_PATH=${bad} could not be loaded: `);
        expect(out).toContain(reason);
      });
    }
  }

  test("with USE_ZIG=0 loading is refused with an error naming the flag", () => {
    const script = `import { loadNativeLibrary } from "${import.meta.dir}/../../src/bridge/index.ts"; try { loadNativeLibrary(); } catch (e) { console.log(e.codeName + ": " + e.message); }`;
    const r = spawnSync(["bun", "-e", script], { env: { ...process.env, TEMPORAL_BUN_SDK_USE_ZIG: "off" } });
    const out = r.stdout.toString();
    expect(out).toStartWith("bridge_disabled:");
    expect(out).toContain("TEMPORAL_BUN_SDK_USE_ZIG=off");
  });
});

const repoRoot = join(import.meta.dir, "../..");

describe("Bun version check", () => {
  test("versions compare numerically, part by part", () => {
    expect(compareVersions("1.4.4", "1.4.4")).toBe(0);
    expect(compareVersions("1.4.10", "1.4.4")).toBe(1);
    expect(compareVersions("1.3.99", "1.4.0")).toBe(-1);
    expect(compareVersions("2.0", "1.99.99")).toBe(1);
    expect(compareVersions("1.4.4-canary.1+abc", "1.4.4")).toBe(0);
    expect(compareVersions("v1.5.0", "1.4.4")).toBe(1);
  });

  test("the minimum of engines.bun, and a range the check does not understand is a TypeError", () => {
    expect(minimumOfRange(pkg.engines.bun)).toBe("1.4.4");
    expect(minimumOfRange("^1.2.3")).toBe("1.2.3");
    expect(minimumOfRange("1.2")).toBe("1.2");
    expect(() => minimumOfRange(">=1.0 <2")).toThrow(TypeError);
  });

  test("below the minimum: UnsupportedBunVersionError naming the running and the required version", () => {
    expect(() => checkBunVersion("1.4.4", ">=1.4.4")).not.toThrow();
    expect(() => checkBunVersion("1.5.0", ">=1.4.4")).not.toThrow();
    expect(() => checkBunVersion(Bun.version)).not.toThrow();
    let error: unknown;
    try {
      checkBunVersion("1.3.2", ">=1.4.4");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnsupportedBunVersionError);
    const e = error as UnsupportedBunVersionError;
    expect(e.bunVersion).toBe("1.3.2");
    expect(e.minimumBunVersion).toBe("1.4.4");
    expect(e.message).toContain("needs Bun 1.4.4 or newer");
    expect(e.message).toContain("this is Bun 1.3.2");
  });

  test("loadNativeLibrary checks it before loading anything", () => {
    expect(() => loadNativeLibrary({ bunVersion: "1.0.0" })).toThrow(UnsupportedBunVersionError);
    expect(loadNativeLibrary().abiVersion).toBe(EXPECTED_ABI_VERSION);
  });
});

describe("TEMPORAL_BUN_SDK_USE_ZIG", () => {
  test("accepted values", () => {
    expect(parseUseZig(undefined)).toBe("auto");
    expect(parseUseZig("")).toBe("auto");
    expect(parseUseZig("AUTO")).toBe("auto");
    for (const v of ["1", "true", "on", "ON", " True "]) expect(parseUseZig(v)).toBe("on");
    for (const v of ["0", "false", "off", "Off"]) expect(parseUseZig(v)).toBe("off");
  });

  test("an invalid value lists the accepted ones", () => {
    expect(() => parseUseZig("yes")).toThrow(InvalidUseZigValueError);
    expect(() => parseUseZig("yes")).toThrow(/accepted values: .*'1', 'true' or 'on'/);
  });

  test("bridgeVariant and isZigBridgeEnabled follow the flag", () => {
    expect(bridgeVariant({})).toBe("zig");
    expect(isZigBridgeEnabled({ TEMPORAL_BUN_SDK_USE_ZIG: "on" })).toBe(true);
    expect(bridgeVariant({ TEMPORAL_BUN_SDK_USE_ZIG: "0" })).toBe("disabled");
    expect(() => bridgeVariant({ TEMPORAL_BUN_SDK_USE_ZIG: "maybe" })).toThrow(InvalidUseZigValueError);
  });
});
