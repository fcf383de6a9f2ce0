#!/usr/bin/env bun
// Generates protobuf-es (v2) TypeScript for the Temporal API and the core's `coresdk`
// protos into src/proto/ (gitignored). The .proto sources come from the pinned npm
// package @temporalio/core-bridge, so the generated code always matches the Rust core
// we link. Regeneration is skipped when a stamp of the inputs is unchanged.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const repo = join(import.meta.dir, "..");
const out = join(repo, "src", "proto");
const coreBridge = join(repo, "node_modules", "@temporalio", "core-bridge");
const protoRoot = join(coreBridge, "sdk-core", "crates", "protos", "protos");
const plugin = join(repo, "node_modules", "@bufbuild", "protoc-gen-es", "bin", "protoc-gen-es");

function fail(cause: string, fix: string): never {
  console.error(`[protos] step failed: generate protobuf-es code\n  cause: ${cause}\n  fix:   ${fix}`);
  process.exit(1);
}

if (!existsSync(protoRoot)) {
  fail(`proto sources not found at ${protoRoot}`, "run `bun install` (the dev script does it) so @temporalio/core-bridge is present");
}
if (!existsSync(plugin)) fail(`protoc-gen-es not found at ${plugin}`, "run `bun install`");
const protoc = Bun.which("protoc");
if (!protoc) fail("protoc is not on PATH", "install Debian's protobuf-compiler (`./dev setup` does it as root)");

// Include roots, in the order protoc resolves imports. Well-known types
// (google/protobuf/*) are resolved by protoc itself and provided at runtime by
// @bufbuild/protobuf/wkt, so they are never generated here.
const includes = ["api_upstream", "local", "testsrv_upstream", "."].map((p) => join(protoRoot, p));

// Files we generate, relative to their include root.
const roots: Array<[string, string]> = [
  ["api_upstream", "temporal"],
  ["api_upstream", "google/api"],
  ["api_upstream", "nexusannotations"],
  ["local", "temporal"],
  ["testsrv_upstream", "temporal"],
  [".", "google/rpc"],
  [".", "grpc/health"],
];

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files.push(...walk(p));
    else if (name.endsWith(".proto")) files.push(p);
  }
  return files;
}

const files: string[] = [];
for (const [root, sub] of roots) {
  const base = join(protoRoot, root);
  for (const f of walk(join(base, sub))) files.push(relative(base, f));
}

const coreVersion = JSON.parse(readFileSync(join(coreBridge, "package.json"), "utf8")).version as string;
const pluginVersion = JSON.parse(
  readFileSync(join(repo, "node_modules", "@bufbuild", "protoc-gen-es", "package.json"), "utf8"),
).version as string;
const protocVersion = Bun.spawnSync([protoc, "--version"]).stdout.toString().trim();
const stamp = createHash("sha256")
  .update([coreVersion, pluginVersion, protocVersion, readFileSync(import.meta.path, "utf8"), ...files].join("\n"))
  .digest("hex");
const stampFile = join(out, ".stamp");
if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && !process.argv.includes("--force")) {
  console.log(`[protos] up to date (core-bridge ${coreVersion}, protoc-gen-es ${pluginVersion})`);
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = performance.now();
const args = [
  protoc,
  `--plugin=protoc-gen-es=${plugin}`,
  `--es_out=${out}`,
  "--es_opt=target=ts,import_extension=js",
  ...includes.map((i) => `-I${i}`),
  ...files,
];
const res = Bun.spawnSync(args, { stdout: "inherit", stderr: "inherit", env: { ...process.env, PATH: `${process.env.PATH}` } });
if (res.exitCode !== 0) fail(`protoc exited with ${res.exitCode}`, "see the protoc output above; `bun protos/generate.ts --force` retries");
writeFileSync(stampFile, stamp);
console.log(`[protos] generated ${files.length} files into src/proto in ${Math.round(performance.now() - started)} ms`);
