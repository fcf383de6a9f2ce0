import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTemporalConfig, TemporalConfigError } from "../../src/common/config.js";

async function configError(env: Record<string, string>): Promise<TemporalConfigError> {
  try {
    await loadTemporalConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(TemporalConfigError);
    return err as TemporalConfigError;
  }
  throw new Error("expected a TemporalConfigError");
}

describe("loadTemporalConfig", () => {
  test("defaults with an empty environment", async () => {
    expect(await loadTemporalConfig({})).toEqual({ address: "127.0.0.1:7233", namespace: "default", useZig: "auto" });
  });

  test("reads every variable; empty values count as unset", async () => {
    const c = await loadTemporalConfig({
      TEMPORAL_ADDRESS: "temporal.example.com:7233",
      TEMPORAL_NAMESPACE: "prod",
      TEMPORAL_TASK_QUEUE: "orders",
      TEMPORAL_API_KEY: "key",
      TEMPORAL_IDENTITY: "me@host",
      TEMPORAL_BUN_SDK_USE_ZIG: "TRUE",
      TEMPORAL_TLS_CA_PATH: "",
    });
    expect(c).toEqual({ address: "temporal.example.com:7233", namespace: "prod", taskQueue: "orders", apiKey: "key", identity: "me@host", useZig: "on" });
  });

  test.each([
    ["1", "on"],
    ["on", "on"],
    ["0", "off"],
    ["False", "off"],
    [" OFF ", "off"],
    ["", "auto"],
    ["auto", "auto"],
  ])("TEMPORAL_BUN_SDK_USE_ZIG=%p → %p", async (value, mode) => {
    expect((await loadTemporalConfig({ TEMPORAL_BUN_SDK_USE_ZIG: value })).useZig).toBe(mode as never);
  });

  test.each(["127.0.0.1:7233", "localhost:1", "[::1]:7233", "a-b.c.d:65535"])("address %p is accepted", async (address) => {
    expect((await loadTemporalConfig({ TEMPORAL_ADDRESS: address })).address).toBe(address);
  });

  test.each(["localhost", "localhost:0", "host:70000", "http://host:7233", "bad host:7233", ":7233", "[zz]:1"])("address %p is refused", async (address) => {
    const err = await configError({ TEMPORAL_ADDRESS: address });
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.variable).toBe("TEMPORAL_ADDRESS");
    expect(err.message).toContain(`TEMPORAL_ADDRESS='${address}': expected host:port`);
  });

  test("one error lists every bad variable with what was expected", async () => {
    const err = await configError({
      TEMPORAL_ADDRESS: "nope",
      TEMPORAL_BUN_SDK_USE_ZIG: "maybe",
      TEMPORAL_TLS_CERT_PATH: "/nonexistent/cert.pem",
      TEMPORAL_TLS_SERVER_NAME: "not a host!",
    });
    expect(err.issues.map((i) => i.variable).sort()).toEqual([
      "TEMPORAL_ADDRESS",
      "TEMPORAL_BUN_SDK_USE_ZIG",
      "TEMPORAL_TLS_CERT_PATH",
      "TEMPORAL_TLS_KEY_PATH",
      "TEMPORAL_TLS_SERVER_NAME",
    ]);
    expect(err.message).toMatch(/^Invalid Temporal configuration \(5 problems\)/);
    expect(err.message).toContain("TEMPORAL_BUN_SDK_USE_ZIG='maybe': expected unset, '' or 'auto'");
    expect(err.message).toContain("TEMPORAL_TLS_KEY_PATH: must be set together with TEMPORAL_TLS_CERT_PATH");
    expect(err.message).toContain("TEMPORAL_TLS_CERT_PATH='/nonexistent/cert.pem': expected a readable PEM file");
    expect(err.message).toContain("TEMPORAL_TLS_SERVER_NAME='not a host!': expected a hostname");
  });

  test("TLS files are read into the connection's tls shape", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tbs-config-"));
    const file = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, body);
      return path;
    };
    const c = await loadTemporalConfig({
      TEMPORAL_TLS_CERT_PATH: file("c.pem", "CERT"),
      TEMPORAL_TLS_KEY_PATH: file("k.pem", "KEY"),
      TEMPORAL_TLS_CA_PATH: file("ca.pem", "CA"),
      TEMPORAL_TLS_SERVER_NAME: "temporal.internal",
    });
    const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
    expect(c.tls?.serverNameOverride).toBe("temporal.internal");
    expect(text(c.tls?.serverRootCACertificate)).toBe("CA");
    expect(text(c.tls?.clientCertPair?.crt)).toBe("CERT");
    expect(text(c.tls?.clientCertPair?.key)).toBe("KEY");
  });

  test("the envconfig TLS names are accepted too; both names of one path set differently is an error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tbs-config-"));
    const file = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, body);
      return path;
    };
    const c = await loadTemporalConfig({
      TEMPORAL_TLS_CLIENT_CERT_PATH: file("c.pem", "CERT"),
      TEMPORAL_TLS_CLIENT_KEY_PATH: file("k.pem", "KEY"),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: file("ca.pem", "CA"),
    });
    const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
    expect([text(c.tls?.clientCertPair?.crt), text(c.tls?.clientCertPair?.key), text(c.tls?.serverRootCACertificate)]).toEqual(["CERT", "KEY", "CA"]);
    const same = await loadTemporalConfig({ TEMPORAL_TLS_CA_PATH: file("ca.pem", "CA"), TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, "ca.pem") });
    expect(text(same.tls?.serverRootCACertificate)).toBe("CA");
    const err = await configError({ TEMPORAL_TLS_CA_PATH: file("a.pem", "A"), TEMPORAL_TLS_SERVER_CA_CERT_PATH: file("b.pem", "B") });
    expect(err.message).toContain(`TEMPORAL_TLS_CA_PATH='${join(dir, "a.pem")}': conflicts with TEMPORAL_TLS_SERVER_CA_CERT_PATH='${join(dir, "b.pem")}'`);
    const half = await configError({ TEMPORAL_TLS_CLIENT_CERT_PATH: file("c.pem", "CERT") });
    expect(half.message).toContain("TEMPORAL_TLS_KEY_PATH: must be set together with TEMPORAL_TLS_CLIENT_CERT_PATH");
    const unreadable = await configError({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: "/nonexistent/ca.pem" });
    expect(unreadable.message).toContain("TEMPORAL_TLS_SERVER_CA_CERT_PATH='/nonexistent/ca.pem': expected a readable PEM file");
  });

  test("an empty TLS file is an error (readFile is injectable)", async () => {
    let caught: unknown;
    try {
      await loadTemporalConfig({ TEMPORAL_TLS_CA_PATH: "/ca.pem" }, { readFile: async () => new Uint8Array(0) });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TemporalConfigError);
    expect((caught as TemporalConfigError).issues).toEqual([{ variable: "TEMPORAL_TLS_CA_PATH", value: "/ca.pem", message: "expected a readable PEM file: the file is empty" }]);
  });
});
