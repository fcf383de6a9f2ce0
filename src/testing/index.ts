/**
 * temporal-bun-sdk/testing: `TestWorkflowEnvironment`, as in @temporalio/testing. `createLocal`
 * starts a Temporal dev server (the CLI `./dev setup` builds) through core's ephemeral-server
 * API on a free loopback port; `createFromExistingServer` connects to a running one.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { NativeEphemeralServer } from "../bridge/index.js";
import { Runtime } from "../runtime/index.js";
import { Client, Connection, type ClientOptions, type ConnectionOptions } from "../client/index.js";

export { MockActivityEnvironment, defaultActivityInfo, type MockActivityEnvironmentOptions } from "./mock-activity-environment.js";

export const TEMPORAL_CLI_VERSION = "v1.5.1";

/** Where `./dev setup` puts the CLI: TEMPORAL_CLI_PATH, else the SDK cache. */
export function defaultCliPath(env: Record<string, string | undefined> = process.env): string {
  if (env.TEMPORAL_CLI_PATH) return env.TEMPORAL_CLI_PATH;
  const cache = env.TEMPORAL_BUN_SDK_CACHE || join(env.HOME || homedir(), ".cache", "temporal-bun-sdk");
  return join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`, "bin", "temporal");
}

export class TemporalCliNotFoundError extends Error {
  override readonly name: string = "TemporalCliNotFoundError";
  constructor(readonly path: string) {
    super(`Temporal CLI not found at ${path}: run ./dev setup (it builds the CLI), or set TEMPORAL_CLI_PATH to a temporal executable`);
  }
}

export interface LocalServerOptions {
  /** Default `default` (the dev server creates it). */
  namespace?: string;
  /** Default 127.0.0.1. */
  ip?: string;
  /** Default: a free port. */
  port?: number;
  /** SQLite file to persist to; default in-memory. */
  dbFilename?: string;
  /** Extra `temporal server start-dev` arguments, e.g. ['--dynamic-config-value', 'k=v']. */
  extraArgs?: string[];
  /** Path of the `temporal` executable; default {@link defaultCliPath}. */
  executable?: string;
  /** Dev server log level (default `warn`). */
  logLevel?: string;
  /** Search attributes to register: `{ Name: 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList' }`. */
  searchAttributes?: Record<string, string>;
}

export interface LocalTestWorkflowEnvironmentOptions {
  server?: LocalServerOptions;
  /** Options of the environment's client (connection and namespace are set by the environment). */
  client?: Omit<ClientOptions, "connection" | "namespace">;
  /** Options of the environment's connection (address is set by the environment). */
  connection?: Omit<ConnectionOptions, "address">;
  runtime?: Runtime;
}

export interface ExistingServerOptions {
  /** Default TEMPORAL_ADDRESS or 127.0.0.1:7233. */
  address?: string;
  /** Default TEMPORAL_NAMESPACE or `default`. */
  namespace?: string;
  client?: Omit<ClientOptions, "connection" | "namespace">;
  connection?: Omit<ConnectionOptions, "address">;
}

export class TestWorkflowEnvironment {
  private tornDown = false;

  private constructor(
    readonly connection: Connection,
    readonly client: Client,
    readonly namespace: string,
    readonly address: string,
    private readonly server: NativeEphemeralServer | undefined,
  ) {}

  /** The raw typed WorkflowService RPCs. */
  get workflowService() {
    return this.connection.workflowService;
  }

  /** No time skipping here: the environment runs in real time. */
  readonly supportsTimeSkipping = false;

  /** Starts a local dev server and connects to it. */
  static async createLocal(options: LocalTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
    const s = options.server ?? {};
    const executable = s.executable ?? defaultCliPath();
    if (!existsSync(executable)) throw new TemporalCliNotFoundError(executable);
    const runtime = options.runtime ?? options.connection?.runtime ?? Runtime.default();
    const namespace = s.namespace ?? "default";
    const extraArgs = [...(s.extraArgs ?? [])];
    for (const [name, type] of Object.entries(s.searchAttributes ?? {})) extraArgs.push("--search-attribute", `${name}=${type}`);
    const server = await NativeEphemeralServer.startDev(runtime.native, {
      existingPath: executable,
      namespace,
      ip: s.ip ?? "127.0.0.1",
      port: s.port,
      databaseFilename: s.dbFilename,
      logLevel: s.logLevel ?? "warn",
      extraArgs,
    });
    try {
      const connection = await Connection.connect({ ...options.connection, address: server.target, runtime });
      const client = new Client({ ...options.client, connection, namespace });
      return new TestWorkflowEnvironment(connection, client, namespace, server.target, server);
    } catch (err) {
      await server.shutdown().catch(() => undefined);
      throw err;
    }
  }

  /** Connects to a server that is already running (nothing is stopped on teardown but the connection). */
  static async createFromExistingServer(options: ExistingServerOptions = {}): Promise<TestWorkflowEnvironment> {
    const address = options.address ?? process.env.TEMPORAL_ADDRESS ?? "127.0.0.1:7233";
    const namespace = options.namespace ?? process.env.TEMPORAL_NAMESPACE ?? "default";
    const connection = await Connection.connect({ ...options.connection, address });
    const client = new Client({ ...options.client, connection, namespace });
    return new TestWorkflowEnvironment(connection, client, namespace, connection.address, undefined);
  }

  /** Closes the connection and, for `createLocal`, stops the dev server and waits for it. */
  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    try {
      await this.connection.close();
    } finally {
      await this.server?.shutdown();
    }
  }
}
