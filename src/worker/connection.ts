/**
 * `NativeConnection`: the worker's connection to Temporal, named as in @temporalio/worker.
 * A thin wrapper over the client `Connection` (src/client): core's gRPC client (the
 * bridge's NativeClient) and the Runtime it lives in are all a worker uses. A client
 * `Connection` can be passed to `Worker.create` directly as well. Like the official one, it
 * can back a `Client` (its raw RPC facades and call contexts delegate to the Connection).
 */
import { Connection, type ConnectionOptions, type HealthService, type OperatorService, type WorkflowService } from "../client/connection.js";
import type { NativeClient } from "../bridge/index.js";
import type { Runtime } from "../runtime/index.js";

export type NativeConnectionOptions = ConnectionOptions;

export class NativeConnection {
  private constructor(
    /** The client connection this wraps. */
    readonly connection: Connection,
  ) {}

  /** Connects through core; options and defaults as `Connection.connect` (TEMPORAL_* env is not read here). */
  static async connect(options: NativeConnectionOptions = {}): Promise<NativeConnection> {
    return new NativeConnection(await Connection.connect(options));
  }

  /** @deprecated as in @temporalio/worker: use connect(). */
  static create(options: NativeConnectionOptions = {}): Promise<NativeConnection> {
    return NativeConnection.connect(options);
  }

  // The official NativeConnection is also a ConnectionLike (raw RPCs, call contexts, metadata),
  // so it can back a Client; these delegate to the wrapped Connection, which already is one.
  get workflowService(): WorkflowService {
    return this.connection.workflowService;
  }

  get operatorService(): OperatorService {
    return this.connection.operatorService;
  }

  get healthService(): HealthService {
    return this.connection.healthService;
  }

  /** Connected by connect() already; resolves at once (rejects if closed). */
  ensureConnected(): Promise<void> {
    return this.connection.ensureConnected();
  }

  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return this.connection.withDeadline(deadline, fn);
  }

  withMetadata<R>(metadata: Record<string, string>, fn: () => Promise<R>): Promise<R> {
    return this.connection.withMetadata(metadata, fn);
  }

  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return this.connection.withAbortSignal(signal, fn);
  }

  /** Replaces the gRPC metadata sent with every call (workers on this connection included). */
  async setMetadata(metadata: Record<string, string>): Promise<void> {
    this.connection.setMetadata(metadata);
  }

  async setApiKey(apiKey: string | (() => string)): Promise<void> {
    this.connection.setApiKey(apiKey);
  }

  get nativeClient(): NativeClient {
    return this.connection.nativeClient;
  }

  get runtime(): Runtime {
    return this.connection.runtime;
  }

  /** Frees the native client (workers made from it keep it alive until they are freed). */
  close(): Promise<void> {
    return this.connection.close();
  }
}
