/**
 * The official Temporal TypeScript SDK, installed from the npm registry into the cache
 * (outside the repository) for scripts that compare with it: bench/peer.ts (performance),
 * tools/record-official-constants.ts (exported values) and tools/compat-corpus.ts (histories
 * recorded by each SDK, replayed by the other). Nothing of it is committed; only the data
 * these scripts produce is.
 *
 *   const dir = await ensureOfficialSdk();          // <cache>/peer-node-sdk-1.24.0
 *   const require = createRequire(join(dir, "package.json"));
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The official SDK release whose core this project builds (package.json's @temporalio/core-bridge). */
export const OFFICIAL_VERSION = "1.24.0";

/** Every official package a script here reads; installed together so they share one copy of each dependency. */
export const OFFICIAL_PACKAGES = [
  "@temporalio/worker",
  "@temporalio/client",
  "@temporalio/workflow",
  "@temporalio/activity",
  "@temporalio/common",
  "@temporalio/testing",
  "@temporalio/proto",
  "@temporalio/interceptors-opentelemetry",
  "@temporalio/envconfig",
] as const;

/**
 * Other packages the comparisons load next to the official SDK, pinned: the OpenTelemetry SDK
 * of tests/compat/opentelemetry-official.test.ts (the versions @temporalio/interceptors-opentelemetry
 * 1.24.0 resolves to, and the context manager a Node application registers).
 */
export const OFFICIAL_EXTRA_PACKAGES: Record<string, string> = {
  "@opentelemetry/api": "1.9.1",
  "@opentelemetry/sdk-trace-base": "1.30.1",
  "@opentelemetry/context-async-hooks": "1.30.1",
};

const cache = process.env.TEMPORAL_BUN_SDK_CACHE || join(homedir(), ".cache", "temporal-bun-sdk");

/** Where the official SDK is installed (its node_modules is below). */
export const officialSdkDir = join(cache, `peer-node-sdk-${OFFICIAL_VERSION}`);

export function installedVersion(pkg: string, dir = officialSdkDir): string | undefined {
  const file = join(dir, "node_modules", pkg, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")).version as string) : undefined;
}

/** Installs the official packages (once; later calls return at once). Returns the install folder. */
export async function ensureOfficialSdk(): Promise<string> {
  const pkgs = [...OFFICIAL_PACKAGES, "@temporalio/core-bridge"];
  const extrasPresent = Object.entries(OFFICIAL_EXTRA_PACKAGES).every(([p, v]) => installedVersion(p) === v);
  if (extrasPresent && pkgs.every((p) => installedVersion(p) === OFFICIAL_VERSION)) return officialSdkDir;
  mkdirSync(officialSdkDir, { recursive: true });
  const manifest = {
    name: "temporal-bun-sdk-peer-node-sdk",
    private: true,
    description: "The official Temporal TypeScript SDK, installed by temporal-bun-sdk's tools/official-sdk.ts for comparisons. Not part of the repository.",
    dependencies: { ...Object.fromEntries(OFFICIAL_PACKAGES.map((p) => [p, OFFICIAL_VERSION])), ...OFFICIAL_EXTRA_PACKAGES },
  };
  writeFileSync(join(officialSdkDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`installing the official SDK ${OFFICIAL_VERSION} from npm into ${officialSdkDir} …`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const p = spawn("npm", ["install", "--prefix", officialSdkDir, "--no-audit", "--no-fund"], { stdio: ["ignore", "inherit", "inherit"] });
    p.on("error", reject);
    p.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`npm install in ${officialSdkDir} failed (exit ${code}); check access to the npm registry`);
  for (const p of pkgs) {
    if (installedVersion(p) !== OFFICIAL_VERSION) throw new Error(`${p} in ${officialSdkDir} is ${installedVersion(p)}, expected ${OFFICIAL_VERSION}`);
  }
  return officialSdkDir;
}
