/**
 * Where a compiled worker puts its embedded bridge library: dlopen needs a real file, and the
 * library inside the executable is only reachable through Bun's embedded file system, so it
 * is written out once, to a folder named by the library's hash, and loaded from there.
 *
 * Folders tried, in order (the first that works is used):
 *   1. $XDG_CACHE_HOME/temporal-bun-sdk/native/<hash>/   (when XDG_CACHE_HOME is an absolute path)
 *   2. $HOME/.cache/temporal-bun-sdk/native/<hash>/      (when HOME is set and not empty)
 *   3. <os temp dir>/temporal-bun-sdk-<uid>/native/<hash>/  (a shared folder: used only if it is
 *      a directory owned by this user that nobody else can write to, so nobody can plant a
 *      library there for us to load)
 *
 * A file already there with the expected size is reused, so only the first start of a given
 * build pays for decompressing and writing it. Writes go to a temporary name and are renamed
 * into place, so workers starting at the same time never load a half-written file.
 */
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** What the build recorded about the embedded library. */
export interface EmbeddedLibrary {
  /** Path of the gzip-compressed library inside the executable (`with { type: "file" }` import). */
  embeddedPath: string;
  /** File name to write it under (`libtemporal_bun_bridge.so`). */
  fileName: string;
  /** sha256 (hex) of the uncompressed library. */
  sha256: string;
  /** Size of the uncompressed library in bytes. */
  bytes: number;
}

export interface ExtractedLibrary {
  path: string;
  /** false when a previous start had written it already. */
  written: boolean;
}

export class NativeLibraryExtractError extends Error {
  override name = "NativeLibraryExtractError";
  constructor(
    message: string,
    readonly tried: { dir: string; error: string }[],
  ) {
    super(message);
  }
}

/** The cache folders for the native library, in the order they are tried (see the header). */
export function nativeCacheDirs(env: Record<string, string | undefined> = process.env, tempDir: string = tmpdir()): { dir: string; shared: boolean }[] {
  const dirs: { dir: string; shared: boolean }[] = [];
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative value is invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) dirs.push({ dir: path.join(xdg, "temporal-bun-sdk", "native"), shared: false });
  const home = env.HOME;
  if (home) dirs.push({ dir: path.join(home, ".cache", "temporal-bun-sdk", "native"), shared: false });
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  dirs.push({ dir: path.join(tempDir, `temporal-bun-sdk-${uid ?? "user"}`, "native"), shared: true });
  return dirs;
}

/** The folder of one library build: the first 32 hex digits of its hash are plenty to tell builds apart. */
function hashDir(dir: string, lib: EmbeddedLibrary): string {
  return path.join(dir, lib.sha256.slice(0, 32));
}

/**
 * A shared (temp) folder is only trusted when this user owns every level we created and no one
 * else can write to it; a folder someone else made could hold a library of theirs.
 */
function checkPrivate(dir: string, root: string): void {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  for (let at = dir; ; at = path.dirname(at)) {
    const st = lstatSync(at);
    if (!st.isDirectory()) throw new Error(`${at} is not a directory`);
    if (uid !== undefined && st.uid !== uid) throw new Error(`${at} belongs to uid ${st.uid}, not to this user (${uid})`);
    if ((st.mode & 0o022) !== 0) throw new Error(`${at} is writable by other users (mode ${(st.mode & 0o777).toString(8)})`);
    if (at === root) break;
  }
}

/**
 * The embedded library as a file on disk: reused from a previous start, or decompressed and
 * written now. Throws NativeLibraryExtractError naming every folder tried and why it failed.
 */
export async function extractNativeLibrary(
  lib: EmbeddedLibrary,
  env: Record<string, string | undefined> = process.env,
  tempDir: string = tmpdir(),
): Promise<ExtractedLibrary> {
  const tried: { dir: string; error: string }[] = [];
  let data: Uint8Array | undefined;
  for (const { dir, shared } of nativeCacheDirs(env, tempDir)) {
    const target = path.join(hashDir(dir, lib), lib.fileName);
    try {
      if (shared) {
        // The per-user root in the temp folder: created private (0700), then checked, whoever made it.
        const root = path.dirname(dir);
        mkdirSync(hashDir(dir, lib), { recursive: true, mode: 0o700 });
        checkPrivate(hashDir(dir, lib), root);
      }
      const existing = statOrUndefined(target);
      if (existing?.isFile() && existing.size === lib.bytes) return { path: target, written: false };
      mkdirSync(hashDir(dir, lib), { recursive: true, mode: 0o700 });
      data ??= Bun.gunzipSync(await Bun.file(lib.embeddedPath).bytes());
      if (data.byteLength !== lib.bytes) {
        // Not a folder problem: the executable itself is damaged, so no other folder would help.
        throw new NativeLibraryExtractError(
          `the native library embedded in this executable is damaged (${data.byteLength} bytes, expected ${lib.bytes}); rebuild it with temporal-bun-worker build`,
          tried,
        );
      }
      const temp = `${target}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, data, { mode: 0o755 });
        chmodSync(temp, 0o755);
        renameSync(temp, target);
      } catch (err) {
        rmSync(temp, { force: true });
        throw err;
      }
      return { path: target, written: true };
    } catch (err) {
      if (err instanceof NativeLibraryExtractError) throw err;
      tried.push({ dir: hashDir(dir, lib), error: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new NativeLibraryExtractError(
    `cannot write the embedded native library to any cache folder; tried: ${tried.map((t) => `${t.dir} (${t.error})`).join("; ")}. ` +
      `Set XDG_CACHE_HOME or HOME to a writable folder, or TEMPORAL_BUN_SDK_NATIVE_PATH to a copy of ${lib.fileName}`,
    tried,
  );
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
