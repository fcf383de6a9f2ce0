/**
 * Issue 15's evidence that the published packages install and run without a toolchain.
 *
 * Packs the two tarballs with tools/pack.ts (reusing the library the build made), then, in a
 * fresh consumer project in a temporary folder, with a PATH that holds only bun, bunx and sh
 * (no cargo, zig, go, protoc): `bun add` of both tarballs; a worker started with
 * `bunx temporal-bun-worker` on the consumer's own workflows.ts and activities.ts; a workflow
 * run by the consumer's own client script against the test dev server. A second consumer
 * installs the main tarball alone and, with the platform simulated as unsupported
 * (TEMPORAL_BUN_SDK_PLATFORM=freebsd-arm64), gets the typed error at first use.
 *
 * The consumer's package.json maps the platform package's name to its tarball (`overrides`),
 * so the install never asks the registry for our packages (only @bufbuild/protobuf and zod
 * come from npm, or bun's cache).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pkg from "../../package.json";
import { pack, type PackResult } from "../../tools/pack.js";
import { testEnv } from "../helpers/dev-server.js";

let root: string;
let packed: PackResult;
let toolBin: string;

/** The only environment consumer processes get: no TEMPORAL_BUN_SDK_* from this run, no toolchain. */
function consumerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: toolBin, HOME: process.env.HOME ?? root, TMPDIR: tmpdir(), ...extra };
}

interface Ran {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end, killed (and failed) after `timeoutMs`. */
async function run(cmd: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<Ran> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd, env, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  try {
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (proc.signalCode === "SIGKILL") throw new Error(`${cmd.join(" ")} did not finish in ${timeoutMs} ms; output: ${stdout}${stderr}`);
    return { exitCode, stdout, stderr, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    proc.kill("SIGKILL");
  }
}

function consumerProject(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name, private: true, type: "module", overrides: { [packed.platformPackage]: packed.platform } }, null, 2),
  );
  return dir;
}

/** Apparent size of a folder tree (du -sb), in bytes. */
function treeBytes(dir: string): number {
  const r = Bun.spawnSync(["du", "-sb", dir], { stdout: "pipe" });
  return Number.parseInt(r.stdout.toString(), 10);
}

function noRegistryLookupOfOurs(output: string): void {
  // Bun prints a `warn: GET <registry>/<name> - 404` for a package the registry was asked for.
  expect(output).not.toMatch(/GET \S*temporal-bun-sdk/);
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "tbs-install-")));
  const started = performance.now();
  packed = await pack({ outDir: path.join(root, "dist") });
  console.log(`[install] packed in ${((performance.now() - started) / 1000).toFixed(1)} s: main ${(packed.sizes.mainTarball / 1e6).toFixed(2)} MB, ` +
    `${packed.platformPackage} ${(packed.sizes.platformTarball / 1e6).toFixed(1)} MB (library ${(packed.sizes.libraryStripped / 1e6).toFixed(1)} MB stripped), debug ${(packed.sizes.debugArtifact / 1e6).toFixed(1)} MB`);
  // A bin folder with bun (and bunx, the same executable under another name) and sh only.
  toolBin = path.join(root, "bin");
  mkdirSync(toolBin);
  const bun = realpathSync(process.execPath);
  symlinkSync(bun, path.join(toolBin, "bun"));
  symlinkSync(bun, path.join(toolBin, "bunx"));
  symlinkSync(realpathSync("/bin/sh"), path.join(toolBin, "sh"));
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the packed packages", () => {
  test("the main tarball: sources, generated protobuf code, CLI, docs, LICENSE; no native code, tests or tools", () => {
    // What is really in the tarball (tar's listing), not what the packer said it packed.
    const tarList = (file: string) =>
      Bun.spawnSync(["tar", "tzf", file], { stdout: "pipe" }).stdout.toString().trim().split("\n").map((f) => f.replace(/^package\//, "")).sort();
    const files = tarList(packed.main);
    expect(files).toEqual(packed.mainFiles);
    for (const f of ["package.json", "README.md", "LICENSE", "bin/temporal-bun-worker.ts", "src/index.ts", "src/bridge/library.ts", "src/proto/temporal/api/workflowservice/v1/service_pb.ts", "samples/workflows.ts", "samples/activities.ts", "docs/building.md"]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(tests|bench|tools|bridge|protos|zig-out)\//.test(f) || f.endsWith(".so") || f.endsWith(".test.ts"))).toEqual([]);
    expect(tarList(packed.platform)).toEqual(["LICENSE", "README.md", "libtemporal_bun_bridge.so", "package.json"]);
    const platformJson = JSON.parse(Bun.spawnSync(["tar", "xzf", packed.platform, "-O", "package/package.json"], { stdout: "pipe" }).stdout.toString());
    expect(platformJson).toMatchObject({ name: packed.platformPackage, version: pkg.version, os: ["linux"], cpu: ["x64"], libc: ["glibc"] });
    const mainJson = JSON.parse(Bun.spawnSync(["tar", "xzf", packed.main, "-O", "package/package.json"], { stdout: "pipe" }).stdout.toString());
    expect(mainJson.optionalDependencies).toEqual({ [packed.platformPackage]: pkg.version });
    expect(mainJson.devDependencies).toBeUndefined();
    expect(mainJson.scripts).toBeUndefined();
    // Stripped: well below the library as built, which carries the debug info.
    expect(packed.sizes.libraryStripped).toBeLessThan(packed.sizes.libraryUnstripped * 0.8);
    expect(packed.sizes.debugInfo).toBeGreaterThan(1_000_000);
  });

  test("the stripped library names its debug file (.gnu_debuglink) and the debug artifact holds it", () => {
    const listing = Bun.spawnSync(["tar", "tzf", packed.debug], { stdout: "pipe" }).stdout.toString().trim();
    expect(listing).toBe("libtemporal_bun_bridge.so.debug");
    const plat = Bun.spawnSync(["tar", "xzf", packed.platform, "-O", "package/libtemporal_bun_bridge.so"], { stdout: "pipe" }).stdout;
    expect(createHash("sha256").update(plat).digest("hex")).toBe(packed.librarySha256);
    const sections = elfSections(Buffer.from(plat));
    expect(sections.filter((s) => s.name.startsWith(".debug_"))).toEqual([]);
    const link = sections.find((s) => s.name === ".gnu_debuglink");
    expect(link).toBeDefined();
    // The section holds the file name, NUL-padded to 4 bytes, then a CRC32 of the debug file.
    expect(Buffer.from(plat).subarray(link!.offset, link!.offset + link!.size).toString("latin1").split("\0")[0]).toBe("libtemporal_bun_bridge.so.debug");
  });
});

describe("bun add in a fresh project, without a toolchain", () => {
  test("PATH of the consumer holds no cargo, zig, go, protoc or rustc", () => {
    const r = Bun.spawnSync(["sh", "-c", "for t in cargo zig go protoc rustc; do command -v $t && exit 1; done; exit 0"], { env: consumerEnv(), stdout: "pipe" });
    expect(r.stdout.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });

  test("both tarballs install; bunx temporal-bun-worker runs the project's workflow and activity; its client gets the result", async () => {
    const dir = consumerProject("consumer");
    writeFileSync(
      path.join(dir, "workflows.ts"),
      `import { proxyActivities, sleep } from "temporal-bun-sdk/workflow";
import type * as activities from "./activities";

const { greet } = proxyActivities<typeof activities>({ startToCloseTimeout: "10s" });

export async function installedGreeting(name: string): Promise<string> {
  await sleep("10 ms");
  return await greet(name);
}
`,
    );
    writeFileSync(
      path.join(dir, "activities.ts"),
      `import { activityInfo } from "temporal-bun-sdk/activity";

export async function greet(name: string): Promise<string> {
  return \`Hello, \${name}! (\${activityInfo().activityType} in pid \${process.pid})\`;
}
`,
    );
    writeFileSync(
      path.join(dir, "client.ts"),
      `import { Client, Connection } from "temporal-bun-sdk/client";

const [taskQueue, name] = process.argv.slice(2);
const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
try {
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE });
  const result = await client.workflow.execute("installedGreeting", { taskQueue: taskQueue!, workflowId: "installed-" + crypto.randomUUID(), args: [name] });
  console.log(JSON.stringify({ result }));
} finally {
  await connection.close();
}
`,
    );

    const add = await run(["bun", "add", packed.main, packed.platform], dir, consumerEnv(), 120_000);
    expect(add.exitCode, add.stderr).toBe(0);
    noRegistryLookupOfOurs(add.stdout + add.stderr);
    const nm = path.join(dir, "node_modules");
    const installedLib = path.join(nm, packed.platformPackage, "libtemporal_bun_bridge.so");
    expect(createHash("sha256").update(readFileSync(installedLib)).digest("hex")).toBe(packed.librarySha256);
    expect(existsSync(path.join(nm, "temporal-bun-sdk", "src", "proto", "temporal", "api"))).toBe(true);
    const size = treeBytes(nm);
    console.log(`[install] bun add of both tarballs: ${(add.ms / 1000).toFixed(1)} s; node_modules ${(size / 1e6).toFixed(1)} MB`);

    // Every subpath loads from node_modules (no devDependency or repository-only path at run
    // time); the OpenTelemetry ones need the optional peers the consumer did not install.
    const subpaths = Object.keys(pkg.exports).map((k) => (k === "." ? "temporal-bun-sdk" : `temporal-bun-sdk/${k.slice(2)}`)).filter((s) => !s.includes("opentelemetry"));
    writeFileSync(path.join(dir, "imports.ts"), subpaths.map((s, i) => `import * as m${i} from "${s}";`).join("\n") + `\nconsole.log(JSON.stringify([${subpaths.map((_, i) => `Object.keys(m${i}).length`).join(", ")}]));\n`);
    const imports = await run(["bun", "imports.ts"], dir, consumerEnv(), 30_000);
    expect(imports.exitCode, imports.stderr).toBe(0);
    expect((JSON.parse(imports.stdout) as number[]).every((n) => n > 0)).toBe(true);

    const server = await testEnv();
    const env = consumerEnv({ TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace });
    const taskQueue = `installed-${crypto.randomUUID()}`;
    const worker = Bun.spawn(["bunx", "temporal-bun-worker", "--workflows", "./workflows.ts", "--activities", "./activities.ts", "--task-queue", taskQueue], {
      cwd: dir,
      env,
      stdout: "pipe",
      stderr: "pipe",
    });
    const stderr = new Response(worker.stderr).text();
    try {
      const startedAt = performance.now();
      const ready = await readyLine(worker, 30_000);
      console.log(`[install] worker ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
      expect(ready).toContain(`library=${installedLib} `);
      expect(ready).toContain(`workflows=${path.join(dir, "workflows.ts")}`);
      const pid = /pid=(\d+)/.exec(ready)?.[1];

      const client = await run(["bun", "client.ts", taskQueue, "installed package"], dir, env, 30_000);
      expect(client.exitCode, client.stderr).toBe(0);
      expect(JSON.parse(client.stdout.trim())).toEqual({ result: `Hello, installed package! (greet in pid ${pid})` });
    } finally {
      worker.kill("SIGTERM");
      const exited = await Promise.race([worker.exited, Bun.sleep(15_000).then(() => undefined)]);
      if (exited === undefined) worker.kill("SIGKILL");
      await worker.exited;
    }
    expect(worker.exitCode, await stderr).toBe(0);
  }, 120_000);

  for (const linker of ["hoisted", "isolated"] as const) {
    test(`bun add of the main tarball alone brings the platform package as its optional dependency (${linker} layout)`, async () => {
      const dir = consumerProject(`consumer-${linker}`);
      writeFileSync(
        path.join(dir, "connect.ts"),
        `import { Connection } from "temporal-bun-sdk/client";
const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
await connection.close();
console.log("connected");
`,
      );
      const add = await run(["bun", "add", "--linker", linker, packed.main], dir, consumerEnv(), 120_000);
      expect(add.exitCode).toBe(0);
      noRegistryLookupOfOurs(add.stdout + add.stderr);
      const server = await testEnv();
      const r = await run(["bun", "connect.ts"], dir, consumerEnv({ TEMPORAL_ADDRESS: server.address }), 30_000);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("connected");
      // Where each layout puts it: beside the SDK in node_modules, or in Bun's store (node_modules/.bun) linked beside the SDK's real folder.
      const sdkReal = realpathSync(path.join(dir, "node_modules", "temporal-bun-sdk"));
      expect(existsSync(path.join(path.dirname(sdkReal), packed.platformPackage, "libtemporal_bun_bridge.so"))).toBe(true);
      if (linker === "isolated") expect(sdkReal).toContain(path.join("node_modules", ".bun"));
      if (linker === "hoisted") {
        // The CLI's default modules (the package's samples) are shipped, so its defaults work installed.
        const worker = Bun.spawn(["bunx", "temporal-bun-worker", "--task-queue", `defaults-${crypto.randomUUID()}`], {
          cwd: dir,
          env: consumerEnv({ TEMPORAL_ADDRESS: server.address }),
          stdout: "pipe",
          stderr: "pipe",
        });
        const stderr = new Response(worker.stderr).text();
        try {
          const ready = await readyLine(worker, 30_000);
          expect(ready).toContain(`workflows=${path.join(sdkReal, "samples", "workflows.ts")} `);
          expect(ready).toContain(`activities=${path.join(sdkReal, "samples", "activities.ts")} `);
        } finally {
          worker.kill("SIGTERM");
          if ((await Promise.race([worker.exited, Bun.sleep(15_000).then(() => "timeout" as const)])) === "timeout") worker.kill("SIGKILL");
          await worker.exited;
        }
        expect(worker.exitCode, await stderr).toBe(0);
      }
    }, 120_000);
  }

  test("the main tarball alone on an unsupported platform: UnsupportedPlatformError at first use, and the CLI says so in one line", async () => {
    const dir = consumerProject("consumer-unsupported");
    writeFileSync(
      path.join(dir, "first-use.ts"),
      `import { Connection } from "temporal-bun-sdk/client";
try {
  await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  console.log(JSON.stringify({ connected: true }));
} catch (e) {
  const err = e as { name: string; codeName?: string; message: string };
  console.log(JSON.stringify({ name: err.name, codeName: err.codeName, message: err.message }));
}
`,
    );
    // --omit optional: the platform package is left out, as a package manager does where os/cpu/libc do not match.
    const add = await run(["bun", "add", "--omit", "optional", packed.main], dir, consumerEnv(), 120_000);
    expect(add.exitCode).toBe(0);
    noRegistryLookupOfOurs(add.stdout + add.stderr);
    expect(existsSync(path.join(dir, "node_modules", "temporal-bun-sdk"))).toBe(true);
    expect(existsSync(path.join(dir, "node_modules", packed.platformPackage))).toBe(false);

    const address = "127.0.0.1:1"; // never reached: the library is needed first
    const unsupported = await run(["bun", "first-use.ts"], dir, consumerEnv({ TEMPORAL_ADDRESS: address, TEMPORAL_BUN_SDK_PLATFORM: "freebsd-arm64" }), 30_000);
    expect(unsupported.exitCode).toBe(0);
    const e1 = JSON.parse(unsupported.stdout.trim()) as { name: string; codeName: string; message: string };
    expect(e1.name).toBe("UnsupportedPlatformError");
    expect(e1.codeName).toBe("library_unavailable");
    expect(e1.message).toStartWith("no prebuilt library for freebsd-arm64; supported: linux-x64-gnu; build from source");
    expect(e1.message).toContain("./dev build");

    // On this (supported) platform without the optional package: what to install.
    const missing = await run(["bun", "first-use.ts"], dir, consumerEnv({ TEMPORAL_ADDRESS: address }), 30_000);
    const e2 = JSON.parse(missing.stdout.trim()) as { name: string; message: string };
    expect(e2.name).toBe("NativeBridgeError");
    expect(e2.message).toContain(`platform package ${packed.platformPackage}: package not installed`);
    expect(e2.message).toContain(`bun add ${packed.platformPackage}`);

    const cli = await run(["bunx", "temporal-bun-worker", "--task-queue", "never"], dir, consumerEnv({ TEMPORAL_ADDRESS: address, TEMPORAL_BUN_SDK_PLATFORM: "freebsd-arm64" }), 30_000);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toContain("no prebuilt library for freebsd-arm64; supported: linux-x64-gnu");
    expect(cli.stderr.trim().split("\n")).toHaveLength(1);
  }, 120_000);
});

/** Section names, offsets and sizes of a 64-bit little-endian ELF file (the platform package's library). */
function elfSections(elf: Buffer): Array<{ name: string; offset: number; size: number }> {
  expect(elf.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  const header = (i: number) => shoff + i * shentsize;
  const names = Number(elf.readBigUInt64LE(header(shstrndx) + 0x18));
  const out: Array<{ name: string; offset: number; size: number }> = [];
  for (let i = 0; i < shnum; i++) {
    const h = header(i);
    const nameAt = names + elf.readUInt32LE(h);
    const name = elf.toString("latin1", nameAt, elf.indexOf(0, nameAt));
    out.push({ name, offset: Number(elf.readBigUInt64LE(h + 0x18)), size: Number(elf.readBigUInt64LE(h + 0x20)) });
  }
  return out;
}

/** Reads the worker's stdout until its ready line; fails with its stderr if it exits or takes longer than `timeoutMs`. */
async function readyLine(proc: Bun.Subprocess<"ignore", "pipe", "pipe">, timeoutMs: number): Promise<string> {
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no ready line in ${timeoutMs} ms; stdout so far: ${buffered}`);
      const chunk = await Promise.race([reader.read(), Bun.sleep(remaining).then(() => "timeout" as const)]);
      if (chunk === "timeout") continue;
      if (chunk.done) throw new Error(`the worker exited (${await proc.exited}) before its ready line; stdout: ${buffered}`);
      buffered += decoder.decode(chunk.value, { stream: true });
      const line = buffered.split("\n").find((l) => l.startsWith("temporal-bun-worker ready:"));
      if (line) return line;
    }
  } finally {
    reader.releaseLock();
  }
}
