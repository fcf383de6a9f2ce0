/**
 * temporal-bun-sdk/testing: `TestWorkflowEnvironment`, as in @temporalio/testing. `createLocal`
 * starts a Temporal dev server (the CLI `./dev setup` builds) through core's ephemeral-server
 * API on a free loopback port; `createTimeSkipping` starts Temporal's Java test server
 * (time-skipping-server.ts); `createFromExistingServer` connects to a running one.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { homedir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { NativeEphemeralServer } from "../bridge/index.js";
import { Runtime } from "../runtime/index.js";
import { Client, Connection, type ClientOptions, type ConnectionOptions, type WorkflowHandle } from "../client/index.js";
import { NativeConnection } from "../worker/connection.js";
import { SearchAttributeType, TypedSearchAttributes, msToNumber, msToTs, tsToMs, type Duration, type SearchAttributeKey } from "../common/index.js";
import { TimeSkippingServer, type EphemeralServerExecutable, type TimeSkippingServerConfig } from "./time-skipping-server.js";
import { testServiceOf, type TestService } from "./test-service.js";
import { findChild, watchChild } from "./watchdog.js";

export {
  TimeSkippingServer,
  TestServerNotFoundError,
  JavaNotFoundError,
  defaultTestServerPath,
  TEMPORAL_TEST_SERVER_VERSION,
  type TimeSkippingServerConfig,
  type EphemeralServerExecutable,
} from "./time-skipping-server.js";
export type { TestService } from "./test-service.js";

/**
 * As official: workflow interceptor modules for `WorkerOptions.interceptors.workflowModules`; the
 * one module turns an assertion error of a workflow or signal handler into a non-retryable
 * ApplicationFailure (assert-to-failure-interceptor.ts).
 */
export const workflowInterceptorModules: string[] = [fileURLToPath(new URL("./assert-to-failure-interceptor.ts", import.meta.url))];

/** As official: the client options of an environment (connection and namespace are its own). */
export type ClientOptionsForTestEnv = Omit<ClientOptions, "namespace" | "connection">;

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

/**
 * Ours: the dev server `createLocal` asked for did not start (its port is taken, or the process
 * exited before it listened). Core's launcher only waits until the port accepts connections, so
 * without this check a port held by another server would connect the environment to *that* one.
 */
export class DevServerStartError extends Error {
  override readonly name: string = "DevServerStartError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throws DevServerStartError when something already listens on `ip:port` (`option` names the option). */
async function ensurePortFree(ip: string, port: number, option: string): Promise<void> {
  const taken = await new Promise<Error | undefined>((resolve) => {
    const s = createServer();
    s.once("error", (err) => resolve(err));
    s.listen({ host: ip, port, exclusive: true }, () => s.close(() => resolve(undefined)));
  });
  if (taken === undefined) return;
  const code = (taken as { code?: string }).code;
  const why = code === "EADDRINUSE" ? "is already in use by another process" : `cannot be bound (${code ?? taken.message})`;
  throw new DevServerStartError(`${option}: ${ip}:${port} ${why}; the dev server cannot listen there (choose a free port, or leave ${option} unset for one)`, { cause: taken });
}

function checkPortOption(value: unknown, option: string): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new TypeError(`${option}: expected an integer port 1-65535, got ${typeof value === "number" ? value : JSON.stringify(value)}`);
  }
  return value;
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
  /**
   * The `temporal` executable: as official `{ type: 'existing-path', path }` (or the path as a
   * string); default {@link defaultCliPath}. `cached-download` cannot download here.
   */
  executable?: string | EphemeralServerExecutable;
  /** As official: serve the Web UI (default false), on `uiPort` (default: the server port + 1000). */
  ui?: boolean;
  uiPort?: number;
  /** As official: the dev server's log format and level (default `{ format: 'pretty', level: 'warn' }`). */
  log?: { format: string; level: string };
  /** Shorthand for `log.level` (default `warn`). */
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

/** The `executable` option of a dev server as a path (throws a TypeError naming the option). */
function devServerExecutable(executable: LocalServerOptions["executable"]): string {
  if (executable === undefined) return defaultCliPath();
  if (typeof executable === "string") return executable;
  if (executable && typeof executable === "object" && executable.type === "existing-path" && typeof executable.path === "string") return executable.path;
  if (executable && typeof executable === "object" && executable.type === "cached-download") {
    throw new TypeError("LocalServerOptions.executable: 'cached-download' is not supported (no download from the web here); the CLI `./dev setup` builds is the default, or give { type: 'existing-path', path }");
  }
  throw new TypeError(`LocalServerOptions.executable: expected { type: 'existing-path', path } or a path, got ${JSON.stringify(executable)}`);
}

/** As official: the dev server options of `createLocal` (`type` is implied). */
export type DevServerConfig = LocalServerOptions & { type?: "dev-server" };

/** As official: `apiKey`, `metadata` and `tls` of the connections to an existing server. */
export type ExistingServerConnectionOptions = Pick<ConnectionOptions, "apiKey" | "metadata" | "tls">;

/** As official `TimeSkippingTestWorkflowEnvironmentOptions`. */
export interface TimeSkippingTestWorkflowEnvironmentOptions {
  server?: TimeSkippingServerConfig;
  client?: Omit<ClientOptions, "connection" | "namespace">;
  /** Options of the environment's connections (address is set by the environment). */
  connection?: Omit<ConnectionOptions, "address">;
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
  /** As official: `apiKey`, `metadata` and `tls` of the connections. */
  connectionOptions?: Pick<ConnectionOptions, "apiKey" | "metadata" | "tls">;
}
export type ExistingServerTestWorkflowEnvironmentOptions = ExistingServerOptions;

type Server = NativeEphemeralServer | TimeSkippingServer | undefined;

/**
 * As official `TimeSkippingWorkflowClient`: while this client waits on a workflow's result, the
 * test server skips time (unlockTimeSkipping before, lockTimeSkipping after). Applied to every
 * handle of `client.workflow` (start, execute, getHandle, signalWithStart, ...).
 */
function enableTimeSkippingOnResult(client: Client, testService: TestService): void {
  const wf = client.workflow as unknown as { handle: (...args: unknown[]) => WorkflowHandle };
  const makeHandle = wf.handle.bind(wf);
  wf.handle = (...args: unknown[]) => {
    const h = makeHandle(...args);
    const result = h.result.bind(h);
    Object.defineProperty(h, "result", {
      value: async (...a: Parameters<typeof result>) => {
        await testService.unlockTimeSkipping({});
        try {
          return await result(...a);
        } finally {
          await testService.lockTimeSkipping({});
        }
      },
    });
    return h;
  };
}

export class TestWorkflowEnvironment {
  private tornDown = false;

  /** The test server's own RPCs (time-skipping environments only). */
  readonly testService: TestService | undefined;

  private constructor(
    readonly connection: Connection,
    /** A second connection for `Worker.create({ connection: env.nativeConnection })`, as official. */
    readonly nativeConnection: NativeConnection,
    readonly client: Client,
    readonly namespace: string,
    readonly address: string,
    private readonly server: Server,
    /** True for `createTimeSkipping`: the server skips time (see sleep, currentTimeMs, client). */
    readonly supportsTimeSkipping: boolean,
  ) {
    this.testService = supportsTimeSkipping ? testServiceOf(connection) : undefined;
    if (this.testService) enableTimeSkippingOnResult(client, this.testService);
  }

  /** The raw typed WorkflowService RPCs. */
  get workflowService() {
    return this.connection.workflowService;
  }

  /** As official: `client.workflow`. */
  get workflowClient() {
    return this.client.workflow;
  }

  /** As official: `client.activity`. */
  get asyncCompletionClient() {
    return this.client.activity;
  }

  /** Connects the environment's connections and client to `server` (stopping it on failure). */
  private static async connectTo(
    server: Server,
    address: string,
    namespace: string,
    supportsTimeSkipping: boolean,
    options: { client?: Omit<ClientOptions, "connection" | "namespace">; connection?: Omit<ConnectionOptions, "address"> },
  ): Promise<TestWorkflowEnvironment> {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ ...options.connection, address });
      const nativeConnection = await NativeConnection.connect({ ...options.connection, address });
      const client = new Client({ ...options.client, connection, namespace });
      return new TestWorkflowEnvironment(connection, nativeConnection, client, namespace, address, server, supportsTimeSkipping);
    } catch (err) {
      await connection?.close().catch(() => undefined);
      await server?.shutdown().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Starts Temporal's Java test server (`./dev setup` installs it) on a free loopback port, with
   * time skipping: timers fire as soon as nothing else is running while `client` awaits a result,
   * or on `sleep()`. As official, time skipping is locked otherwise.
   */
  static async createTimeSkipping(options: TimeSkippingTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
    if (options === null || typeof options !== "object") throw new TypeError("TimeSkippingTestWorkflowEnvironmentOptions: expected an object");
    const address = options.server?.address;
    let env: TestWorkflowEnvironment;
    if (address !== undefined) {
      if (typeof address !== "string" || !/^[^\s:]+:\d+$/.test(address)) throw new TypeError(`TimeSkippingServerConfig.address: expected 'host:port', got ${JSON.stringify(address)}`);
      env = await TestWorkflowEnvironment.connectTo(undefined, address, "default", true, options);
    } else {
      const server = await TimeSkippingServer.start(options.server ?? {});
      env = await TestWorkflowEnvironment.connectTo(server, server.target, "default", true, options);
    }
    try {
      // Unlocked only while a result is awaited or during sleep(), as the official environment.
      await env.testService!.lockTimeSkipping({});
    } catch (err) {
      await env.teardown().catch(() => undefined);
      throw err;
    }
    return env;
  }

  /** Starts a local dev server and connects to it. */
  static async createLocal(options: LocalTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
    const s = options.server ?? {};
    const executable = devServerExecutable(s.executable);
    if (!existsSync(executable)) throw new TemporalCliNotFoundError(executable);
    const runtime = options.runtime ?? options.connection?.runtime ?? Runtime.default();
    const namespace = s.namespace ?? "default";
    // Registrations first, then the caller's arguments, as official.
    const extraArgs = [...searchAttributeArgs(s.searchAttributes), ...(s.extraArgs ?? [])];
    const ip = s.ip ?? "127.0.0.1";
    const port = checkPortOption(s.port, "LocalServerOptions.port");
    const uiPort = checkPortOption(s.uiPort, "LocalServerOptions.uiPort");
    if (port !== undefined) await ensurePortFree(ip, port, "LocalServerOptions.port");
    if (s.ui && uiPort !== undefined) await ensurePortFree(ip, uiPort, "LocalServerOptions.uiPort");
    const server = await NativeEphemeralServer.startDev(runtime.native, {
      existingPath: executable,
      namespace,
      ip,
      port,
      databaseFilename: s.dbFilename,
      ui: s.ui,
      uiPort: s.uiPort,
      logFormat: s.log?.format,
      logLevel: s.log?.level ?? s.logLevel ?? "warn",
      extraArgs,
    });
    // Core does not stop the dev server when this process dies: a watchdog does (watchdog.ts).
    const listening = server.target.slice(server.target.lastIndexOf(":") + 1);
    const pid = findChild(["start-dev", "--port", listening]);
    if (pid === undefined && existsSync("/proc/self")) {
      // Core saw the port accept a connection, but its server process is gone (it failed to
      // start, e.g. the port was taken meanwhile): whatever answered is not our server.
      await server.shutdown().catch(() => undefined);
      throw new DevServerStartError(`The dev server (${executable} server start-dev --port ${listening}) exited while starting; ${server.target} is answered by another process`);
    }
    if (pid !== undefined) {
      const watchdog = watchChild(pid);
      const shutdown = server.shutdown.bind(server);
      Object.defineProperty(server, "shutdown", {
        value: async () => {
          try {
            await shutdown();
          } finally {
            watchdog.release();
          }
        },
      });
    }
    return await TestWorkflowEnvironment.connectTo(server, server.target, namespace, false, { client: options.client, connection: { ...options.connection, runtime } });
  }

  /** Connects to a server that is already running (nothing is stopped on teardown but the connection). */
  static async createFromExistingServer(options: ExistingServerOptions = {}): Promise<TestWorkflowEnvironment> {
    const address = options.address ?? process.env.TEMPORAL_ADDRESS ?? "127.0.0.1:7233";
    const namespace = options.namespace ?? process.env.TEMPORAL_NAMESPACE ?? "default";
    return await TestWorkflowEnvironment.connectTo(undefined, address, namespace, false, {
      client: options.client,
      connection: { ...options.connection, ...options.connectionOptions },
    });
  }

  /**
   * As official: with time skipping, advances the server's clock by `duration` (timers due meanwhile
   * fire) and resolves at once; otherwise waits `duration` in real time.
   */
  sleep = async (duration: Duration): Promise<void> => {
    const ms = msToNumber(duration);
    if (this.testService) await this.testService.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
    else await new Promise((resolve) => setTimeout(resolve, ms));
  };

  /** As official: the server's clock with time skipping (ms since the epoch), else Date.now(). */
  async currentTimeMs(): Promise<number> {
    if (!this.testService) return Date.now();
    const { time } = await this.testService.getCurrentTime({});
    return tsToMs(time);
  }

  /** Closes the connections and stops the server this environment started, waiting for it to exit. */
  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    try {
      // A test server this environment did not start outlives it: give back the lock taken in
      // createTimeSkipping, so the next environment on it skips time again.
      if (this.testService && !this.server) await this.testService.unlockTimeSkipping({}).catch(() => undefined);
      await this.connection.close().catch(() => undefined);
      await this.nativeConnection.close().catch(() => undefined);
    } finally {
      await this.server?.shutdown();
    }
  }
}
