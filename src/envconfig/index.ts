/**
 * Environment configuration, the API of the official `@temporalio/envconfig` 1.24: client
 * profiles from a TOML file plus the `TEMPORAL_*` environment variables, turned into options for
 * `Connection.connect` / `NativeConnection.connect` and the client's namespace.
 *
 * Precedence (as official): a variable set in the environment (even to '') wins over the profile's
 * value in the file; the file is `configSource`, else `TEMPORAL_CONFIG_FILE`, else
 * `<user config dir>/temporalio/temporal.toml`; a missing file counts as empty; the profile is
 * `profile`, else `TEMPORAL_PROFILE`, else `default` (only an explicitly named profile must exist).
 *
 * Synchronous like the official functions (users call them before `connect`). The TOML is parsed by
 * Bun's built-in parser. Differences from the official package: every error is a
 * TemporalConfigError naming the file (and line for syntax errors) or the variable and value, and
 * known keys of the wrong type are rejected even when not strict.
 *
 * The variable names live in src/common/config.ts (TEMPORAL_ENV), shared with loadTemporalConfig.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { ConnectionOptions, TLSConfig } from "../client/connection.js";
import { TEMPORAL_ENV, TemporalConfigError } from "../common/config.js";
import { checkOptions, type OptionsShape } from "../common/option-check.js";

/** A configuration value: a path to a file, or the contents themselves. */
export type ConfigDataSource = { path: string } | { data: string | Uint8Array };

/** TLS settings of a profile. */
export interface ClientConfigTLS {
  disabled?: boolean;
  serverName?: string;
  clientCert?: ConfigDataSource;
  clientKey?: ConfigDataSource;
  serverCACert?: ConfigDataSource;
}

/** What `Connection.connect` / `NativeConnection.connect` and `new Client({ namespace })` take. */
export interface ClientConnectConfig {
  connectionOptions: ConnectionOptions;
  namespace?: string;
}

export interface LoadClientProfileOptions {
  /** Profile name; default `TEMPORAL_PROFILE`, then "default". */
  profile?: string;
  /** Used instead of the default file locations: a path, or the file's contents. */
  configSource?: ConfigDataSource;
  /** Skip the file (only when `configSource` is not given). */
  disableFile?: boolean;
  /** Skip the environment variables. */
  disableEnv?: boolean;
  /** Reject unknown keys in the TOML file. */
  configFileStrict?: boolean;
  /** Used instead of `process.env`. */
  overrideEnvVars?: Record<string, string>;
}

/** One profile's connection settings. */
export interface ClientConfigProfile {
  address?: string;
  namespace?: string;
  apiKey?: string;
  tls?: ClientConfigTLS;
  grpcMeta?: Record<string, string>;
}

export interface LoadClientConfigOptions {
  /** Used instead of the default file locations: a path, or the file's contents. */
  configSource?: ConfigDataSource;
  /** Reject unknown keys in the TOML file. */
  configFileStrict?: boolean;
  /** Used instead of `process.env` to find `TEMPORAL_CONFIG_FILE` and the default path. */
  overrideEnvVars?: Record<string, string>;
}

/** A whole configuration file: profile name → profile. */
export interface ClientConfig {
  profiles: Record<string, ClientConfigProfile>;
}

export interface ClientConfigFromTomlOptions {
  /** Reject unknown keys. */
  strict: boolean;
}

/** @internal The TOML file's shape (snake_case keys as in the file). */
export interface TomlClientConfigTLS {
  disabled?: boolean;
  client_cert_path?: string;
  client_cert_data?: string;
  client_key_path?: string;
  client_key_data?: string;
  server_ca_cert_path?: string;
  server_ca_cert_data?: string;
  server_name?: string;
  disable_host_verification?: boolean;
}
/** @internal */
export interface TomlClientConfigCodec {
  endpoint?: string;
  auth?: string;
}
/** @internal */
export interface TomlClientConfigProfile {
  address?: string;
  namespace?: string;
  api_key?: string;
  tls?: TomlClientConfigTLS;
  codec?: TomlClientConfigCodec;
  grpc_meta?: Record<string, string>;
}
/** @internal */
export interface TomlClientConfig {
  profile: Record<string, TomlClientConfigProfile>;
}

type Env = Record<string, string | undefined>;

const profileOptionsShape: OptionsShape = {
  name: "LoadClientProfileOptions",
  supported: ["profile", "configSource", "disableFile", "disableEnv", "configFileStrict", "overrideEnvVars"],
};
const configOptionsShape: OptionsShape = { name: "LoadClientConfigOptions", supported: ["configSource", "configFileStrict", "overrideEnvVars"] };

/** Options objects: unknown keys (typos) are a TypeError naming them, as everywhere in this SDK. */
function checkLoadOptions(shape: OptionsShape, options: unknown): void {
  if (options === null || typeof options !== "object") throw new TypeError(`${shape.name}: expected an object, got ${JSON.stringify(options)}`);
  checkOptions(shape, options);
  const o = options as { configSource?: unknown; overrideEnvVars?: unknown; profile?: unknown };
  const src = o.configSource as Record<string, unknown> | undefined;
  if (src !== undefined && (src === null || typeof src !== "object" || !(typeof src.path === "string" || typeof src.data === "string" || src.data instanceof Uint8Array))) {
    throw new TypeError(`${shape.name}.configSource: expected { path: string } or { data: string | Uint8Array }`);
  }
  if (o.overrideEnvVars !== undefined && (o.overrideEnvVars === null || typeof o.overrideEnvVars !== "object")) {
    throw new TypeError(`${shape.name}.overrideEnvVars: expected an object of variable → value`);
  }
  if (o.profile !== undefined && typeof o.profile !== "string") throw new TypeError(`${shape.name}.profile: expected a profile name, got ${JSON.stringify(o.profile)}`);
}
const DEFAULT_PROFILE = "default";

/**
 * Where a path-valued ConfigDataSource came from (a variable or a key of a file), so that an
 * unreadable TLS file is reported by the setting that named it. Weak: sources are user objects.
 */
const origins = new WeakMap<object, string>();

function fail(variable: string, value: string | undefined, message: string): never {
  throw new TemporalConfigError([{ variable, value, message }]);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Drops null and undefined entries (the official results carry no such keys). */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v != null)) as T;
}

/** As official: lower case, and the first `_` becomes `-` (only the first, as official). */
function normalizeGrpcMetaKey(key: string): string {
  return key.toLocaleLowerCase().replace("_", "-");
}

// ---------------------------------------------------------------------------------------------
// TOML in and out

/** Parses TOML with Bun's parser; a syntax error names the source and the line it starts on. */
function parseToml(text: string, where: string): Record<string, unknown> {
  try {
    return Bun.TOML.parse(text) as Record<string, unknown>;
  } catch (err) {
    // Bun's error carries no position in the TOML text: the line is the first one after the
    // longest prefix that still parses (a prefix ending inside a multi-line string fails but a
    // longer one parses again, hence the last good prefix rather than the first bad one).
    const lines = text.split("\n");
    let good = 0;
    if (lines.length <= 5000) {
      for (let n = 1; n <= lines.length; n++) {
        try {
          Bun.TOML.parse(lines.slice(0, n).join("\n"));
          good = n;
        } catch {
          /* keep looking */
        }
      }
    }
    const line = Math.min(good + 1, lines.length);
    const why = err instanceof Error ? err.message.replace(/^TOML Parse error: /, "") : String(err);
    return fail(`${where}:${line}`, undefined, `TOML syntax error: ${why}`);
  }
}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

const PROFILE_KEYS: Record<string, "string" | "table"> = { address: "string", namespace: "string", api_key: "string", tls: "table", codec: "table", grpc_meta: "table" };
const TLS_KEYS: Record<string, "string" | "boolean"> = {
  disabled: "boolean",
  client_cert_path: "string",
  client_cert_data: "string",
  client_key_path: "string",
  client_key_data: "string",
  server_ca_cert_path: "string",
  server_ca_cert_data: "string",
  server_name: "string",
  disable_host_verification: "boolean",
};
const CODEC_KEYS: Record<string, "string"> = { endpoint: "string", auth: "string" };
// As official: strict mode does not know disable_host_verification (it is read from the environment only).
const STRICT_TLS_KEYS = new Set(Object.keys(TLS_KEYS).filter((k) => k !== "disable_host_verification"));

/** Checks the parsed file's shape: types always, unknown keys only when strict. */
function validateToml(parsed: Record<string, unknown>, strict: boolean, where: string): TomlClientConfig {
  const bad = (key: string, message: string): never => fail(`${key} in ${where}`, undefined, message);
  if (strict) {
    const unknown = Object.keys(parsed).filter((k) => k !== "profile");
    if (unknown.length > 0) bad(unknown.join(", "), "unrecognized key(s) (strict mode); expected only [profile.<name>] tables");
  }
  const profiles = parsed.profile ?? {};
  if (!isTable(profiles)) bad("profile", "must be a table of profiles, e.g. [profile.default]");
  for (const [name, p] of Object.entries(profiles as Record<string, unknown>)) {
    const key = `profile.${name}`;
    if (!isTable(p)) bad(key, "must be a table");
    const profile = p as Record<string, unknown>;
    for (const [k, v] of Object.entries(profile)) {
      const type = PROFILE_KEYS[k];
      if (type === undefined) {
        if (strict) bad(`${key}.${k}`, `unrecognized key (strict mode); expected one of ${Object.keys(PROFILE_KEYS).join(", ")}`);
        continue;
      }
      if (type === "table" ? !isTable(v) : typeof v !== type) bad(`${key}.${k}`, `expected a ${type}, got ${JSON.stringify(v)}`);
    }
    const sub = (field: string, keys: Record<string, string>, strictKeys: Set<string>) => {
      const t = profile[field] as Record<string, unknown> | undefined;
      if (t === undefined) return;
      for (const [k, v] of Object.entries(t)) {
        const type = keys[k];
        if (type === undefined || (strict && !strictKeys.has(k))) {
          if (strict) bad(`${key}.${field}.${k}`, `unrecognized key (strict mode); expected one of ${[...strictKeys].join(", ")}`);
          continue;
        }
        if (typeof v !== type) bad(`${key}.${field}.${k}`, `expected a ${type}, got ${JSON.stringify(v)}`);
      }
    };
    sub("tls", TLS_KEYS, STRICT_TLS_KEYS);
    sub("codec", CODEC_KEYS, new Set(Object.keys(CODEC_KEYS)));
    const meta = profile.grpc_meta as Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(meta ?? {})) {
      if (typeof v !== "string") bad(`${key}.grpc_meta.${k}`, `expected a string, got ${JSON.stringify(v)}`);
    }
  }
  return { profile: profiles as Record<string, TomlClientConfigProfile> };
}

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

/** TOML text of the file shape: scalars, then each sub-table as its own [header]. */
function stringifyToml(config: TomlClientConfig): string {
  // JSON string escapes (\" \\ \n \uXXXX …) are all valid TOML basic-string escapes.
  const scalar = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));
  const out: string[] = [];
  const table = (path: string[], t: Record<string, unknown>) => {
    const scalars = Object.entries(t).filter(([, v]) => v != null && !isTable(v));
    const tables = Object.entries(t).filter(([, v]) => isTable(v)) as [string, Record<string, unknown>][];
    if (scalars.length > 0 || tables.length === 0) {
      out.push(`[${path.map(tomlKey).join(".")}]`);
      for (const [k, v] of scalars) out.push(`${tomlKey(k)} = ${scalar(v)}`);
      out.push("");
    }
    for (const [k, v] of tables) table([...path, k], v);
  };
  for (const [name, profile] of Object.entries(config.profile)) table(["profile", name], profile as Record<string, unknown>);
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Sources and files

/** Reads a ConfigDataSource's bytes; a path that cannot be read is reported by the setting that named it. */
export function loadConfigData(source?: ConfigDataSource): Uint8Array | undefined {
  if (!source) return undefined;
  if ("path" in source) {
    try {
      return Uint8Array.from(readFileSync(source.path));
    } catch (err) {
      const origin = origins.get(source);
      const why = err instanceof Error ? err.message : String(err);
      return fail(origin ?? "path", source.path, `cannot read the file: ${why}`);
    }
  }
  return typeof source.data === "string" ? encoder.encode(source.data) : source.data;
}

function userConfigDir(env: Env): string | undefined {
  switch (process.platform) {
    case "win32":
      return env.APPDATA || undefined;
    case "darwin":
      return env.HOME ? join(env.HOME, "Library", "Application Support") : undefined;
    default: {
      const xdg = env.XDG_CONFIG_HOME;
      if (xdg) return isAbsolute(xdg) ? xdg : undefined;
      return env.HOME ? join(env.HOME, ".config") : undefined;
    }
  }
}

/** Reads the file text; `undefined` when the file does not exist (as official, not an error). */
function readConfigText(options: LoadClientConfigOptions, env: Env): { text: string; where: string } | undefined {
  let path: string;
  let variable: string;
  const source = options.configSource;
  if (source !== undefined) {
    if (!("path" in source)) return { text: typeof source.data === "string" ? source.data : decoder.decode(source.data), where: "configSource data" };
    path = source.path;
    variable = "configSource.path";
  } else if (env[TEMPORAL_ENV.configFile] !== undefined) {
    path = env[TEMPORAL_ENV.configFile]!;
    variable = TEMPORAL_ENV.configFile;
  } else {
    const dir = userConfigDir(env);
    if (dir === undefined) return undefined;
    path = join(dir, "temporalio", "temporal.toml");
    variable = "default config file";
  }
  try {
    return { text: readFileSync(path, "utf-8"), where: path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === "ENOENT") return undefined;
    return fail(variable, path, `cannot read the config file: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function loadTomlConfig(options: LoadClientConfigOptions): TomlClientConfig {
  const env: Env = options.overrideEnvVars ?? process.env;
  const file = readConfigText(options, env);
  if (file === undefined) return { profile: {} };
  return validateToml(parseToml(file.text, file.where), options.configFileStrict ?? false, file.where);
}

// ---------------------------------------------------------------------------------------------
// Conversions between the file shape and the API shape

function dataSource(path: string | undefined, data: string | undefined, field: string, origin: string): ConfigDataSource | undefined {
  if (path !== undefined && data !== undefined) fail(`${origin}`, undefined, `cannot specify both ${field}_path and ${field}_data`);
  if (data !== undefined) return { data: encoder.encode(data) };
  if (path === undefined) return undefined;
  const source = { path };
  origins.set(source, `${origin}.${field}_path`);
  return source;
}

function fromTomlTLS(tls: TomlClientConfigTLS | undefined, origin: string): ClientConfigTLS | undefined {
  if (tls === undefined) return undefined;
  // Keys set from the environment carry their variable as origin (see applyEnv).
  const o = (tls as { [ENV_ORIGIN]?: Record<string, string> })[ENV_ORIGIN] ?? {};
  const src = (field: "client_cert" | "client_key" | "server_ca_cert") => {
    const s = dataSource(tls[`${field}_path`], tls[`${field}_data`], field, `${origin}.tls`);
    if (s && "path" in s && o[`${field}_path`]) origins.set(s, o[`${field}_path`]!);
    return s;
  };
  return compact({ disabled: tls.disabled, serverName: tls.server_name, clientCert: src("client_cert"), clientKey: src("client_key"), serverCACert: src("server_ca_cert") });
}

function fromTomlProfileNamed(profile: TomlClientConfigProfile, origin: string): ClientConfigProfile {
  let grpcMeta: Record<string, string> | undefined;
  if (profile.grpc_meta !== undefined) {
    grpcMeta = {};
    for (const [k, v] of Object.entries(profile.grpc_meta)) grpcMeta[normalizeGrpcMetaKey(k)] = v;
  }
  return compact({ address: profile.address, namespace: profile.namespace, apiKey: profile.api_key, tls: fromTomlTLS(profile.tls, origin), grpcMeta });
}

/** The file's profile shape → ClientConfigProfile. */
export function fromTomlProfile(tomlProfile: TomlClientConfigProfile): ClientConfigProfile {
  return fromTomlProfileNamed(tomlProfile, "profile");
}

/** The file's shape → ClientConfig. */
export function fromTomlConfig(tomlConfig: TomlClientConfig): ClientConfig {
  const profiles: Record<string, ClientConfigProfile> = {};
  for (const [name, p] of Object.entries(tomlConfig.profile)) profiles[name] = fromTomlProfileNamed(p, `profile.${name}`);
  return { profiles };
}

function pathAndData(source: ConfigDataSource | undefined): { path?: string; data?: string } {
  if (source === undefined) return {};
  if ("path" in source) return { path: source.path };
  return { data: typeof source.data === "string" ? source.data : decoder.decode(source.data) };
}

/** ClientConfigProfile → the file's profile shape. */
export function toTomlProfile(profile: ClientConfigProfile): TomlClientConfigProfile {
  let grpc_meta: Record<string, string> | undefined;
  if (profile.grpcMeta !== undefined) {
    grpc_meta = {};
    for (const [k, v] of Object.entries(profile.grpcMeta)) grpc_meta[normalizeGrpcMetaKey(k)] = v;
  }
  let tls: TomlClientConfigTLS | undefined;
  if (profile.tls !== undefined) {
    const cert = pathAndData(profile.tls.clientCert);
    const key = pathAndData(profile.tls.clientKey);
    const ca = pathAndData(profile.tls.serverCACert);
    tls = compact({
      disabled: profile.tls.disabled,
      server_name: profile.tls.serverName,
      client_cert_path: cert.path,
      client_cert_data: cert.data,
      client_key_path: key.path,
      client_key_data: key.data,
      server_ca_cert_path: ca.path,
      server_ca_cert_data: ca.data,
    });
  }
  return compact({ address: profile.address, namespace: profile.namespace, api_key: profile.apiKey, tls, grpc_meta });
}

/** ClientConfig → the file's shape. */
export function toTomlConfig(config: ClientConfig): TomlClientConfig {
  const profile: Record<string, TomlClientConfigProfile> = {};
  for (const [name, p] of Object.entries(config.profiles)) profile[name] = toTomlProfile(p);
  return { profile };
}

// ---------------------------------------------------------------------------------------------
// Environment variables

const ENV_ORIGIN = Symbol("envOrigin");

function envBool(v: string | undefined): boolean | undefined {
  return v === undefined ? undefined : v === "1" || v === "true";
}

/** Applies the TEMPORAL_* variables over the file's profile (a set variable wins, even when ''). */
function applyEnv(profile: TomlClientConfigProfile, env: Env): void {
  const E = TEMPORAL_ENV;
  profile.address = env[E.address] ?? profile.address;
  profile.namespace = env[E.namespace] ?? profile.namespace;
  profile.api_key = env[E.apiKey] ?? profile.api_key;

  const tlsEnabled = envBool(env[E.tls]);
  const tlsEnv: TomlClientConfigTLS = compact({
    disabled: tlsEnabled === undefined ? undefined : !tlsEnabled,
    client_cert_path: env[E.tlsClientCertPath],
    client_cert_data: env[E.tlsClientCertData],
    client_key_path: env[E.tlsClientKeyPath],
    client_key_data: env[E.tlsClientKeyData],
    server_ca_cert_path: env[E.tlsServerCaCertPath],
    server_ca_cert_data: env[E.tlsServerCaCertData],
    server_name: env[E.tlsServerName],
    disable_host_verification: envBool(env[E.tlsDisableHostVerification]),
  });
  if (profile.tls || Object.keys(tlsEnv).length > 0) {
    const tls: TomlClientConfigTLS & { [ENV_ORIGIN]?: Record<string, string> } = { ...profile.tls, ...tlsEnv };
    const origin: Record<string, string> = {};
    if (tlsEnv.client_cert_path !== undefined) origin.client_cert_path = E.tlsClientCertPath;
    if (tlsEnv.client_key_path !== undefined) origin.client_key_path = E.tlsClientKeyPath;
    if (tlsEnv.server_ca_cert_path !== undefined) origin.server_ca_cert_path = E.tlsServerCaCertPath;
    Object.defineProperty(tls, ENV_ORIGIN, { value: origin, enumerable: false });
    profile.tls = tls;
  } else profile.tls = undefined;

  const codec: TomlClientConfigCodec = compact({ endpoint: env[E.codecEndpoint], auth: env[E.codecAuth] });
  profile.codec = profile.codec || Object.keys(codec).length > 0 ? { ...profile.codec, ...codec } : undefined;

  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(E.grpcMetaPrefix)) continue;
    const header = normalizeGrpcMetaKey(key.slice(E.grpcMetaPrefix.length));
    profile.grpc_meta ??= {};
    // As official: an empty value removes the header the file set.
    if (value === "" || value == null) delete profile.grpc_meta[header];
    else profile.grpc_meta[header] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// The public loaders

/** Every profile of the configuration file (no environment overrides). */
export function loadClientConfig(options: LoadClientConfigOptions = {}): ClientConfig {
  checkLoadOptions(configOptionsShape, options);
  return fromTomlConfig(loadTomlConfig(options));
}

/** Parses TOML bytes into a ClientConfig. */
export function loadClientConfigFromToml(tomlData: Uint8Array, options: ClientConfigFromTomlOptions): ClientConfig {
  const where = "TOML data";
  return fromTomlConfig(validateToml(parseToml(decoder.decode(tomlData), where), options.strict, where));
}

/** A ClientConfig as TOML bytes. */
export function clientConfigToToml(config: ClientConfig): Uint8Array {
  return encoder.encode(stringifyToml(toTomlConfig(config)));
}

/** One profile: from the file (see LoadClientProfileOptions), then the environment variables over it. */
export function loadClientConfigProfile(options: LoadClientProfileOptions = {}): ClientConfigProfile {
  checkLoadOptions(profileOptionsShape, options);
  if (options.disableEnv && options.disableFile) throw new TypeError("LoadClientProfileOptions: cannot disable both file (disableFile) and environment (disableEnv) loading");
  const env: Env = options.overrideEnvVars ?? process.env;
  let profile: TomlClientConfigProfile = {};
  let origin = "profile";
  if (!options.disableFile) {
    const config = loadTomlConfig({ configSource: options.configSource, configFileStrict: options.configFileStrict, overrideEnvVars: options.overrideEnvVars });
    const name = options.profile ?? env[TEMPORAL_ENV.profile];
    const found = config.profile[name ?? DEFAULT_PROFILE];
    if (found === undefined && name) {
      const known = Object.keys(config.profile);
      fail(options.profile !== undefined ? "profile" : TEMPORAL_ENV.profile, name, `profile not found in the config file (profiles: ${known.length > 0 ? known.join(", ") : "none"})`);
    }
    // A copy: the environment overrides must not change what a second call reads.
    profile = found ? structuredClone(found) : {};
    origin = `profile.${name ?? DEFAULT_PROFILE}`;
  }
  if (!options.disableEnv) applyEnv(profile, env);
  return fromTomlProfileNamed(profile, origin);
}

/** `{ connectionOptions, namespace }` for `Connection.connect(connectionOptions)` and `new Client({ connection, namespace })`. */
export function loadClientConnectConfig(options: LoadClientProfileOptions = {}): ClientConnectConfig {
  return toClientOptions(loadClientConfigProfile(options));
}

function toTLSConfig(tls: ClientConfigTLS | undefined): TLSConfig | boolean | undefined {
  if (tls === undefined) return undefined;
  if (tls.disabled === true) return false;
  const serverRootCACertificate = loadConfigData(tls.serverCACert);
  const crt = loadConfigData(tls.clientCert);
  const key = loadConfigData(tls.clientKey);
  return { serverNameOverride: tls.serverName, serverRootCACertificate, clientCertPair: crt && key ? { crt, key } : undefined };
}

/** A profile → connection options (TLS files read now; TLS on when a TLS section or an API key is present). */
export function toClientOptions(profile: ClientConfigProfile): ClientConnectConfig {
  const tls = toTLSConfig(profile.tls) ?? (profile.apiKey !== undefined ? true : undefined);
  return {
    namespace: profile.namespace,
    connectionOptions: { address: profile.address, apiKey: profile.apiKey, tls, metadata: profile.grpcMeta },
  };
}
