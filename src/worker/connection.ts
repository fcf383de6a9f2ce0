/**
 * `NativeConnection`: the worker's connection to Temporal, as in @temporalio/worker — core's
 * gRPC client (the bridge's NativeClient) plus the Runtime it lives in. A client
 * `Connection` (src/client) has the same two members and can be passed to `Worker.create`
 * instead; this class exists so a worker does not need the client package.
 */
import { NativeClient, bridgeDisabledError, isZigBridgeEnabled, type NativeClientOptions } from "../bridge/index.js";
import { Runtime } from "../runtime/index.js";

export interface NativeConnectionOptions {
  /** `host:port`; default TEMPORAL_ADDRESS or `localhost:7233`. */
  address?: string;
  /** true: TLS with system roots; or the certificates (PEM text or bytes). */
  tls?:
    | boolean
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: string | Uint8Array;
        clientCertPair?: { crt: string | Uint8Array; key: string | Uint8Array };
      };
  /** Sent as `Authorization: Bearer <apiKey>`; implies TLS unless `tls: false`. */
  apiKey?: string;
  metadata?: Record<string, string>;
  identity?: string;
  /** ms to wait for the server; default 10 000. */
  connectTimeout?: number;
  /** Default: Runtime.default(). */
  runtime?: Runtime;
}

const text = (v: string | Uint8Array | undefined) => (v === undefined ? undefined : typeof v === "string" ? v : new TextDecoder().decode(v));

export class NativeConnection {
  private closed = false;

  private constructor(
    readonly nativeClient: NativeClient,
    readonly runtime: Runtime,
    readonly address: string,
  ) {}

  static async connect(options: NativeConnectionOptions = {}): Promise<NativeConnection> {
    if (!isZigBridgeEnabled()) throw bridgeDisabledError("NativeConnection.connect");
    const runtime = options.runtime ?? Runtime.default();
    const address = options.address ?? process.env.TEMPORAL_ADDRESS ?? "localhost:7233";
    const useTls = options.tls !== undefined ? options.tls !== false : options.apiKey !== undefined;
    const tlsObject = typeof options.tls === "object" ? options.tls : undefined;
    const native: NativeClientOptions = {
      targetUrl: address.includes("://") ? address : `${useTls ? "https" : "http"}://${address}`,
      identity: options.identity,
      apiKey: options.apiKey,
      metadata: options.metadata,
    };
    if (useTls) {
      native.tls = {
        serverRootCaCert: text(tlsObject?.serverRootCACertificate),
        domain: tlsObject?.serverNameOverride,
        clientCert: text(tlsObject?.clientCertPair?.crt),
        clientPrivateKey: text(tlsObject?.clientCertPair?.key),
      };
    }
    const client = await NativeClient.connect(runtime.native, native, options.connectTimeout ?? 10_000);
    return new NativeConnection(client, runtime, address);
  }

  /** Frees the native client (workers made from it keep it alive until they are freed). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.nativeClient.free();
  }
}
