/**
 * `Connection`: a client connection to the Temporal service, shaped like
 * @temporalio/client's. It is core's gRPC client (the bridge's NativeClient) plus typed
 * facades for raw RPCs: `connection.workflowService.startWorkflowExecution(req)` builds
 * the protobuf-es request, sends its bytes through core and decodes the response.
 *
 * A Worker can be created from a Connection: it uses `nativeClient` and `runtime`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { create, fromBinary, toBinary, type DescService, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { NativeClient, NativeBridgeError, bridgeDisabledError, isZigBridgeEnabled, type NativeClientOptions, type RpcServiceName } from "../bridge/index.js";
import { Runtime } from "../runtime/index.js";
import { WorkflowService as WorkflowServiceDesc } from "../proto/temporal/api/workflowservice/v1/service_pb.js";
import { OperatorService as OperatorServiceDesc } from "../proto/temporal/api/operatorservice/v1/service_pb.js";
import { Health as HealthServiceDesc } from "../proto/grpc/health/v1/health_pb.js";
import { ConnectionError, IllegalStateError, toServiceError } from "./errors.js";
import { checkOptions, type Duration, type OptionsShape } from "../common/index.js";
import { durationOptionMs } from "./converter.js";
import { explainConnectFailure } from "./connect-failure.js";

export const DEFAULT_ADDRESS = "127.0.0.1:7233";
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface TLSConfig {
  /** Overrides the server name checked against the certificate (SNI). */
  serverNameOverride?: string;
  /** PEM root CA for the server certificate (default: system roots). */
  serverRootCACertificate?: Uint8Array | string;
  /** mTLS client certificate and key (PEM). */
  clientCertPair?: { crt: Uint8Array | string; key: Uint8Array | string };
}

export interface ConnectionOptions {
  /** `host[:port]` (port 7233 if omitted) or a URL; default `127.0.0.1:7233`. */
  address?: string;
  /** `true`: TLS with the system roots; an object: TLS with these settings. Default: off, on when `apiKey` is set. */
  tls?: boolean | TLSConfig | null;
  /**
   * Sent as `Authorization: Bearer <apiKey>`; turns TLS on unless `tls: false`. A function (as
   * official) is called before every call this connection makes, and a changed key is handed to
   * core (so workers on this connection use it from then on too).
   */
  apiKey?: string | (() => string);
  /** gRPC metadata sent with every call. */
  metadata?: Record<string, string>;
  /** How long `connect()` waits for the server; default 10 seconds. */
  connectTimeout?: Duration;
  /** Identity core reports to the server (default `pid@hostname`). */
  identity?: string;
  /** Default: `Runtime.default()`. */
  runtime?: Runtime;
}

export interface ConnectionOptionsWithDefaults {
  address: string;
  tls: TLSConfig | null;
  apiKey?: string;
  /** The `apiKey` function, when one was given (`apiKey` then holds its last value). */
  apiKeyFn?: () => string;
  metadata: Record<string, string>;
  connectTimeoutMs: number;
  identity?: string;
}

/** Options of one raw RPC call (see also Connection.withDeadline/withAbortSignal/withMetadata). */
export interface RpcOptions {
  /** Absolute deadline (epoch ms or Date). */
  deadline?: number | Date;
  /** Timeout of this call. */
  timeout?: Duration;
  signal?: AbortSignal;
  metadata?: Record<string, string>;
  /** Let core retry retryable failures (default true). */
  retry?: boolean;
}

type Facade<M extends GenServiceMethods> = {
  [K in keyof M]: (request?: MessageInitShape<M[K]["input"]>, options?: RpcOptions) => Promise<MessageShape<M[K]["output"]>>;
};
type FacadeOf<S> = S extends GenService<infer M> ? Facade<M> : never;

/** Typed raw RPCs of temporal.api.workflowservice.v1.WorkflowService. */
export type WorkflowService = FacadeOf<typeof WorkflowServiceDesc>;
/** Typed raw RPCs of temporal.api.operatorservice.v1.OperatorService. */
export type OperatorService = FacadeOf<typeof OperatorServiceDesc>;
/** grpc.health.v1.Health (`check`). */
export type HealthService = FacadeOf<typeof HealthServiceDesc>;

interface CallContext {
  deadline?: number;
  signal?: AbortSignal;
  metadata?: Record<string, string>;
}

function pem(v: Uint8Array | string | undefined, option: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  throw new TypeError(`ConnectionOptions.${option}: expected a PEM string or Uint8Array`);
}

/**
 * The official grpc-js options have no counterpart here: every RPC goes through core's gRPC
 * client (tonic), so grpc-js call interceptors, channel arguments and credentials objects cannot
 * apply; nor do the official NativeConnectionOptions this connection does not implement. They
 * warn once. A key neither SDK knows (a typo such as `adress`) is a TypeError naming it.
 */
const connectionOptionsShape: OptionsShape = {
  name: "ConnectionOptions",
  supported: ["address", "tls", "apiKey", "metadata", "connectTimeout", "identity", "runtime"],
  officialOnly: [
    "interceptors",
    "channelArgs",
    "credentials",
    "callCredentials",
    "plugins",
    "proxy",
    "dnsLoadBalancingConfig",
    "grpcCompression",
    "disableErrorCodeMetricTags",
    "payloadLimits",
  ],
};

/** The TLS object's fields, checked here: core would only say its connect options are malformed. */
function checkTls(tls: TLSConfig): TLSConfig {
  pem(tls.serverRootCACertificate, "tls.serverRootCACertificate");
  if (tls.serverNameOverride !== undefined && typeof tls.serverNameOverride !== "string") {
    throw new TypeError(`ConnectionOptions.tls.serverNameOverride: expected a host name string, got ${JSON.stringify(tls.serverNameOverride)}`);
  }
  const pair = tls.clientCertPair as { crt?: unknown; key?: unknown } | undefined | null;
  if (pair !== undefined && pair !== null) {
    if (typeof pair !== "object" || pair.crt === undefined || pair.key === undefined) {
      throw new TypeError("ConnectionOptions.tls.clientCertPair: expected { crt, key } (the client certificate and its private key, PEM)");
    }
    pem(pair.crt as string, "tls.clientCertPair.crt");
    pem(pair.key as string, "tls.clientCertPair.key");
  }
  return tls;
}

/** Validates options and fills in defaults; throws TypeError naming the option. */
export function normalizeConnectionOptions(options: ConnectionOptions = {}): ConnectionOptionsWithDefaults {
  if (options === null || typeof options !== "object") throw new TypeError("ConnectionOptions: expected an object");
  checkOptions(connectionOptionsShape, options);
  let address = options.address ?? DEFAULT_ADDRESS;
  if (typeof address !== "string" || address.trim() === "" || /\s/.test(address)) {
    throw new TypeError(`ConnectionOptions.address: expected 'host:port', got ${JSON.stringify(address)}`);
  }
  if (!address.includes("://")) {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
    if (!m) throw new TypeError(`ConnectionOptions.address: expected 'host:port', got '${address}'`);
    if (m[2] === undefined) address = `${m[1]}:7233`;
    else if (Number(m[2]) > 65535) throw new TypeError(`ConnectionOptions.address: port out of range in '${address}'`);
  }
  if (options.apiKey !== undefined && typeof options.apiKey !== "string" && typeof options.apiKey !== "function") {
    throw new TypeError(`ConnectionOptions.apiKey: expected a string or a function returning one, got ${JSON.stringify(options.apiKey)}`);
  }
  let tls: TLSConfig | null = null;
  if (options.tls === true) tls = {};
  else if (options.tls && typeof options.tls === "object") tls = checkTls(options.tls);
  else if (options.tls === undefined && options.apiKey) tls = {};
  else if (options.tls !== undefined && options.tls !== null && options.tls !== false) {
    throw new TypeError("ConnectionOptions.tls: expected a boolean or { serverNameOverride, serverRootCACertificate, clientCertPair }");
  }
  const metadata = options.metadata ?? {};
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new TypeError(`ConnectionOptions.metadata: expected a record of string values, got ${JSON.stringify(metadata)}`);
  }
  if (options.identity !== undefined && typeof options.identity !== "string") {
    throw new TypeError(`ConnectionOptions.identity: expected a string, got ${JSON.stringify(options.identity)}`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") throw new TypeError(`ConnectionOptions.metadata['${k}']: expected a string value`);
  }
  const connectTimeoutMs = durationOptionMs(options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS, "ConnectionOptions.connectTimeout");
  const apiKeyFn = typeof options.apiKey === "function" ? options.apiKey : undefined;
  const apiKey = typeof options.apiKey === "string" ? options.apiKey : undefined;
  return { address, tls, apiKey, apiKeyFn, metadata, connectTimeoutMs, identity: options.identity };
}

function nativeOptions(o: ConnectionOptionsWithDefaults): NativeClientOptions {
  const scheme = o.tls ? "https" : "http";
  const native: NativeClientOptions = {
    targetUrl: o.address.includes("://") ? o.address : `${scheme}://${o.address}`,
    identity: o.identity,
    apiKey: o.apiKey,
    metadata: Object.keys(o.metadata).length > 0 ? o.metadata : undefined,
  };
  if (o.tls) {
    native.tls = {
      serverRootCaCert: pem(o.tls.serverRootCACertificate, "tls.serverRootCACertificate"),
      domain: o.tls.serverNameOverride,
      clientCert: pem(o.tls.clientCertPair?.crt, "tls.clientCertPair.crt"),
      clientPrivateKey: pem(o.tls.clientCertPair?.key, "tls.clientCertPair.key"),
    };
  }
  return native;
}

export class Connection {
  readonly options: ConnectionOptionsWithDefaults;
  readonly runtime: Runtime;
  readonly workflowService: WorkflowService;
  readonly operatorService: OperatorService;
  readonly healthService: HealthService;

  private client: NativeClient | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly callContext = new AsyncLocalStorage<CallContext>();

  private constructor(options: ConnectionOptionsWithDefaults, runtime: Runtime) {
    this.options = options;
    this.runtime = runtime;
    this.workflowService = this.facade(WorkflowServiceDesc, "workflow") as WorkflowService;
    this.operatorService = this.facade(OperatorServiceDesc, "operator") as OperatorService;
    this.healthService = this.facade(HealthServiceDesc, "health") as HealthService;
  }

  /**
   * Connects (core checks the server with GetSystemInfo). Rejects with a ConnectionError
   * naming the address when the server cannot be reached within `connectTimeout`.
   */
  static async connect(options: ConnectionOptions = {}): Promise<Connection> {
    const conn = Connection.lazy(options);
    await conn.ensureConnected();
    return conn;
  }

  /** A Connection that connects on its first call (or `ensureConnected()`). */
  static lazy(options: ConnectionOptions = {}): Connection {
    const normalized = normalizeConnectionOptions(options);
    if (!isZigBridgeEnabled()) throw bridgeDisabledError("Connection.connect");
    return new Connection(normalized, options.runtime ?? Runtime.default());
  }

  /** The address this connection talks to (`host:port` or URL). */
  get address(): string {
    return this.options.address;
  }

  /** @internal core's gRPC client; a Worker built on this connection uses it. */
  get nativeClient(): NativeClient {
    if (this.closed) throw new IllegalStateError(`Connection to ${this.options.address} is closed`);
    if (!this.client) throw new IllegalStateError(`Connection to ${this.options.address} is not connected yet: await connection.ensureConnected()`);
    return this.client;
  }

  async ensureConnected(): Promise<void> {
    if (this.closed) throw new ConnectionError(`Connection to ${this.options.address} is closed`, this.options.address);
    if (this.client) return;
    this.connecting ??= (async () => {
      const o = this.options;
      try {
        if (o.apiKeyFn) o.apiKey = this.keyFromFn(o.apiKeyFn);
        this.client = await NativeClient.connect(this.runtime.native, nativeOptions(o), o.connectTimeoutMs);
      } catch (err) {
        this.connecting = undefined;
        // A bad option (e.g. an apiKey function returning '') is the caller's error, not a failed connection.
        if (err instanceof TypeError) throw err;
        const why = err instanceof Error ? err.message : String(err);
        const hint = explainConnectFailure(why, o);
        throw new ConnectionError(`Failed to connect to Temporal at ${o.address}: ${hint ? `${hint}. Core: ${why}` : why}`, o.address, { cause: err });
      }
    })();
    await this.connecting;
  }

  /** Runs `fn` with every RPC it makes bounded by `deadline` (epoch ms or Date). */
  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    const ms = deadline instanceof Date ? deadline.getTime() : deadline;
    const outer = this.callContext.getStore();
    return this.callContext.run({ ...outer, deadline: Math.min(ms, outer?.deadline ?? Infinity) }, fn);
  }

  /** Runs `fn` with every RPC it makes cancelled when `signal` aborts. */
  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    const outer = this.callContext.getStore();
    const combined = outer?.signal ? AbortSignal.any([outer.signal, signal]) : signal;
    return this.callContext.run({ ...outer, signal: combined }, fn);
  }

  /** Runs `fn` with `metadata` added to every RPC it makes. */
  withMetadata<R>(metadata: Record<string, string>, fn: () => Promise<R>): Promise<R> {
    const outer = this.callContext.getStore();
    return this.callContext.run({ ...outer, metadata: { ...outer?.metadata, ...metadata } }, fn);
  }

  /**
   * Runs `fn` with every RPC it makes authenticated by `apiKey` (an `authorization: Bearer` header
   * for those calls, as official; core sends it instead of the connection's own key).
   */
  withApiKey<R>(apiKey: string, fn: () => Promise<R>): Promise<R> {
    if (typeof apiKey !== "string" || apiKey === "") throw new TypeError(`withApiKey: expected a non-empty API key string, got ${JSON.stringify(apiKey)}`);
    return this.withMetadata({ authorization: `Bearer ${apiKey}` }, fn);
  }

  /** Replaces the metadata sent with every call. */
  setMetadata(metadata: Record<string, string>): void {
    this.options.metadata = { ...metadata };
    this.client?.updateMetadata(metadata);
  }

  /** Replaces the API key (e.g. after rotation): a string, or a function called before every call (as official). */
  setApiKey(apiKey: string | (() => string)): void {
    if (typeof apiKey === "function") {
      this.options.apiKeyFn = apiKey;
      this.refreshApiKey();
      return;
    }
    if (typeof apiKey !== "string" || apiKey === "") throw new TypeError(`setApiKey: expected a non-empty string or a function, got ${JSON.stringify(apiKey)}`);
    this.options.apiKeyFn = undefined;
    this.options.apiKey = apiKey;
    this.client?.updateApiKey(apiKey);
  }

  private keyFromFn(fn: () => string): string {
    const key = fn();
    if (typeof key !== "string" || key === "") throw new TypeError(`ConnectionOptions.apiKey: the function returned ${JSON.stringify(key)}, expected a non-empty string`);
    return key;
  }

  /** Calls the apiKey function and hands a changed key to core. */
  private refreshApiKey(): void {
    const fn = this.options.apiKeyFn;
    if (!fn) return;
    const key = this.keyFromFn(fn);
    if (key === this.options.apiKey) return;
    this.options.apiKey = key;
    this.client?.updateApiKey(key);
  }

  /** Frees core's client. Workers already created from it keep it alive until they stop. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    this.client?.free();
    this.client = undefined;
  }

  /** One raw RPC: serialized request in, serialized response out, errors as ServiceError. */
  async rawRpc(service: RpcServiceName, method: string, request: Uint8Array, options: RpcOptions = {}): Promise<Uint8Array> {
    await this.ensureConnected();
    this.refreshApiKey();
    const ctx = this.callContext.getStore();
    let timeoutMs = options.timeout !== undefined ? durationOptionMs(options.timeout, `${method} timeout`) : undefined;
    const deadlines = [ctx?.deadline, options.deadline instanceof Date ? options.deadline.getTime() : options.deadline].filter(
      (d): d is number => d !== undefined,
    );
    if (deadlines.length > 0) {
      const left = Math.min(...deadlines) - Date.now();
      timeoutMs = Math.max(1, Math.min(timeoutMs ?? Infinity, left));
    }
    const signals = [ctx?.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const metadata = ctx?.metadata || options.metadata ? { ...ctx?.metadata, ...options.metadata } : undefined;
    try {
      return await this.nativeClient.rpc(service, method, request, {
        retry: options.retry ?? true,
        timeoutMs: timeoutMs === undefined ? undefined : Math.ceil(timeoutMs),
        metadata,
        signal,
      });
    } catch (err) {
      if (err instanceof NativeBridgeError && this.closed) {
        throw new ConnectionError(`Connection to ${this.options.address} is closed`, this.options.address, { cause: err });
      }
      throw toServiceError(err, method);
    }
  }

  private facade(service: DescService, name: RpcServiceName): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const method of service.methods) {
      if (method.methodKind !== "unary") continue;
      out[method.localName] = async (request: Record<string, unknown> = {}, options?: RpcOptions) => {
        const req = create(method.input, request as never);
        const bytes = await this.rawRpc(name, method.name, toBinary(method.input, req), options);
        return fromBinary(method.output, bytes);
      };
    }
    return out;
  }
}
