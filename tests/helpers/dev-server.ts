/**
 * One Temporal dev server per test run, through the SDK's own TestWorkflowEnvironment
 * (src/testing): started on first use with the CLI binary `./dev setup` built
 * (TEMPORAL_CLI_PATH), on a free loopback port, with an in-memory database; stopped by
 * tests/setup.ts after the last test file. With TEMPORAL_ADDRESS set, that server is used
 * instead (createFromExistingServer).
 */
import { NativeRuntime } from "../../src/bridge/index.js";
import { TestWorkflowEnvironment, defaultCliPath, TemporalCliNotFoundError } from "../../src/testing/index.js";
import { existsSync } from "node:fs";

export interface TestServer {
  address: string;
  namespace: string;
  runtime: NativeRuntime;
}

/** Custom search attributes registered on the test server (name → server type). */
export const TEST_SEARCH_ATTRIBUTES = {
  TestKeyword: "Keyword",
  TestText: "Text",
  TestInt: "Int",
  TestDouble: "Double",
  TestBool: "Bool",
  TestDatetime: "Datetime",
  TestKeywordList: "KeywordList",
} as const;

let starting: Promise<TestWorkflowEnvironment> | undefined;
let runtime: NativeRuntime | undefined;

export function cliPath(): string {
  const path = defaultCliPath();
  if (!existsSync(path)) throw new TemporalCliNotFoundError(path);
  return path;
}

/** A bridge-level runtime shared by the bridge tests (created once). */
export function testRuntime(): NativeRuntime {
  runtime ??= NativeRuntime.create({ logging: { filter: "warn", forward: true } });
  return runtime;
}

/** The shared environment: a connection and a client on the test server. */
export function testEnv(): Promise<TestWorkflowEnvironment> {
  starting ??= (async () => {
    const external = process.env.TEMPORAL_ADDRESS;
    if (external) return TestWorkflowEnvironment.createFromExistingServer({ address: external, namespace: process.env.TEMPORAL_NAMESPACE ?? "default" });
    return TestWorkflowEnvironment.createLocal({
      server: {
        namespace: "default",
        logLevel: "error",
        searchAttributes: TEST_SEARCH_ATTRIBUTES,
        // 100 in-flight updates per workflow (server default 10): the update tests send 100 at
        // once, and on a loaded 2-core machine the official worker needs longer than the
        // client's 10 s retry budget to work through them 10 at a time.
        extraArgs: ["--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true", "--dynamic-config-value", "history.maxInFlightUpdates=100"],
      },
    });
  })();
  return starting;
}

export async function testServer(): Promise<TestServer> {
  const env = await testEnv();
  return { address: env.address, namespace: env.namespace, runtime: testRuntime() };
}

export async function stopTestServer(): Promise<void> {
  if (!starting) return;
  const env = await starting.catch(() => undefined);
  starting = undefined;
  await env?.teardown();
}
