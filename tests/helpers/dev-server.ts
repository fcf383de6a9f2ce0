/**
 * One Temporal dev server per test run: started on first use through core's
 * ephemeral-server API with the CLI binary `./dev setup` built (TEMPORAL_CLI_PATH), on a
 * free loopback port, with an in-memory database; stopped by tests/setup.ts after the
 * last test file. With TEMPORAL_ADDRESS set, that server is used instead.
 */
import { existsSync } from "node:fs";
import { NativeEphemeralServer, NativeRuntime } from "../../src/bridge/index.js";

export interface TestServer {
  address: string;
  namespace: string;
  runtime: NativeRuntime;
}

let starting: Promise<TestServer> | undefined;
let server: NativeEphemeralServer | undefined;
let runtime: NativeRuntime | undefined;

export function cliPath(): string {
  const path = process.env.TEMPORAL_CLI_PATH ?? `${process.env.HOME}/.cache/temporal-bun-sdk/temporal-cli-v1.5.1/bin/temporal`;
  if (!existsSync(path)) {
    throw new Error(`Temporal CLI not found at ${path}: run ./dev setup (it builds the CLI), or set TEMPORAL_CLI_PATH`);
  }
  return path;
}

/** The runtime shared by tests (created once). */
export function testRuntime(): NativeRuntime {
  runtime ??= NativeRuntime.create({ logging: { filter: "warn", forward: true } });
  return runtime;
}

export function testServer(): Promise<TestServer> {
  starting ??= (async () => {
    const rt = testRuntime();
    const external = process.env.TEMPORAL_ADDRESS;
    if (external) return { address: external, namespace: process.env.TEMPORAL_NAMESPACE ?? "default", runtime: rt };
    server = await NativeEphemeralServer.startDev(rt, {
      existingPath: cliPath(),
      ip: "127.0.0.1",
      namespace: "default",
      logLevel: "error",
      // Dynamic config the tests rely on; searchable attributes need the SQL visibility store.
      extraArgs: ["--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true"],
    });
    return { address: server.target, namespace: "default", runtime: rt };
  })();
  return starting;
}

export async function stopTestServer(): Promise<void> {
  if (!starting) return;
  await starting.catch(() => undefined);
  const s = server;
  server = undefined;
  starting = undefined;
  if (s) await s.shutdown();
}
