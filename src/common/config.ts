/**
 * Process configuration from environment variables, validated with zod. Not exported from
 * index.ts: it reads `process.env` by default and reads TLS files, so it is not for workflow
 * code. Import it from `temporal-bun-sdk/common/config` (src/common/config.ts).
 *
 * | variable                     | default          | accepted                                        |
 * |------------------------------|------------------|-------------------------------------------------|
 * | TEMPORAL_ADDRESS             | 127.0.0.1:7233   | host:port (hostname, IPv4 or [IPv6]; port 1-65535) |
 * | TEMPORAL_NAMESPACE           | default          | non-empty string                                |
 * | TEMPORAL_TASK_QUEUE          | (none)           | non-empty string                                |
 * | TEMPORAL_API_KEY             | (none)           | non-empty string; turns TLS on in Connection    |
 * | TEMPORAL_TLS_CERT_PATH       | (none)           | readable PEM file; needs TEMPORAL_TLS_KEY_PATH  |
 * | TEMPORAL_TLS_KEY_PATH        | (none)           | readable PEM file; needs TEMPORAL_TLS_CERT_PATH |
 * | TEMPORAL_TLS_CA_PATH         | (none)           | readable PEM file                               |
 *
 * The envconfig names TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH and
 * TEMPORAL_TLS_SERVER_CA_CERT_PATH are accepted for the three TLS paths too (an error when both
 * names of one path are set to different files).
 * | TEMPORAL_TLS_SERVER_NAME     | (none)           | hostname                                        |
 * | TEMPORAL_IDENTITY            | (none)           | non-empty string                                |
 * | TEMPORAL_BUN_SDK_USE_ZIG     | auto             | unset/''/auto; 1/true/on; 0/false/off (any case) |
 *
 * An empty value counts as unset. Every bad variable is reported at once, in one
 * TemporalConfigError.
 *
 * TEMPORAL_BUN_SDK_USE_ZIG is parsed by ./use-zig.ts, which the bridge uses too.
 */
import { readFile as fsReadFile } from "node:fs/promises";
import { z } from "zod";
import { USE_ZIG_ACCEPTED_VALUES, useZigModeOf, type UseZigMode } from "./use-zig.js";

export type { UseZigMode };

export interface TemporalTlsConfig {
  serverNameOverride?: string;
  serverRootCACertificate?: Uint8Array;
  clientCertPair?: { crt: Uint8Array; key: Uint8Array };
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue?: string;
  apiKey?: string;
  identity?: string;
  /** Set when any TEMPORAL_TLS_* variable is; file contents already read. */
  tls?: TemporalTlsConfig;
  useZig: UseZigMode;
}

export interface TemporalConfigIssue {
  variable: string;
  value: string | undefined;
  /** What was expected (or what went wrong reading a file). */
  message: string;
}

/** One error for every bad variable; `issues` lists them. */
export class TemporalConfigError extends Error {
  override readonly name = "TemporalConfigError";
  constructor(readonly issues: TemporalConfigIssue[]) {
    super(
      `Invalid Temporal configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${i.variable}${i.value === undefined ? "" : `='${i.value}'`}: ${i.message}`).join("\n"),
    );
  }
}

export interface LoadTemporalConfigOptions {
  /** Reads a TLS file; default node:fs/promises readFile. */
  readFile?: (path: string) => Promise<Uint8Array>;
}

/**
 * The environment variable names, the one list both readers use: `temporal-bun-sdk/envconfig`
 * (the official @temporalio/envconfig variables, read over a TOML profile) and
 * `loadTemporalConfig` below (the worker CLI's strict reader, which also takes TEMPORAL_TASK_QUEUE,
 * TEMPORAL_IDENTITY and its own TLS path names).
 */
export const TEMPORAL_ENV = {
  configFile: "TEMPORAL_CONFIG_FILE",
  profile: "TEMPORAL_PROFILE",
  address: "TEMPORAL_ADDRESS",
  namespace: "TEMPORAL_NAMESPACE",
  apiKey: "TEMPORAL_API_KEY",
  tls: "TEMPORAL_TLS",
  tlsClientCertPath: "TEMPORAL_TLS_CLIENT_CERT_PATH",
  tlsClientCertData: "TEMPORAL_TLS_CLIENT_CERT_DATA",
  tlsClientKeyPath: "TEMPORAL_TLS_CLIENT_KEY_PATH",
  tlsClientKeyData: "TEMPORAL_TLS_CLIENT_KEY_DATA",
  tlsServerCaCertPath: "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
  tlsServerCaCertData: "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
  tlsServerName: "TEMPORAL_TLS_SERVER_NAME",
  tlsDisableHostVerification: "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
  codecEndpoint: "TEMPORAL_CODEC_ENDPOINT",
  codecAuth: "TEMPORAL_CODEC_AUTH",
  /** TEMPORAL_GRPC_META_<NAME>: gRPC header <name> (lower case, first '_' → '-'). */
  grpcMetaPrefix: "TEMPORAL_GRPC_META_",
  taskQueue: "TEMPORAL_TASK_QUEUE",
  identity: "TEMPORAL_IDENTITY",
  /** loadTemporalConfig's TLS names (older than envconfig's, kept for the worker CLI). */
  tlsCertPath: "TEMPORAL_TLS_CERT_PATH",
  tlsKeyPath: "TEMPORAL_TLS_KEY_PATH",
  tlsCaPath: "TEMPORAL_TLS_CA_PATH",
  useZig: "TEMPORAL_BUN_SDK_USE_ZIG",
} as const;

export const DEFAULT_TEMPORAL_ADDRESS = "127.0.0.1:7233";
export const DEFAULT_TEMPORAL_NAMESPACE = "default";


const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[\w.-]+)?$/;

function validHostPort(value: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!m) return false;
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return false;
  if (m[1] !== undefined) return IPV6.test(m[1]) && m[1].includes(":");
  return HOSTNAME.test(m[2]!);
}

const nonEmpty = z.string().trim().min(1, "expected a non-empty string");
const address = z.string().trim().refine(validHostPort, "expected host:port, e.g. 127.0.0.1:7233, temporal.example.com:7233 or [::1]:7233 (port 1-65535)");
const hostname = z.string().trim().refine((v) => HOSTNAME.test(v), "expected a hostname, e.g. temporal.example.com");
const useZig = z
  .string()
  .refine((v) => useZigModeOf(v) !== undefined, `expected ${USE_ZIG_ACCEPTED_VALUES}`)
  .transform((v) => useZigModeOf(v)!);

/** Reads and validates the Temporal environment variables (and the TLS files they name). */
export async function loadTemporalConfig(env: Record<string, string | undefined> = process.env, options: LoadTemporalConfigOptions = {}): Promise<TemporalConfig> {
  const issues: TemporalConfigIssue[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v;
  };
  const check = <T>(name: string, schema: z.ZodType<T, string>, fallback?: T): T | undefined => {
    const raw = name === TEMPORAL_ENV.useZig ? env[name] : get(name);
    if (raw === undefined) return fallback;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    issues.push({ variable: name, value: raw, message: result.error.issues.map((i) => i.message).join("; ") });
    return undefined;
  };

  const config: TemporalConfig = {
    address: check(TEMPORAL_ENV.address, address, DEFAULT_TEMPORAL_ADDRESS) ?? DEFAULT_TEMPORAL_ADDRESS,
    namespace: check(TEMPORAL_ENV.namespace, nonEmpty, DEFAULT_TEMPORAL_NAMESPACE) ?? DEFAULT_TEMPORAL_NAMESPACE,
    useZig: check(TEMPORAL_ENV.useZig, useZig as z.ZodType<UseZigMode, string>, "auto") ?? "auto",
  };
  const taskQueue = check(TEMPORAL_ENV.taskQueue, nonEmpty);
  if (taskQueue !== undefined) config.taskQueue = taskQueue;
  const apiKey = check(TEMPORAL_ENV.apiKey, nonEmpty);
  if (apiKey !== undefined) config.apiKey = apiKey;
  const identity = check(TEMPORAL_ENV.identity, nonEmpty);
  if (identity !== undefined) config.identity = identity;

  // Each TLS path has our older name and the envconfig (official) name; either is accepted, and
  // both set to different paths is an error naming both.
  const pathVar = (ours: string, official: string): { name: string; path: string | undefined } => {
    const a = get(ours);
    const b = get(official);
    if (a !== undefined && b !== undefined && a !== b) {
      issues.push({ variable: ours, value: a, message: `conflicts with ${official}='${b}' (the same setting; set one of them)` });
    }
    return a !== undefined ? { name: ours, path: a } : { name: b !== undefined ? official : ours, path: b };
  };
  const cert = pathVar(TEMPORAL_ENV.tlsCertPath, TEMPORAL_ENV.tlsClientCertPath);
  const key_ = pathVar(TEMPORAL_ENV.tlsKeyPath, TEMPORAL_ENV.tlsClientKeyPath);
  const caVar = pathVar(TEMPORAL_ENV.tlsCaPath, TEMPORAL_ENV.tlsServerCaCertPath);
  const certPath = cert.path;
  const keyPath = key_.path;
  const caPath = caVar.path;
  const serverName = check(TEMPORAL_ENV.tlsServerName, hostname);
  if ((certPath === undefined) !== (keyPath === undefined)) {
    const [missing, present] = certPath === undefined ? [cert.name, key_.name] : [key_.name, cert.name];
    issues.push({ variable: missing, value: undefined, message: `must be set together with ${present} (mTLS needs both the client certificate and its key)` });
  }
  const readFile = options.readFile ?? ((path: string) => fsReadFile(path));
  const read = async (name: string, path: string | undefined): Promise<Uint8Array | undefined> => {
    if (path === undefined) return undefined;
    try {
      const bytes = await readFile(path);
      if (bytes.byteLength === 0) throw new Error("the file is empty");
      return bytes;
    } catch (err) {
      issues.push({ variable: name, value: path, message: `expected a readable PEM file: ${err instanceof Error ? err.message : String(err)}` });
      return undefined;
    }
  };
  const [crt, key, ca] = await Promise.all([
    read(cert.name, certPath),
    read(key_.name, keyPath),
    read(caVar.name, caPath),
  ]);

  if (issues.length > 0) throw new TemporalConfigError(issues);

  if (crt !== undefined || ca !== undefined || serverName !== undefined) {
    const tls: TemporalTlsConfig = {};
    if (serverName !== undefined) tls.serverNameOverride = serverName;
    if (ca !== undefined) tls.serverRootCACertificate = ca;
    if (crt !== undefined && key !== undefined) tls.clientCertPair = { crt, key };
    config.tls = tls;
  }
  return config;
}
