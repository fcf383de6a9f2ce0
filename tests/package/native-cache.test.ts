/**
 * The cache folder where a compiled worker writes its embedded bridge library
 * (src/worker/single-binary/native-cache.ts): the order of folders, reuse, and the refusals
 * (a temp folder others can write to, a damaged embedded copy). No server needed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NativeLibraryExtractError, extractNativeLibrary, nativeCacheDirs, type EmbeddedLibrary } from "../../src/worker/single-binary/native-cache.js";

let work: string;
let lib: EmbeddedLibrary;
const content = new TextEncoder().encode("not really a shared library, but bytes to copy ".repeat(1000));
const uid = process.getuid!();

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "native-cache-test-"));
  const embeddedPath = path.join(work, "lib.so.gz");
  writeFileSync(embeddedPath, Bun.gzipSync(content));
  lib = { embeddedPath, fileName: "libtemporal_bun_bridge.so", sha256: new Bun.CryptoHasher("sha256").update(content).digest("hex"), bytes: content.byteLength };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("nativeCacheDirs", () => {
  test("XDG_CACHE_HOME (absolute only), then HOME/.cache, then a per-user folder in the temp folder", () => {
    expect(nativeCacheDirs({ XDG_CACHE_HOME: "/x", HOME: "/h" }, "/t")).toEqual([
      { dir: "/x/temporal-bun-sdk/native", shared: false },
      { dir: "/h/.cache/temporal-bun-sdk/native", shared: false },
      { dir: `/t/temporal-bun-sdk-${uid}/native`, shared: true },
    ]);
    // A relative XDG_CACHE_HOME is invalid by the XDG spec; an empty HOME is no HOME.
    expect(nativeCacheDirs({ XDG_CACHE_HOME: "rel", HOME: "" }, "/t")).toEqual([{ dir: `/t/temporal-bun-sdk-${uid}/native`, shared: true }]);
  });
});

describe("extractNativeLibrary", () => {
  test("writes the library once under a folder named by its hash, then reuses it", async () => {
    const home = mkdtempSync(path.join(work, "home-"));
    const first = await extractNativeLibrary(lib, { HOME: home }, work);
    expect(first).toEqual({ path: path.join(home, ".cache/temporal-bun-sdk/native", lib.sha256.slice(0, 32), lib.fileName), written: true });
    expect(new Uint8Array(readFileSync(first.path))).toEqual(content);
    expect(statSync(first.path).mode & 0o777).toBe(0o755);
    const again = await extractNativeLibrary(lib, { HOME: home }, work);
    expect(again).toEqual({ path: first.path, written: false });
  });

  test("a file of the wrong size (an older, cut-off copy) is replaced", async () => {
    const home = mkdtempSync(path.join(work, "home-"));
    const target = path.join(home, ".cache/temporal-bun-sdk/native", lib.sha256.slice(0, 32), lib.fileName);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, "short");
    expect(await extractNativeLibrary(lib, { HOME: home }, work)).toEqual({ path: target, written: true });
    expect(statSync(target).size).toBe(content.byteLength);
  });

  test("with no usable HOME it uses a private folder in the temp folder", async () => {
    const tmp = mkdtempSync(path.join(work, "tmp-"));
    const got = await extractNativeLibrary(lib, { HOME: "/dev/null" }, tmp);
    expect(got.path).toBe(path.join(tmp, `temporal-bun-sdk-${uid}`, "native", lib.sha256.slice(0, 32), lib.fileName));
    expect(statSync(path.join(tmp, `temporal-bun-sdk-${uid}`)).mode & 0o077).toBe(0);
  });

  test("refuses a temp folder other users can write to, naming every folder tried", async () => {
    const tmp = mkdtempSync(path.join(work, "tmp-"));
    const planted = path.join(tmp, `temporal-bun-sdk-${uid}`);
    mkdirSync(planted);
    chmodSync(planted, 0o777);
    const err = await extractNativeLibrary(lib, { HOME: "/dev/null" }, tmp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NativeLibraryExtractError);
    const message = (err as Error).message;
    expect(message).toContain("/dev/null/.cache/temporal-bun-sdk/native");
    expect(message).toContain(`${planted} is writable by other users (mode 777)`);
    expect(message).toContain("TEMPORAL_BUN_SDK_NATIVE_PATH");
    expect((err as NativeLibraryExtractError).tried).toHaveLength(2);
  });

  test("a damaged embedded copy is an error saying to rebuild, and nothing is written", async () => {
    const home = mkdtempSync(path.join(work, "home-"));
    const err = await extractNativeLibrary({ ...lib, bytes: lib.bytes + 1 }, { HOME: home }, work).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NativeLibraryExtractError);
    expect((err as Error).message).toContain("damaged");
    expect((err as Error).message).toContain("temporal-bun-worker build");
    expect(Bun.spawnSync(["find", home, "-type", "f"]).stdout.toString()).toBe("");
  });
});
