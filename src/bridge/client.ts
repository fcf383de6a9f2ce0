/** Native client: core's gRPC connection and raw RPC calls. */
import { bytesArg, check, finalizer, jsonArg, type Native } from "./native.js";
import { NativeBridgeError, NativeErrorCode } from "./errors.js";
import { defaultIdentity, type NativeRuntime } from "./runtime.js";

export interface NativeClientOptions {
  /** `host:port` or a URL; `http://` is assumed without TLS, `https://` with. */
  targetUrl: string;
  clientName?: string;
  clientVersion?: string;
  identity?: string;
  apiKey?: string;
  metadata?: Record<string, string>;
  tls?: { serverRootCaCert?: string; domain?: string; clientCert?: string; clientPrivateKey?: string };
  retry?: {
    initialIntervalMs?: number;
    randomizationFactor?: number;
    multiplier?: number;
    maxIntervalMs?: number;
    maxElapsedTimeMs?: number;
    maxRetries?: number;
  };
  keepAlive?: { intervalMs?: number; timeoutMs?: number };
  httpConnectProxy?: { targetHost: string; username?: string; password?: string };
  grpcGzip?: boolean;
}

export const RpcService = { workflow: 1, operator: 2, cloud: 3, test: 4, health: 5 } as const;
export type RpcServiceName = keyof typeof RpcService;

export interface RpcCallOptions {
  retry?: boolean;
  /** 0 or undefined: no timeout. */
  timeoutMs?: number;
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}

function metadataText(metadata: Record<string, string> | undefined): string {
  if (!metadata) return "";
  const lines: string[] = [];
  for (const [k, v] of Object.entries(metadata)) {
    if (k.includes("\n") || v.includes("\n")) throw new TypeError(`gRPC metadata '${k}' contains a newline`);
    lines.push(k, v);
  }
  return lines.join("\n");
}

export class NativeClient {
  private freed = false;
  private readonly token = {};

  private constructor(
    readonly n: Native,
    readonly id: number,
    readonly runtime: NativeRuntime,
  ) {
    finalizer.register(this, { free: n.s.temporal_bun_client_free, id }, this.token);
  }

  /**
   * Connects through core (which checks the server with GetSystemInfo). Rejects with a
   * NativeBridgeError naming the address; `timeoutMs` bounds the wait.
   */
  static async connect(runtime: NativeRuntime, options: NativeClientOptions, timeoutMs = 10_000): Promise<NativeClient> {
    const n = runtime.n;
    const [p, len, keep] = jsonArg({ ...options, identity: options.identity || defaultIdentity() });
    const id = n.s.temporal_bun_client_connect(runtime.id, p, len);
    void keep;
    const context = `connect to ${options.targetUrl}`;
    if (id < 0) check(n.s, id, context);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        n.abandon(id);
        reject(
          new NativeBridgeError(
            NativeErrorCode.cancelled,
            `${context}: no answer within ${timeoutMs} ms (is a Temporal server listening there?)`,
          ),
        );
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([n.awaitPending(id, context), timeout]);
      if (result.kind !== "object") throw new NativeBridgeError(NativeErrorCode.core, `${context}: unexpected result ${result.kind}`);
      return new NativeClient(n, result.id, runtime);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A raw gRPC call: request and response are serialized protobuf messages. */
  async rpc(service: RpcServiceName, method: string, request: Uint8Array, options: RpcCallOptions = {}): Promise<Uint8Array> {
    const [mp, ml, mk] = bytesArg(method);
    const [rp, rl, rk] = bytesArg(request);
    const [dp, dl, dk] = bytesArg(metadataText(options.metadata));
    const id = this.n.s.temporal_bun_client_rpc_call(
      this.id,
      RpcService[service],
      mp,
      ml,
      rp,
      rl,
      options.retry ? 1 : 0,
      options.timeoutMs ?? 0,
      dp,
      dl,
    );
    void mk, rk, dk;
    const result = await this.n.awaitPending(id, `${service}.${method}`, options.signal);
    if (result.kind !== "bytes") throw new NativeBridgeError(NativeErrorCode.core, `${method}: unexpected result ${result.kind}`);
    return result.bytes;
  }

  updateMetadata(metadata: Record<string, string>): void {
    const [p, l, k] = bytesArg(metadataText(metadata));
    check(this.n.s, this.n.s.temporal_bun_client_update_metadata(this.id, p, l), "update metadata");
    void k;
  }

  updateApiKey(apiKey: string): void {
    const [p, l, k] = bytesArg(apiKey);
    check(this.n.s, this.n.s.temporal_bun_client_update_api_key(this.id, p, l), "update API key");
    void k;
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    check(this.n.s, this.n.s.temporal_bun_client_free(this.id), "client free");
  }
}
