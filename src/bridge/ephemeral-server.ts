/** Native ephemeral dev server: core launches an existing Temporal CLI binary. */
import { ptr } from "bun:ffi";
import { check, copyOut, finalizer, jsonArg, type Native } from "./native.js";
import { NativeBridgeError, NativeErrorCode } from "./errors.js";
import type { NativeRuntime } from "./runtime.js";

export interface NativeDevServerOptions {
  /** Path of the `temporal` CLI executable (core cannot download it here). */
  existingPath: string;
  namespace?: string;
  ip?: string;
  /** 0 or undefined: core picks a free port. */
  port?: number;
  databaseFilename?: string;
  ui?: boolean;
  uiPort?: number;
  logFormat?: string;
  logLevel?: string;
  extraArgs?: string[];
}

const targetOut = new BigUint64Array(2);

export class NativeEphemeralServer {
  private freed = false;
  private readonly token = {};

  private constructor(
    readonly n: Native,
    readonly id: number,
    readonly target: string,
  ) {
    finalizer.register(this, { free: n.s.temporal_bun_ephemeral_server_free, id }, this.token);
  }

  static async startDev(runtime: NativeRuntime, options: NativeDevServerOptions): Promise<NativeEphemeralServer> {
    const n = runtime.n;
    const [p, l, k] = jsonArg({ sdkName: "temporal-bun-sdk", ...options });
    const id = n.s.temporal_bun_ephemeral_server_start_dev(runtime.id, p, l);
    void k;
    const result = await n.awaitPending(id, `start dev server (${options.existingPath})`);
    if (result.kind !== "object") throw new NativeBridgeError(NativeErrorCode.core, `dev server: unexpected result ${result.kind}`);
    check(n.s, n.s.temporal_bun_ephemeral_server_target(result.id, ptr(targetOut)), "dev server target");
    const target = new TextDecoder().decode(copyOut(Number(targetOut[0]), Number(targetOut[1])));
    return new NativeEphemeralServer(n, result.id, target);
  }

  /** Stops the server process and waits for it to exit, then frees the handle. */
  async shutdown(): Promise<void> {
    if (this.freed) return;
    try {
      await this.n.awaitPending(this.n.s.temporal_bun_ephemeral_server_shutdown(this.id), "dev server shutdown");
    } finally {
      this.free();
    }
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    check(this.n.s, this.n.s.temporal_bun_ephemeral_server_free(this.id), "dev server free");
  }
}
