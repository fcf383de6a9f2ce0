/**
 * `NativeConnection`: the worker's connection to Temporal, named as in @temporalio/worker.
 * A thin wrapper over the client `Connection` (src/client): core's gRPC client (the
 * bridge's NativeClient) and the Runtime it lives in are all a worker uses. A client
 * `Connection` can be passed to `Worker.create` directly as well.
 */
import { Connection, type ConnectionOptions } from "../client/connection.js";
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
