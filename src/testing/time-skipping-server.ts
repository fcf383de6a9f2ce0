/**
 * The time-skipping test server: Temporal's Java test server (io.temporal:temporal-test-server,
 * installed by `./dev setup` from Maven Central into the cache with a launcher script that takes
 * `<port> [--enable-time-skipping]`, as the native build the official SDKs download does).
 *
 * Core's ephemeral-server API would SIGKILL its child on shutdown and leaves it running when this
 * process dies, so the server is started here under a small `sh` watchdog: the watchdog holds
 * the read end of a pipe whose write end only this process has. When this process exits for
 * any reason (teardown, SIGINT, SIGTERM, SIGKILL, a `bun test` timeout that ends the run), the
 * pipe reaches EOF and the watchdog stops the server and waits for it.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { spawnSync, type Subprocess } from "bun";

export const TEMPORAL_TEST_SERVER_VERSION = "1.32.1";

/** As official: how the server executable is found. `cached-download` cannot download here. */
export type EphemeralServerExecutable =
  | { type: "cached-download"; downloadDir?: string; version?: string; ttl?: unknown }
  | { type: "existing-path"; path: string };

/** As the official `TimeSkippingServerConfig` (without `type`). */
export interface TimeSkippingServerConfig {
  /** Default: the launcher `./dev setup` installs (TEMPORAL_TEST_SERVER_PATH, else the SDK cache). */
  executable?: EphemeralServerExecutable;
  /** Default: a free loopback port. */
  port?: number;
  /** Extra arguments after `<port> --enable-time-skipping`. */
  extraArgs?: string[];
  /**
   * Ours: `host:port` of a test server that is already running (started with
   * `--enable-time-skipping`); nothing is started, and teardown leaves it running.
   */
  address?: string;
}

/** Where `./dev setup` puts the test server launcher: TEMPORAL_TEST_SERVER_PATH, else the SDK cache. */
export function defaultTestServerPath(env: Record<string, string | undefined> = process.env): string {
  if (env.TEMPORAL_TEST_SERVER_PATH) return env.TEMPORAL_TEST_SERVER_PATH;
  const cache = env.TEMPORAL_BUN_SDK_CACHE || join(env.HOME || homedir(), ".cache", "temporal-bun-sdk");
  return join(cache, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`, "bin", "temporal-test-server");
}

export class TestServerNotFoundError extends Error {
  override readonly name: string = "TestServerNotFoundError";
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Time-skipping test server not available (${reason}): run ./dev setup (it installs io.temporal:temporal-test-server ${TEMPORAL_TEST_SERVER_VERSION} with Maven), or set TEMPORAL_TEST_SERVER_PATH or server.executable { type: 'existing-path', path } to a test server executable`);
  }
}

export class JavaNotFoundError extends Error {
  override readonly name: string = "JavaNotFoundError";
  constructor(detail: string) {
    super(`The time-skipping test server needs Java 17 or later (${detail}): install a Java runtime (e.g. apt-get install openjdk-17-jre-headless) and put 'java' on PATH`);
  }
}

/** The watchdog: runs the server, and stops it when stdin (this process's pipe) closes. */
const WATCHDOG = `"$@" </dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' INT TERM HUP
cat >/dev/null
kill $pid 2>/dev/null
wait $pid
exit 0`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function resolveExecutable(config: TimeSkippingServerConfig): string {
  const exe = config.executable;
  let path: string;
  if (exe === undefined) path = defaultTestServerPath();
  else if (exe === null || typeof exe !== "object") {
    throw new TypeError(`TimeSkippingServerConfig.executable: expected { type: 'existing-path', path }, got ${JSON.stringify(exe)}`);
  } else if (exe.type === "existing-path") {
    if (typeof exe.path !== "string" || exe.path === "") throw new TypeError(`TimeSkippingServerConfig.executable.path: expected a non-empty string, got ${JSON.stringify(exe.path)}`);
    path = exe.path;
  } else if (exe.type === "cached-download") {
    throw new TypeError("TimeSkippingServerConfig.executable: 'cached-download' is not supported (no download from the web here); the Java test server `./dev setup` installs is the default, or give { type: 'existing-path', path }");
  } else {
    throw new TypeError(`TimeSkippingServerConfig.executable.type: expected 'existing-path', got ${JSON.stringify((exe as { type?: unknown }).type)}`);
  }
  if (!existsSync(path)) throw new TestServerNotFoundError(path, `${path} does not exist`);
  if (!statSync(path).isFile()) throw new TestServerNotFoundError(path, `${path} is not a file`);
  return path;
}

/** Java on PATH (the launcher `./dev setup` writes runs `java`); a native build needs none. */
function checkJava(executable: string): void {
  const buf = Buffer.alloc(512);
  const fd = openSync(executable, "r");
  const n = readSync(fd, buf, 0, 512, 0);
  closeSync(fd);
  const head = buf.subarray(0, n).toString("latin1");
  if (!head.startsWith("#!") || !head.includes("java")) return;
  let r;
  try {
    // env: the current process.env (PATH may have changed since start).
    r = spawnSync(["java", "-version"], { stdout: "ignore", stderr: "pipe", env: { ...process.env } });
  } catch {
    throw new JavaNotFoundError("'java' is not on PATH");
  }
  if (!r.success) throw new JavaNotFoundError(`'java -version' failed: ${r.stderr.toString().trim().split("\n")[0] ?? ""}`);
}

async function portOpen(port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/** A running test server: `target` is host:port; `shutdown()` stops it and waits until it exited. */
export class TimeSkippingServer {
  private stopping: Promise<void> | undefined;
  /** The last 4 KiB the server wrote to stderr. */
  stderrTail = "";

  private constructor(
    private readonly proc: Subprocess<"pipe", "ignore", "pipe">,
    readonly target: string,
  ) {}

  /** The watchdog's pid (its child is the server). */
  get pid(): number {
    return this.proc.pid;
  }

  static async start(config: TimeSkippingServerConfig = {}, startTimeoutMs = 60_000): Promise<TimeSkippingServer> {
    if (config === null || typeof config !== "object") throw new TypeError("TimeSkippingServerConfig: expected an object");
    if (config.port !== undefined && (!Number.isInteger(config.port) || config.port <= 0 || config.port > 65535)) {
      throw new TypeError(`TimeSkippingServerConfig.port: expected an integer in 1..65535, got ${JSON.stringify(config.port)}`);
    }
    if (config.extraArgs !== undefined && (!Array.isArray(config.extraArgs) || config.extraArgs.some((a) => typeof a !== "string"))) {
      throw new TypeError(`TimeSkippingServerConfig.extraArgs: expected an array of strings, got ${JSON.stringify(config.extraArgs)}`);
    }
    const executable = resolveExecutable(config);
    checkJava(executable);
    const port = config.port ?? (await freePort());
    if (config.port !== undefined && (await portOpen(port))) throw new TypeError(`TimeSkippingServerConfig.port: ${port} is already in use`);
    const proc = Bun.spawn(["sh", "-c", WATCHDOG, "temporal-test-server-watchdog", executable, String(port), "--enable-time-skipping", ...(config.extraArgs ?? [])], {
      stdin: "pipe",
      stdout: "ignore",
      stderr: "pipe",
      env: { ...process.env },
    });
    // Do not keep the event loop alive for the watchdog: the pipe closes when this process ends.
    proc.unref();
    const server = new TimeSkippingServer(proc, `127.0.0.1:${port}`);
    // Drain stderr (a full pipe would block the server), keeping its tail for errors.
    const drained = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stderr) server.stderrTail = (server.stderrTail + decoder.decode(chunk)).slice(-4096);
    })().catch(() => undefined);
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        await drained;
        throw new Error(`Time-skipping test server ${executable} exited before listening on port ${port} (code ${proc.exitCode ?? proc.signalCode}): ${server.stderrTail.trim().split("\n").slice(-5).join("\n")}`);
      }
      if (await portOpen(port)) return server;
      if (Date.now() > deadline) {
        await server.shutdown();
        throw new Error(`Time-skipping test server ${executable} did not listen on port ${port} within ${startTimeoutMs} ms`);
      }
      await Bun.sleep(50);
    }
  }

  /** Closes the watchdog's pipe (it stops the server) and waits for both to exit. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        this.proc.stdin.end();
      } catch {
        // already closed
      }
      await this.proc.exited;
    })();
    return this.stopping;
  }
}
