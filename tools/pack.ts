#!/usr/bin/env bun
/**
 * `./dev pack`: the installable packages, in dist/ (gitignored).
 *
 * - `temporal-bun-sdk-<version>.tgz`: the TypeScript sources with the generated protobuf code
 *   (src/proto, made by the build, never committed), the CLI, the two sample modules the CLI
 *   defaults to, README, docs and LICENSE; no native code. Its package.json is generated here:
 *   the repository's, without scripts and devDependencies (they name repository-only paths),
 *   plus `optionalDependencies` on the platform package of the same version.
 * - `temporal-bun-sdk-<platform>-<version>.tgz` (today linux-x64-gnu): the bridge library with
 *   its debug info stripped, and a package.json with `os`/`cpu`/`libc`, so a package manager
 *   installs it only where it runs.
 * - `temporal-bun-sdk-<platform>-<version>-debug.tar.gz`: the debug info split off the library
 *   (`objcopy --only-keep-debug`); the stripped library names it in `.gnu_debuglink`, so gdb
 *   finds it when it sits next to the library (docs/building.md, "Packages and debug info").
 *
 * It reuses the library the build made (zig-out/lib) and never builds. Each package is laid
 * out in dist/.stage/<name>/ from an explicit list, then packed there by `npm pack`, so
 * neither the repository's .gitignore (which lists src/proto) nor stray files decide what ships.
 *
 *   bun tools/pack.ts [--out <dir>] [--json]
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { platformPackageName, supportedPlatform } from "../src/bridge/platform.js";

const REPO = path.resolve(import.meta.dir, "..");
const LIBRARY_FILE = "libtemporal_bun_bridge.so";

/** What goes into the main package, relative to the repository (package.json "files" says the same; checked below). */
const MAIN_FILES = ["bin", "src", "samples/workflows.ts", "samples/activities.ts", "docs", "README.md", "LICENSE"];

export interface PackResult {
  version: string;
  /** Absolute paths of the tarballs. */
  main: string;
  platform: string;
  debug: string;
  platformPackage: string;
  /** Bytes: the stripped library, the library as built, the two tarballs and the debug artifact. */
  sizes: { libraryStripped: number; libraryUnstripped: number; mainTarball: number; platformTarball: number; debugArtifact: number; debugInfo: number };
  /** sha256 of the stripped library, to check an installed copy against. */
  librarySha256: string;
  /** Files in each tarball (paths inside it, without the leading "package/"). */
  mainFiles: string[];
  platformFiles: string[];
  elapsedMs: number;
}

export class PackError extends Error {
  override name = "PackError";
}

interface RepoPackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
  files?: string[];
  [key: string]: unknown;
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (exitCode !== 0) throw new PackError(`${cmd.join(" ")} (in ${cwd}) exited with ${exitCode}: ${stderr.trim() || stdout.trim()}`);
  return stdout;
}

/** GNU objcopy when installed (binutils), else Zig's (./dev puts zig on PATH); both do what is used here. */
function objcopy(): string[] {
  if (Bun.which("objcopy")) return ["objcopy"];
  if (Bun.which("zig")) return ["zig", "objcopy"];
  throw new PackError("neither objcopy (binutils) nor zig is on PATH: run through ./dev pack, or install binutils");
}

/** `npm pack` in `dir`, the tarball written to `out`; returns its file name and the files in it. */
async function npmPack(dir: string, out: string): Promise<{ filename: string; files: string[] }> {
  if (!Bun.which("npm")) throw new PackError("npm is not on PATH: it packs the tarballs (install Node.js/npm)");
  const json = await run(["npm", "pack", "--json", "--pack-destination", out, "--loglevel=error"], dir);
  const parsed = JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const entry = parsed[0];
  if (!entry) throw new PackError(`npm pack in ${dir} printed no result`);
  return { filename: entry.filename, files: entry.files.map((f) => f.path).sort() };
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function assertNoTests(files: string[]): void {
  const bad = files.filter((f) => /^(tests|bench|tools|bridge|protos|\.zig-cache|zig-out|node_modules)\//.test(f) || f.endsWith(".test.ts") || f.endsWith(".so") || f.endsWith(".zig"));
  if (bad.length > 0) throw new PackError(`the main package would ship files it must not: ${bad.slice(0, 10).join(", ")}`);
}

export async function pack(options: { outDir?: string; log?: (line: string) => void } = {}): Promise<PackResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const outDir = path.resolve(options.outDir ?? path.join(REPO, "dist"));
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as RepoPackageJson;
  const version = pkg.version;

  // The library and the protobuf code come from the build; packing never builds.
  const library = path.join(REPO, "zig-out", "lib", LIBRARY_FILE);
  if (!existsSync(library)) throw new PackError(`${library} does not exist: build it first with ./dev build (./dev pack does)`);
  if (!existsSync(path.join(REPO, "src", "proto", "temporal"))) throw new PackError("src/proto does not exist: generate it first with ./dev build (./dev pack does)");
  for (const f of MAIN_FILES) if (!existsSync(path.join(REPO, f))) throw new PackError(`${f} is missing from the repository`);
  const declared = [...(pkg.files ?? [])].sort();
  if (JSON.stringify(declared) !== JSON.stringify([...MAIN_FILES].sort())) {
    throw new PackError(`package.json "files" (${declared.join(", ")}) differs from tools/pack.ts MAIN_FILES (${[...MAIN_FILES].sort().join(", ")}): keep them the same`);
  }
  const platform = supportedPlatform();
  if (!platform) throw new PackError(`this machine (${process.platform}-${process.arch}) has no platform package; the library it builds cannot be packed as one`);
  const platformPackage = platformPackageName(platform);

  const stage = path.join(outDir, ".stage");
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(outDir)) {
    // Only what this script writes: a previous version's tarballs would be confusing to `bun add dist/*.tgz`.
    if (name.startsWith("temporal-bun-sdk-") && (name.endsWith(".tgz") || name.endsWith(".tar.gz"))) rmSync(path.join(outDir, name));
  }

  // ---- main package
  const mainDir = path.join(stage, pkg.name);
  mkdirSync(mainDir, { recursive: true });
  for (const f of MAIN_FILES) cpSync(path.join(REPO, f), path.join(mainDir, f), { recursive: true });
  const { scripts: _scripts, devDependencies: _dev, ...published } = pkg;
  const mainJson = { ...published, optionalDependencies: { [platformPackage]: version } };
  writeFileSync(path.join(mainDir, "package.json"), JSON.stringify(mainJson, null, 2) + "\n");
  log(`packing ${pkg.name}@${version}`);
  // The three archives are compressed side by side (compression is most of the time).
  const mainPacking = npmPack(mainDir, outDir);
  mainPacking.catch(() => {}); // awaited below; a failure must not be reported as unhandled first

  // ---- platform package: stripped library + debug info apart
  const platDir = path.join(stage, platformPackage);
  mkdirSync(platDir, { recursive: true });
  const debugName = `${LIBRARY_FILE}.debug`;
  const debugDir = path.join(stage, "debug");
  mkdirSync(debugDir, { recursive: true });
  const debugFile = path.join(debugDir, debugName);
  const oc = objcopy();
  log(`splitting debug info with ${oc.join(" ")}`);
  await run([...oc, "--only-keep-debug", library, debugFile], REPO);
  // The debuglink holds the debug file's name and CRC: gdb looks for that name next to the
  // library (and in .debug/ beside it, and under /usr/lib/debug/<library's dir>).
  await run([...oc, "--strip-debug", "--strip-unneeded", `--add-gnu-debuglink=${debugFile}`, library, path.join(platDir, LIBRARY_FILE)], debugDir);
  cpSync(path.join(REPO, "LICENSE"), path.join(platDir, "LICENSE"));
  writeFileSync(
    path.join(platDir, "README.md"),
    `# ${platformPackage}\n\nThe native bridge library of [temporal-bun-sdk](https://www.npmjs.com/package/temporal-bun-sdk) for ${platform.description}, ` +
      `with its debug info stripped. Installed by \`bun add temporal-bun-sdk\` as an optional dependency on this platform; not used directly.\n\n` +
      `Its debug info is published apart, as \`${platformPackage}-${version}-debug.tar.gz\`: see the package's docs/building.md, "Packages and debug info".\n`,
  );
  const platJson = {
    name: platformPackage,
    version,
    description: `The prebuilt native bridge of temporal-bun-sdk for ${platform.description}`,
    license: pkg.license,
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    files: [LIBRARY_FILE],
    // Nothing to import: src/bridge/library.ts resolves this package.json and loads the library beside it.
    preferUnplugged: true,
  };
  writeFileSync(path.join(platDir, "package.json"), JSON.stringify(platJson, null, 2) + "\n");
  log(`packing ${platformPackage}@${version}`);
  // ---- the debug artifact: a gzipped tar of the one .debug file (tar, so it unpacks with its name)
  const debugArtifact = path.join(outDir, `${platformPackage}-${version}-debug.tar.gz`);
  const [main, plat] = await Promise.all([mainPacking, npmPack(platDir, outDir), run(["tar", "-czf", debugArtifact, "-C", debugDir, debugName], REPO)]);
  assertNoTests(main.files);
  for (const required of ["package.json", "bin/temporal-bun-worker.ts", "src/index.ts", "src/proto/temporal/api/workflowservice/v1/service_pb.ts", "LICENSE", "README.md"]) {
    if (!main.files.includes(required)) throw new PackError(`the main package lacks ${required}`);
  }
  if (!plat.files.includes(LIBRARY_FILE)) throw new PackError(`the platform package lacks ${LIBRARY_FILE}`);

  const result: PackResult = {
    version,
    main: path.join(outDir, main.filename),
    platform: path.join(outDir, plat.filename),
    debug: debugArtifact,
    platformPackage,
    sizes: {
      libraryStripped: statSync(path.join(platDir, LIBRARY_FILE)).size,
      libraryUnstripped: statSync(library).size,
      mainTarball: statSync(path.join(outDir, main.filename)).size,
      platformTarball: statSync(path.join(outDir, plat.filename)).size,
      debugArtifact: statSync(debugArtifact).size,
      debugInfo: statSync(debugFile).size,
    },
    librarySha256: sha256(path.join(platDir, LIBRARY_FILE)),
    mainFiles: main.files,
    platformFiles: plat.files,
    elapsedMs: Math.round(performance.now() - started),
  };
  rmSync(stage, { recursive: true, force: true });
  return result;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`; // decimal MB, as package registries show sizes

if (import.meta.main) {
  const { values } = parseArgs({ args: Bun.argv.slice(2), options: { out: { type: "string" }, json: { type: "boolean" } }, strict: true });
  try {
    const r = await pack({ outDir: values.out, log: (l) => console.error(`[pack] ${l}`) });
    if (values.json) {
      console.log(JSON.stringify(r, null, 2));
    } else {
      console.log(`${path.relative(process.cwd(), r.main)}  ${mb(r.sizes.mainTarball)}  (${r.mainFiles.length} files)`);
      console.log(`${path.relative(process.cwd(), r.platform)}  ${mb(r.sizes.platformTarball)}  (library ${mb(r.sizes.libraryStripped)} stripped, ${mb(r.sizes.libraryUnstripped)} as built)`);
      console.log(`${path.relative(process.cwd(), r.debug)}  ${mb(r.sizes.debugArtifact)}  (debug info ${mb(r.sizes.debugInfo)})`);
      console.log(`packed in ${(r.elapsedMs / 1000).toFixed(1)} s`);
    }
  } catch (err) {
    console.error(`[pack] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

