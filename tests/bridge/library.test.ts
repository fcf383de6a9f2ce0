import { describe, expect, test } from "bun:test";
import { spawnSync } from "bun";
import {
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

  test("in a fresh process, a bad TEMPORAL_BUN_SDK_NATIVE_PATH with USE_ZIG=1 still finds the package build", () => {
    const script = `import { loadNativeLibrary } from "${import.meta.dir}/../../src/bridge/index.ts"; console.log(loadNativeLibrary().path);`;
    const r = spawnSync(["bun", "-e", script], {
      env: { ...process.env, TEMPORAL_BUN_SDK_NATIVE_PATH: "/missing.so", TEMPORAL_BUN_SDK_USE_ZIG: "1" },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString()).toContain("zig-out/lib/libtemporal_bun_bridge.so");
  });

  test("with USE_ZIG=0 loading is refused with an error naming the flag", () => {
    const script = `import { loadNativeLibrary } from "${import.meta.dir}/../../src/bridge/index.ts"; try { loadNativeLibrary(); } catch (e) { console.log(e.codeName + ": " + e.message); }`;
    const r = spawnSync(["bun", "-e", script], { env: { ...process.env, TEMPORAL_BUN_SDK_USE_ZIG: "off" } });
    const out = r.stdout.toString();
    expect(out).toStartWith("bridge_disabled:");
    expect(out).toContain("TEMPORAL_BUN_SDK_USE_ZIG=off");
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
