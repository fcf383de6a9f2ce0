/**
 * temporal-bun-sdk/envconfig: every variable and profile rule, bad files, the same results as the
 * official @temporalio/envconfig 1.24 on the same inputs (run in node, tools/official-sdk.ts), and
 * a connect config that reaches the dev server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, Connection } from "../../src/client/index.js";
import { TemporalConfigError } from "../../src/common/config.js";
import { NativeConnection } from "../../src/worker/index.js";
import {
  clientConfigToToml,
  loadClientConfig,
  loadClientConfigFromToml,
  loadClientConfigProfile,
  loadClientConnectConfig,
  type LoadClientProfileOptions,
} from "../../src/envconfig/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { stopTestServer, testServer } from "../helpers/dev-server.js";

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

const CONFIG = `
[profile.default]
address = "file-host:7233"
namespace = "file-ns"
api_key = "file-key"

[profile.default.grpc_meta]
X_Custom_Header = "from-file"
keep = "kept"

[profile.prod]
address = "prod.example.com:7233"
namespace = "prod"

[profile.prod.tls]
server_name = "prod.example.com"
server_ca_cert_data = "CA-PEM"
client_cert_data = "CERT-PEM"
client_key_data = "KEY-PEM"

[profile.off.tls]
disabled = true
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "envconfig-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stopTestServer();
});

describe("the config file", () => {
  test("configSource data, the default profile, grpc_meta keys normalized", () => {
    const p = loadClientConfigProfile({ configSource: { data: CONFIG }, disableEnv: true });
    expect(p).toEqual({ address: "file-host:7233", namespace: "file-ns", apiKey: "file-key", grpcMeta: { "x-custom_header": "from-file", keep: "kept" } });
  });

  test("configSource path; profile option; TLS data", () => {
    const path = file("a.toml", CONFIG);
    const c = loadClientConnectConfig({ configSource: { path }, profile: "prod", disableEnv: true });
    expect(c.namespace).toBe("prod");
    expect(c.connectionOptions.address).toBe("prod.example.com:7233");
    const tls = c.connectionOptions.tls as { serverNameOverride?: string; serverRootCACertificate?: Uint8Array; clientCertPair?: { crt: Uint8Array; key: Uint8Array } };
    expect(tls.serverNameOverride).toBe("prod.example.com");
    expect(text(tls.serverRootCACertificate)).toBe("CA-PEM");
    expect(text(tls.clientCertPair?.crt)).toBe("CERT-PEM");
    expect(text(tls.clientCertPair?.key)).toBe("KEY-PEM");
  });

  test("TEMPORAL_CONFIG_FILE names the file; TEMPORAL_PROFILE the profile; the profile option beats TEMPORAL_PROFILE", () => {
    const path = file("b.toml", CONFIG);
    expect(loadClientConfigProfile({ overrideEnvVars: { TEMPORAL_CONFIG_FILE: path } }).namespace).toBe("file-ns");
    expect(loadClientConfigProfile({ overrideEnvVars: { TEMPORAL_CONFIG_FILE: path, TEMPORAL_PROFILE: "prod" } }).namespace).toBe("prod");
    expect(loadClientConfigProfile({ profile: "default", overrideEnvVars: { TEMPORAL_CONFIG_FILE: path, TEMPORAL_PROFILE: "prod" } }).namespace).toBe("file-ns");
  });

  test("the default path: $XDG_CONFIG_HOME/temporalio/temporal.toml, else $HOME/.config/temporalio/temporal.toml", () => {
    const xdg = join(dir, "xdg");
    mkdirSync(join(xdg, "temporalio"), { recursive: true });
    writeFileSync(join(xdg, "temporalio", "temporal.toml"), '[profile.default]\nnamespace = "xdg"\n');
    expect(loadClientConfigProfile({ overrideEnvVars: { XDG_CONFIG_HOME: xdg } }).namespace).toBe("xdg");
    const home = join(dir, "home");
    mkdirSync(join(home, ".config", "temporalio"), { recursive: true });
    writeFileSync(join(home, ".config", "temporalio", "temporal.toml"), '[profile.default]\nnamespace = "home"\n');
    expect(loadClientConfigProfile({ overrideEnvVars: { HOME: home } }).namespace).toBe("home");
    // A relative XDG_CONFIG_HOME is ignored (as official): no file, no error.
    expect(loadClientConfigProfile({ overrideEnvVars: { XDG_CONFIG_HOME: "relative" } })).toEqual({});
  });

  test("a missing file is an empty config; a missing default profile is empty, a named one an error", () => {
    const missing = join(dir, "nope.toml");
    expect(loadClientConfig({ configSource: { path: missing } })).toEqual({ profiles: {} });
    expect(loadClientConfigProfile({ overrideEnvVars: { TEMPORAL_CONFIG_FILE: missing } })).toEqual({});
    const path = file("c.toml", CONFIG);
    expect(() => loadClientConfigProfile({ configSource: { path }, profile: "staging" })).toThrow(/profile='staging': profile not found in the config file \(profiles: default, prod, off\)/);
    expect(() => loadClientConfigProfile({ configSource: { path }, overrideEnvVars: { TEMPORAL_PROFILE: "staging" } })).toThrow(/TEMPORAL_PROFILE='staging'/);
  });

  test("loadClientConfig returns every profile; tls.disabled gives tls: false", () => {
    const c = loadClientConfig({ configSource: { data: CONFIG } });
    expect(Object.keys(c.profiles)).toEqual(["default", "prod", "off"]);
    expect(loadClientConnectConfig({ configSource: { data: CONFIG }, profile: "off", disableEnv: true }).connectionOptions.tls).toBe(false);
  });

  test("a syntax error names the file and the line", () => {
    const path = file("bad.toml", '[profile.default]\naddress = "x"\nnamespace = \n');
    let err: unknown;
    try {
      loadClientConfigProfile({ configSource: { path } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemporalConfigError);
    expect((err as Error).message).toContain(`${path}:3`);
    expect((err as Error).message).toContain("TOML syntax error");
    const dup = file("dup.toml", '[profile.default]\naddress = "x"\n\naddress = "y"\n');
    expect(() => loadClientConfig({ configSource: { path: dup } })).toThrow(`${dup}:4`);
  });

  test("a key of the wrong type names the key and the file; strict mode rejects unknown keys", () => {
    expect(() => loadClientConfig({ configSource: { data: "[profile.default]\naddress = 7233\n" } })).toThrow(/profile\.default\.address in configSource data.*expected a string/);
    const data = '[profile.default]\naddress = "a:1"\nfoo = "x"\n';
    expect(loadClientConfig({ configSource: { data } }).profiles.default).toEqual({ address: "a:1" });
    expect(() => loadClientConfig({ configSource: { data }, configFileStrict: true })).toThrow(/profile\.default\.foo.*unrecognized/);
    expect(() => loadClientConfig({ configSource: { data: 'top = 1\n' }, configFileStrict: true })).toThrow(/top.*unrecognized/);
  });

  test("an unreadable config file (not missing) is an error naming it", () => {
    if (process.getuid?.() === 0) {
      // root reads any file: a directory is unreadable as a file for everyone.
      expect(() => loadClientConfig({ configSource: { path: dir } })).toThrow(/configSource\.path='.*': cannot read the config file/);
      return;
    }
    const p = file("locked.toml", CONFIG);
    chmodSync(p, 0);
    expect(() => loadClientConfig({ configSource: { path: p } })).toThrow(/cannot read the config file/);
  });

  test("an unreadable TLS file names the setting that named it", () => {
    const missing = join(dir, "missing.pem");
    const data = `[profile.default.tls]\nserver_ca_cert_path = "${missing}"\n`;
    expect(() => loadClientConnectConfig({ configSource: { data }, disableEnv: true })).toThrow(`profile.default.tls.server_ca_cert_path='${missing}': cannot read the file`);
    expect(() => loadClientConnectConfig({ disableFile: true, overrideEnvVars: { TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: missing } })).toThrow(
      `TEMPORAL_TLS_CLIENT_CERT_PATH='${missing}': cannot read the file`,
    );
  });

  test("both _path and _data is an error", () => {
    expect(() => loadClientConfig({ configSource: { data: '[profile.default.tls]\nclient_cert_path = "a"\nclient_cert_data = "b"\n' } })).toThrow(/cannot specify both client_cert_path and client_cert_data/);
  });

  test("bad options: a typo or a wrong type is a TypeError naming the option", () => {
    expect(() => loadClientConfigProfile({ profileName: "x" } as never)).toThrow("LoadClientProfileOptions: unknown option 'profileName'");
    expect(() => loadClientConnectConfig({ configSrc: { data: "" } } as never)).toThrow("LoadClientProfileOptions: unknown option 'configSrc'");
    expect(() => loadClientConfig({ configSource: "temporal.toml" } as never)).toThrow(/LoadClientConfigOptions.configSource: expected \{ path: string \} or \{ data: string \| Uint8Array \}/);
    expect(() => loadClientConfigProfile({ profile: 3 } as never)).toThrow(/LoadClientProfileOptions.profile: expected a profile name, got 3/);
  });

  test("disableFile and disableEnv together is an error", () => {
    expect(() => loadClientConfigProfile({ disableFile: true, disableEnv: true })).toThrow(/cannot disable both/);
  });

  test("clientConfigToToml round-trips through loadClientConfigFromToml", () => {
    // Without header names of two '_' (normalized again on each pass, as official: see the grpc_meta test).
    const c = loadClientConfig({ configSource: { data: CONFIG.replace("X_Custom_Header", "x-custom-header") } });
    expect(loadClientConfigFromToml(clientConfigToToml(c), { strict: true })).toEqual(c);
  });
});

describe("environment variables over the profile", () => {
  const base: LoadClientProfileOptions = { configSource: { data: CONFIG } };

  test("TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY override the file", () => {
    const p = loadClientConfigProfile({ ...base, overrideEnvVars: { TEMPORAL_ADDRESS: "env:1", TEMPORAL_NAMESPACE: "env-ns", TEMPORAL_API_KEY: "env-key" } });
    expect([p.address, p.namespace, p.apiKey]).toEqual(["env:1", "env-ns", "env-key"]);
  });

  test("an API key alone turns TLS on", () => {
    const c = loadClientConnectConfig({ disableFile: true, overrideEnvVars: { TEMPORAL_API_KEY: "k" } });
    expect(c.connectionOptions).toEqual({ address: undefined, apiKey: "k", tls: true, metadata: undefined });
  });

  test("TEMPORAL_TLS: 1/true on, anything else off (tls: false)", () => {
    for (const [v, disabled] of [["1", false], ["true", false], ["0", true], ["false", true], ["yes", true]] as const) {
      expect(loadClientConfigProfile({ disableFile: true, overrideEnvVars: { TEMPORAL_TLS: v } }).tls).toEqual({ disabled });
    }
    expect(loadClientConnectConfig({ disableFile: true, overrideEnvVars: { TEMPORAL_TLS: "false", TEMPORAL_API_KEY: "k" } }).connectionOptions.tls).toBe(false);
  });

  test("TLS paths and data from the environment; server name", () => {
    const ca = file("ca.pem", "CA-FILE");
    const crt = file("crt.pem", "CRT-FILE");
    const key = file("key.pem", "KEY-FILE");
    const viaPath = loadClientConnectConfig({
      disableFile: true,
      overrideEnvVars: { TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_CLIENT_CERT_PATH: crt, TEMPORAL_TLS_CLIENT_KEY_PATH: key, TEMPORAL_TLS_SERVER_NAME: "sn" },
    }).connectionOptions.tls as { serverNameOverride?: string; serverRootCACertificate?: Uint8Array; clientCertPair?: { crt: Uint8Array; key: Uint8Array } };
    expect([viaPath.serverNameOverride, text(viaPath.serverRootCACertificate), text(viaPath.clientCertPair?.crt), text(viaPath.clientCertPair?.key)]).toEqual(["sn", "CA-FILE", "CRT-FILE", "KEY-FILE"]);
    const viaData = loadClientConnectConfig({
      disableFile: true,
      overrideEnvVars: { TEMPORAL_TLS_SERVER_CA_CERT_DATA: "CA", TEMPORAL_TLS_CLIENT_CERT_DATA: "CRT", TEMPORAL_TLS_CLIENT_KEY_DATA: "KEY" },
    }).connectionOptions.tls as { serverRootCACertificate?: Uint8Array; clientCertPair?: { crt: Uint8Array; key: Uint8Array } };
    expect([text(viaData.serverRootCACertificate), text(viaData.clientCertPair?.crt), text(viaData.clientCertPair?.key)]).toEqual(["CA", "CRT", "KEY"]);
    // An environment path over a file's data for the same field: both set is an error, as official.
    expect(() => loadClientConfigProfile({ configSource: { data: CONFIG }, profile: "prod", overrideEnvVars: { TEMPORAL_TLS_CLIENT_CERT_PATH: crt } })).toThrow(/cannot specify both client_cert_path and client_cert_data/);
  });

  test("TEMPORAL_GRPC_META_*: adds and overrides headers; an empty value removes the file's header", () => {
    const p = loadClientConfigProfile({ ...base, overrideEnvVars: { TEMPORAL_GRPC_META_KEEP: "", TEMPORAL_GRPC_META_NEW: "n", TEMPORAL_GRPC_META_X_ONE: "1" } });
    expect(p.grpcMeta).toEqual({ "x-custom_header": "from-file", new: "n", "x-one": "1" });
    // As official: the variable's header is normalized when set and again with the file's keys,
    // so a name with two '_' does not replace the file's header (x-custom_header) but adds
    // x-custom-header. The comparison with the official package below covers this case.
    const twice = loadClientConfigProfile({ ...base, overrideEnvVars: { TEMPORAL_GRPC_META_X_CUSTOM_HEADER: "env" } });
    expect(twice.grpcMeta).toEqual({ "x-custom_header": "from-file", "x-custom-header": "env", keep: "kept" });
  });

  test("disableEnv ignores the variables; disableFile ignores the file and TEMPORAL_CONFIG_FILE", () => {
    expect(loadClientConfigProfile({ ...base, disableEnv: true, overrideEnvVars: { TEMPORAL_NAMESPACE: "env" } }).namespace).toBe("file-ns");
    const path = file("d.toml", CONFIG);
    expect(loadClientConfigProfile({ disableFile: true, overrideEnvVars: { TEMPORAL_CONFIG_FILE: path, TEMPORAL_NAMESPACE: "env" } })).toEqual({ namespace: "env" });
  });

  test("process.env is read when overrideEnvVars is not given", () => {
    const saved = process.env.TEMPORAL_NAMESPACE;
    process.env.TEMPORAL_NAMESPACE = "from-process-env";
    try {
      expect(loadClientConfigProfile({ configSource: { data: "" } }).namespace).toBe("from-process-env");
    } finally {
      if (saved === undefined) delete process.env.TEMPORAL_NAMESPACE;
      else process.env.TEMPORAL_NAMESPACE = saved;
    }
  });
});

/** Inputs run through both packages; paths inside are made absolute under `dir`. */
const SCENARIOS: { name: string; files?: Record<string, string>; options: LoadClientProfileOptions }[] = [
  { name: "data, default profile", options: { configSource: { data: CONFIG }, overrideEnvVars: {} } },
  { name: "prod profile with TLS data", options: { configSource: { data: CONFIG }, profile: "prod", overrideEnvVars: {} } },
  { name: "tls disabled profile", options: { configSource: { data: CONFIG }, profile: "off", overrideEnvVars: {} } },
  {
    name: "env over file",
    options: { configSource: { data: CONFIG }, overrideEnvVars: { TEMPORAL_ADDRESS: "e:1", TEMPORAL_NAMESPACE: "", TEMPORAL_API_KEY: "k2", TEMPORAL_GRPC_META_KEEP: "", TEMPORAL_GRPC_META_A_B_C: "v", TEMPORAL_GRPC_META_X_CUSTOM_HEADER: "env" } },
  },
  { name: "env TLS on and server name", options: { disableFile: true, overrideEnvVars: { TEMPORAL_TLS: "true", TEMPORAL_TLS_SERVER_NAME: "s" } } },
  { name: "env TLS off with api key", options: { disableFile: true, overrideEnvVars: { TEMPORAL_TLS: "0", TEMPORAL_API_KEY: "k" } } },
  { name: "env TLS data", options: { disableFile: true, overrideEnvVars: { TEMPORAL_TLS_SERVER_CA_CERT_DATA: "CA", TEMPORAL_TLS_CLIENT_CERT_DATA: "C", TEMPORAL_TLS_CLIENT_KEY_DATA: "K" } } },
  { name: "TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE", files: { "cmp.toml": CONFIG }, options: { overrideEnvVars: { TEMPORAL_CONFIG_FILE: "@cmp.toml", TEMPORAL_PROFILE: "prod" } } },
  { name: "TLS file paths in the file", files: { "ca2.pem": "CA2", "c2.pem": "C2", "k2.pem": "K2", "p.toml": '[profile.default.tls]\nserver_ca_cert_path = "@ca2.pem"\nclient_cert_path = "@c2.pem"\nclient_key_path = "@k2.pem"\n' }, options: { overrideEnvVars: { TEMPORAL_CONFIG_FILE: "@p.toml" } } },
  { name: "missing file", options: { overrideEnvVars: { TEMPORAL_CONFIG_FILE: "@absent.toml", TEMPORAL_NAMESPACE: "n" } } },
  { name: "disableEnv", options: { configSource: { data: CONFIG }, disableEnv: true, overrideEnvVars: { TEMPORAL_NAMESPACE: "ignored" } } },
];

const NODE_SCRIPT = `
const { createRequire } = require("node:module");
const req = createRequire(process.argv[1] + "/package.json");
const env = req("@temporalio/envconfig");
const scenarios = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const plain = (v) => v instanceof Uint8Array ? { bytes: Buffer.from(v).toString("utf8") } : v === undefined ? null : Array.isArray(v) ? v.map(plain) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)])) : v;
const out = scenarios.map((s) => { try { return plain(env.loadClientConnectConfig(s.options)); } catch (e) { return { error: String(e.message) }; } });
process.stdout.write(JSON.stringify(out));
`;

const plain = (v: unknown): unknown =>
  v instanceof Uint8Array
    ? { bytes: new TextDecoder().decode(v) }
    : v === undefined
      ? null
      : Array.isArray(v)
        ? v.map(plain)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]))
          : v;

test("the same results as the official @temporalio/envconfig 1.24 on the same inputs", async () => {
  const official = await ensureOfficialSdk();
  const cmp = join(dir, "cmp");
  mkdirSync(cmp, { recursive: true });
  const abs = (s: string) => s.replaceAll(/@([\w.]+)/g, (_, n: string) => join(cmp, n));
  const resolved = SCENARIOS.map((s) => {
    for (const [n, t] of Object.entries(s.files ?? {})) writeFileSync(join(cmp, n), abs(t));
    return { name: s.name, options: JSON.parse(abs(JSON.stringify(s.options))) as LoadClientProfileOptions };
  });
  const node = spawnSync("node", ["-e", NODE_SCRIPT, official], { input: JSON.stringify(resolved), encoding: "utf8", timeout: 30_000 });
  expect(node.status, node.stderr).toBe(0);
  const theirs = JSON.parse(node.stdout) as unknown[];
  const ours = resolved.map((s) => plain(loadClientConnectConfig(s.options)));
  for (let i = 0; i < resolved.length; i++) expect({ name: resolved[i]!.name, result: ours[i] }).toEqual({ name: resolved[i]!.name, result: theirs[i] });
  expect(theirs.length).toBe(SCENARIOS.length);
}, 120_000);

const TOML_NODE_SCRIPT = `
const { createRequire } = require("node:module");
const req = createRequire(process.argv[1] + "/package.json");
const env = req("@temporalio/envconfig");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const plain = (v) => v instanceof Uint8Array ? { bytes: Buffer.from(v).toString("utf8") } : v === undefined ? null : Array.isArray(v) ? v.map(plain) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)])) : v;
const parsedOurs = env.loadClientConfigFromToml(new TextEncoder().encode(input.ourToml), { strict: true });
const theirToml = Buffer.from(env.clientConfigToToml(env.loadClientConfig({ configSource: { data: input.config } }))).toString("utf8");
process.stdout.write(JSON.stringify({ parsedOurs: plain(parsedOurs), theirToml, all: plain(env.loadClientConfig({ configSource: { data: input.config } })) }));
`;

test("loadClientConfig and the TOML writer agree with the official package both ways", async () => {
  const official = await ensureOfficialSdk();
  // Header names without two '_' (normalized again on each pass, on both sides).
  const config = CONFIG.replace("X_Custom_Header", "x-custom-header") + '\n[profile."quoted name"]\naddress = "q:1"\napi_key = "a \\"quoted\\" key"\n';
  const ours = loadClientConfig({ configSource: { data: config } });
  const ourToml = new TextDecoder().decode(clientConfigToToml(ours));
  const node = spawnSync("node", ["-e", TOML_NODE_SCRIPT, official], { input: JSON.stringify({ ourToml, config }), encoding: "utf8", timeout: 30_000 });
  expect(node.status, node.stderr).toBe(0);
  const out = JSON.parse(node.stdout) as { parsedOurs: unknown; theirToml: string; all: unknown };
  expect(plain(ours)).toEqual(out.all);
  expect(out.parsedOurs).toEqual(plain(ours));
  expect(plain(loadClientConfigFromToml(new TextEncoder().encode(out.theirToml), { strict: true }))).toEqual(plain(ours));
  expect(Object.keys(ours.profiles)).toContain("quoted name");
}, 120_000);

test("the connect config plugs into Connection.connect and NativeConnection.connect unchanged", async () => {
  const server = await testServer();
  const data = `[profile.local]\naddress = "${server.address}"\nnamespace = "${server.namespace}"\n[profile.local.grpc_meta]\nx_test = "envconfig"\n`;
  const { connectionOptions, namespace } = loadClientConnectConfig({ configSource: { data }, profile: "local", overrideEnvVars: {} });
  const connection = await Connection.connect(connectionOptions);
  try {
    const client = new Client({ connection, namespace });
    expect(typeof (await client.workflow.count()).count).toBe("number");
  } finally {
    await connection.close();
  }
  const native = await NativeConnection.connect(connectionOptions);
  await native.close();
}, 60_000);
