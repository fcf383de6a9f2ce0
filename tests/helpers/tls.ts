/**
 * A real TLS endpoint in front of the plain dev server, for the TLS tests:
 *
 * - `makeCertificates()` writes a throw-away PKI with openssl (on PATH): a CA, a server
 *   certificate for `localhost` / 127.0.0.1, a client CA and client certificate (mTLS), a second
 *   unrelated CA (the "wrong CA" case), a server certificate that expired in 2020, and one for
 *   another host name.
 * - `startTlsProxy()` is an HTTP/2 server over TLS (ALPN h2, as gRPC needs) that forwards each
 *   gRPC stream to the dev server's plain port — headers, messages and trailers — and records
 *   the request headers it saw (to check on the wire what the SDK sent, e.g. `authorization`).
 *   With `clientCa` it requires and verifies a client certificate (mutual TLS).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Pem {
  cert: string;
  key: string;
}

export interface Certificates {
  ca: Pem;
  server: Pem;
  clientCa: Pem;
  client: Pem;
  otherCa: Pem;
  /** Signed by `ca`, valid 2020-01-01 .. 2020-02-01 only. */
  expiredServer: Pem;
  /** Signed by `ca`, for `other.example` only. */
  otherHostServer: Pem;
  remove(): void;
}

const SUBJECT_PREFIX = "/O=temporal-bun-sdk tests";

/** Writes the test PKI into a fresh temporary directory (EC P-256 keys: fast to generate). */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(path.join(tmpdir(), "temporal-bun-tls-"));
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const key = (name: string) => ssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f(`${name}.key`));
  const ca = (name: string, cn: string) => {
    key(name);
    ssl("req", "-x509", "-new", "-key", f(`${name}.key`), "-out", f(`${name}.pem`), "-days", "2", "-subj", `${SUBJECT_PREFIX}/CN=${cn}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  };
  writeFileSync(
    f("ext.cnf"),
    [
      "[server]",
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "[otherhost]",
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=DNS:other.example",
      "[client]",
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth",
      "",
    ].join("\n"),
  );
  const leaf = (name: string, cn: string, signer: string, section: string) => {
    key(name);
    ssl("req", "-new", "-key", f(`${name}.key`), "-out", f(`${name}.csr`), "-subj", `${SUBJECT_PREFIX}/CN=${cn}`);
    ssl("x509", "-req", "-in", f(`${name}.csr`), "-CA", f(`${signer}.pem`), "-CAkey", f(`${signer}.key`), "-set_serial", String(Math.floor(Math.random() * 1e9)),
      "-days", "2", "-extfile", f("ext.cnf"), "-extensions", section, "-out", f(`${name}.pem`));
  };
  ca("ca", "test server CA");
  ca("client-ca", "test client CA");
  ca("other-ca", "unrelated CA");
  leaf("server", "localhost", "ca", "server");
  leaf("other-host", "other.example", "ca", "otherhost");
  leaf("client", "test client", "client-ca", "client");
  // An expired certificate: `openssl x509 -req` cannot back-date, `openssl ca` can (-startdate/-enddate).
  key("expired");
  ssl("req", "-new", "-key", f("expired.key"), "-out", f("expired.csr"), "-subj", `${SUBJECT_PREFIX}/CN=localhost`);
  writeFileSync(f("index.txt"), "");
  writeFileSync(f("serial"), "1000\n");
  writeFileSync(
    f("ca.cnf"),
    ["[ca]", "default_ca=CA_default", "[CA_default]", `database=${f("index.txt")}`, `new_certs_dir=${dir}`, `serial=${f("serial")}`, "default_md=sha256", "policy=any", "[any]", "commonName=supplied", ""].join("\n"),
  );
  ssl("ca", "-batch", "-config", f("ca.cnf"), "-cert", f("ca.pem"), "-keyfile", f("ca.key"), "-in", f("expired.csr"), "-out", f("expired.pem"), "-notext",
    "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-extfile", f("ext.cnf"), "-extensions", "server");
  const pem = (name: string): Pem => ({ cert: readFileSync(f(`${name}.pem`), "utf8"), key: readFileSync(f(`${name}.key`), "utf8") });
  return {
    ca: pem("ca"),
    server: pem("server"),
    clientCa: pem("client-ca"),
    client: pem("client"),
    otherCa: pem("other-ca"),
    expiredServer: pem("expired"),
    otherHostServer: pem("other-host"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface SeenRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface TlsProxy {
  address: string;
  port: number;
  /** Request headers of every gRPC call that reached the proxy, in order. */
  seen: SeenRequest[];
  /** TLS handshakes the proxy refused (e.g. no client certificate), with the reason. */
  refused: string[];
  close(): Promise<void>;
}

export interface TlsProxyOptions {
  /** The plain dev server to forward to, `host:port`. */
  upstream: string;
  /** The certificate the proxy presents. */
  server: Pem;
  /** Require a client certificate signed by this CA (mutual TLS). */
  clientCa?: string;
}

/** Starts the proxy on a free loopback port. */
export async function startTlsProxy(o: TlsProxyOptions): Promise<TlsProxy> {
  const upstream = http2.connect(`http://${o.upstream}`);
  upstream.on("error", () => undefined); // a call fails on its own stream; the session error is not ours to throw
  const seen: SeenRequest[] = [];
  const refused: string[] = [];
  const server = http2.createSecureServer({
    cert: o.server.cert,
    key: o.server.key,
    ALPNProtocols: ["h2"],
    ...(o.clientCa ? { ca: o.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  });
  server.on("tlsClientError", (err: Error) => refused.push(err.message));
  server.on("stream", (down: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    seen.push({ path: String(headers[":path"]), headers: { ...headers } });
    const fwd: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!k.startsWith(":") || k === ":path" || k === ":method") fwd[k] = v;
    const up = upstream.request(fwd, { endStream: false });
    down.pipe(up);
    up.on("response", (h, flags: number) => {
      const out: http2.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(h)) if (!k.startsWith(":") || k === ":status") out[k] = v;
      // A trailers-only answer (an error status in the headers, stream ended) is passed on as one.
      const endStream = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0 || h["grpc-status"] !== undefined;
      down.respond(out, endStream ? { endStream: true } : { waitForTrailers: true });
    });
    let trailers: http2.OutgoingHttpHeaders = {};
    up.on("trailers", (t) => {
      trailers = {};
      for (const [k, v] of Object.entries(t)) if (!k.startsWith(":")) trailers[k] = v;
    });
    down.on("wantTrailers", () => down.sendTrailers(trailers));
    up.on("data", (chunk: Buffer) => down.write(chunk));
    up.on("end", () => down.end());
    up.on("error", (err: Error) => down.close(http2.constants.NGHTTP2_INTERNAL_ERROR, () => void err));
    down.on("error", () => up.close(http2.constants.NGHTTP2_CANCEL));
    down.on("close", () => {
      if (!up.closed) up.close(http2.constants.NGHTTP2_CANCEL);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    seen,
    refused,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open sessions keep close() pending: end them.
        setTimeout(resolve, 2000).unref();
      });
      upstream.close();
    },
  };
}
