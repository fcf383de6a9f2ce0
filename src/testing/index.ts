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
import { SearchAttributeType, TypedSearchAttributes, type SearchAttributeKey } from "../common/index.js";

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
  /**
   * Search attributes to register on the dev server (`--search-attribute Name=Type`): as the
   * official SDK, keys of `defineSearchAttributeKey('Name', SearchAttributeType.KEYWORD)`; or a
   * record `{ Name: 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList' }`
   * (server type names, or SearchAttributeType values such as 'KEYWORD_LIST').
   */
  searchAttributes?: SearchAttributeKey[] | Record<string, string>;
}

/**
 * The dev server arguments that register `searchAttributes` (LocalServerOptions), in order.
 * Throws a TypeError naming the entry that is not a key or a known type.
 */
export function searchAttributeArgs(searchAttributes: LocalServerOptions["searchAttributes"]): string[] {
  if (searchAttributes === undefined || searchAttributes === null) return [];
  const where = "LocalServerOptions.searchAttributes";
  const args: string[] = [];
  const add = (name: unknown, type: unknown, at: string) => {
    // The CLI splits `Name=Type` at the '=': a name cannot hold one.
    if (typeof name !== "string" || name === "" || name.includes("=")) throw new TypeError(`${at}: invalid search attribute name ${JSON.stringify(name)}`);
    const metadataType = serverTypeName(type);
    if (metadataType === undefined) {
      throw new TypeError(`${at}: unknown search attribute type ${JSON.stringify(type)} (expected one of ${Object.values(SearchAttributeType).join(", ")}, or a server type name such as 'Keyword')`);
    }
    args.push("--search-attribute", `${name}=${metadataType}`);
  };
  if (Array.isArray(searchAttributes)) {
    searchAttributes.forEach((key: unknown, i) => {
      if (key === null || typeof key !== "object") {
        throw new TypeError(`${where}[${i}]: expected a SearchAttributeKey (defineSearchAttributeKey(name, type)), got ${key === null ? "null" : typeof key}`);
      }
      const { name, type } = key as { name?: unknown; type?: unknown };
      if (typeof type !== "string" || !Object.hasOwn(SearchAttributeType, type)) {
        throw new TypeError(`${where}[${i}]: expected a SearchAttributeKey whose type is one of ${Object.values(SearchAttributeType).join(", ")}, got ${JSON.stringify(type)}`);
      }
      add(name, type, `${where}[${i}]`);
    });
    return args;
  }
  if (typeof searchAttributes !== "object") throw new TypeError(`${where}: expected an array of SearchAttributeKeys or a record of types, got ${typeof searchAttributes}`);
  for (const [name, type] of Object.entries(searchAttributes)) add(name, type, `${where}.${name}`);
  return args;
}

/** The server's name of a search attribute type given as a SearchAttributeType or a server name (any case). */
function serverTypeName(type: unknown): string | undefined {
  if (typeof type !== "string") return undefined;
  if (Object.hasOwn(SearchAttributeType, type)) return TypedSearchAttributes.toMetadataType(type as SearchAttributeType);
  const known = Object.values(SearchAttributeType).map((t) => TypedSearchAttributes.toMetadataType(t));
  return known.find((n) => n.toLowerCase() === type.toLowerCase());
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
    // Registrations first, then the caller's arguments, as official.
    const extraArgs = [...searchAttributeArgs(s.searchAttributes), ...(s.extraArgs ?? [])];
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
