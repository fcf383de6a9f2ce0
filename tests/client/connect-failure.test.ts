/**
 * explainConnectFailure (src/client/connect-failure.ts) on core's texts for the cases the TLS
 * tests (tests/faults/tls.test.ts) cannot produce on demand — a certificate not valid yet, other
 * alerts — and on texts it must leave alone. The texts are core's, copied from real failures.
 */
import { expect, test } from "bun:test";
import { explainConnectFailure } from "../../src/client/connect-failure.js";

const prefix = "connect to https://127.0.0.1:1: Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: ";
const tls = { tls: { serverRootCACertificate: "ca" } };

test("certificate not valid yet, an alert other than CertificateRequired, with and without a client certificate", () => {
  expect(explainConnectFailure(`${prefix}InvalidCertificate(NotValidYetContext { time: UnixTime(1), not_before: UnixTime(2) }) }))`, tls)).toBe(
    "TLS: the server's certificate is not valid yet (check the clocks)",
  );
  const alert = 'Status { code: Unknown, message: "transport error", source: Some(hyper::Error(Io, Custom { kind: InvalidData, error: "received fatal alert: BadCertificate" })) }';
  expect(explainConnectFailure(alert, tls)).toBe("TLS: the server ended the handshake with the alert 'BadCertificate'");
  expect(explainConnectFailure(alert, { tls: { clientCertPair: { crt: "c", key: "k" } } })).toBe(
    "TLS: the server ended the handshake with the alert 'BadCertificate' (it may not accept the certificate in tls.clientCertPair)",
  );
  // Without a context, the name is not known: still a sentence, no undefined.
  expect(explainConnectFailure(`${prefix}InvalidCertificate(NotValidForName) }))`, tls)).toBe(
    "TLS: the server's certificate is not valid for the name connected to; connect with a name it holds or set tls.serverNameOverride",
  );
  expect(explainConnectFailure(`${prefix}InvalidCertificate(Expired) }))`, tls)).toBe("TLS: the server's certificate has expired");
});

test("nothing is added where there is nothing to say (an unreachable server, a TLS-only text on a plain connection)", () => {
  const refused = 'connect to http://127.0.0.1:1: Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", 127.0.0.1:1, Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))';
  expect(explainConnectFailure(refused, { tls: null })).toBeUndefined();
  expect(explainConnectFailure(refused, tls)).toBeUndefined();
  expect(explainConnectFailure("InvalidMessage(InvalidContentType)", { tls: null })).toBeUndefined();
});
