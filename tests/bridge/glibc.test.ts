// The bridge library must load on the oldest glibc it is built for (build.zig's default_glibc):
// a dependency upgrade or a build change that binds one symbol to a newer GLIBC_x.y version
// would make dlopen fail on older distributions ("version `GLIBC_2.34' not found") while every
// test on this machine still passes. This reads what the library actually loaded by the SDK
// asks of the system and fails naming the symbols that need too new a glibc.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "bun";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadNativeLibrary } from "../../src/bridge/index.js";
import { compareVersions, glibcVersion, newestGlibc, readElfNeeds } from "../../tools/elf-glibc.js";

const repo = join(import.meta.dir, "../..");

/** build.zig's `const default_glibc = "2.28";`: the one place the target is written. */
function targetGlibc(): string {
  const m = /^const default_glibc = "([^"]+)";$/m.exec(readFileSync(join(repo, "build.zig"), "utf8"));
  if (!m) throw new Error("build.zig has no `const default_glibc = \"X.Y\";` line");
  if (!glibcVersion(`GLIBC_${m[1]}`)) throw new Error(`build.zig's default_glibc is "${m[1]}", not a glibc version: the default build would not be portable`);
  return m[1]!;
}

// What glibc itself ships as separate libraries; anything else (libgcc_s, libstdc++, libssl…)
// would be one more thing the target system must have, in a version we do not control.
const GLIBC_LIBRARIES = new Set([
  "libc.so.6",
  "libm.so.6",
  "libpthread.so.0",
  "libdl.so.2",
  "librt.so.1",
  "libutil.so.1",
  "ld-linux-x86-64.so.2",
  "ld-linux-aarch64.so.1",
]);

describe("bridge library portability (glibc)", () => {
  const libPath = loadNativeLibrary().path;
  const needs = readElfNeeds(new Uint8Array(readFileSync(libPath)));

  test("build.zig pins a glibc version for the default build", () => {
    expect(glibcVersion(`GLIBC_${targetGlibc()}`)).toBeDefined();
  });

  test("needs no GLIBC_x.y version newer than build.zig's default_glibc", () => {
    const target = glibcVersion(`GLIBC_${targetGlibc()}`)!;
    const tooNew = needs.versions
      .filter((v) => {
        const n = glibcVersion(v.version);
        return n !== undefined && compareVersions(n, target) > 0;
      })
      .map((v) => `${v.version} (${v.file}): ${v.symbols.join(", ") || "no named symbol"}`);
    // The message names the library and each offending version with its symbols.
    expect({ library: libPath, tooNew }).toEqual({ library: libPath, tooNew: [] });
    expect(newestGlibc(needs)).toBeDefined();
    expect(compareVersions(glibcVersion(`GLIBC_${newestGlibc(needs)}`)!, target)).toBeLessThanOrEqual(0);
  });

  test("links only glibc's own libraries (no libgcc_s, libstdc++ or other system library)", () => {
    expect(needs.needed.length).toBeGreaterThan(0);
    expect(needs.needed.filter((n) => !GLIBC_LIBRARIES.has(n))).toEqual([]);
    const nonGlibcVersions = needs.versions.filter((v) => !v.version.startsWith("GLIBC_")).map((v) => `${v.file} ${v.version}`);
    expect(nonGlibcVersions).toEqual([]);
  });

  // The ELF reader against binutils, where objdump is installed: same versions, same symbols.
  const objdump = Bun.which("objdump");
  test.skipIf(!objdump)("the ELF reader agrees with objdump -T", () => {
    const out = spawnSync([objdump!, "-T", libPath], { stdout: "pipe", stderr: "pipe" });
    expect(out.exitCode).toBe(0);
    const fromObjdump = new Set<string>();
    for (const line of out.stdout.toString().split("\n")) {
      // "0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) pow"
      const m = /\*UND\*\s+\S+\s+\(?(GLIBC_[0-9.]+)\)?\s+(\S+)$/.exec(line);
      if (m) fromObjdump.add(`${m[1]} ${m[2]}`);
    }
    const fromReader = new Set(needs.versions.flatMap((v) => v.symbols.map((s) => `${v.version} ${s}`)));
    expect(fromObjdump.size).toBeGreaterThan(0);
    expect([...fromReader].sort()).toEqual([...fromObjdump].sort());
  });
});
