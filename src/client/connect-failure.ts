/**
 * Says in words why core could not connect, when the reason is one a user can fix: core's
 * message is the Rust Debug text of a rustls / tonic error (`InvalidCertificate(UnknownIssuer)`,
 * `received fatal alert: CertificateRequired`, …), accurate but easy to misread. The summary is
 * put before core's text in the ConnectionError message, which keeps the original.
 *
 * It reads only core's message and names options, never their values: no certificate, key or
 * API key reaches the message through here.
 */
import type { ConnectionOptionsWithDefaults } from "./connection.js";

function utc(unixSeconds: string): string {
  const d = new Date(Number(unixSeconds) * 1000);
  return Number.isNaN(d.getTime()) ? unixSeconds : d.toISOString().replace(".000Z", "Z");
}

/** `DnsName("a.b")` → a.b, `IpAddress(V4(Ipv4Addr([127, 0, 0, 1])))` → 127.0.0.1 (rustls Debug forms). */
function readName(debug: string): string {
  const v4 = /\[(\d+), (\d+), (\d+), (\d+)\]/.exec(debug);
  if (v4) return v4.slice(1).join(".");
  const quoted = /\\?"([^"\\]*)\\?"/.exec(debug);
  return quoted ? quoted[1]! : debug.replace(/^\w+\((.*)\)$/, "$1");
}

/** One sentence naming the cause and the option to look at, or undefined when there is nothing to add. */
export function explainConnectFailure(why: string, o: Pick<ConnectionOptionsWithDefaults, "tls">): string | undefined {
  if (/UnknownIssuer/.test(why)) {
    return o.tls?.serverRootCACertificate
      ? "TLS: the server's certificate is not signed by the CA in tls.serverRootCACertificate"
      : "TLS: the server's certificate is not signed by a CA of the system's trust store (pass the server's CA as tls.serverRootCACertificate)";
  }
  if (/NotValidForName/.test(why)) {
    const ctx = /expected:\s*(.*?),\s*presented:\s*\[(.*?)\]/.exec(why);
    const expected = ctx ? readName(ctx[1]!) : undefined;
    const presented = ctx ? (ctx[2]!.match(/(?:DnsName|IpAddress)\((?:[^()]|\([^()]*\))*\)/g) ?? []).map(readName).join(", ") : "";
    return (
      `TLS: the server's certificate is not valid for ${expected ? `'${expected}'` : "the name connected to"}` +
      `${presented ? ` (it names ${presented})` : ""}; connect with a name it holds or set tls.serverNameOverride`
    );
  }
  const expired = /Expired(?:Context\s*\{\s*time:\s*UnixTime\((\d+)\),\s*not_after:\s*UnixTime\((\d+)\))?/.exec(why);
  if (expired) return `TLS: the server's certificate has expired${expired[2] ? ` (valid until ${utc(expired[2])}, now ${utc(expired[1]!)})` : ""}`;
  if (/NotValidYet/.test(why)) return "TLS: the server's certificate is not valid yet (check the clocks)";
  if (/CertificateRequired/.test(why)) return "TLS: the server requires a client certificate: set tls.clientCertPair";
  const alert = /received fatal alert: (\w+)/.exec(why);
  if (alert) return `TLS: the server ended the handshake with the alert '${alert[1]}'${o.tls?.clientCertPair ? " (it may not accept the certificate in tls.clientCertPair)" : ""}`;
  if (/PrivateKeyParseError|failed to parse private key/.test(why)) return "TLS: tls.clientCertPair.key is not a PEM private key (RSA, ECDSA or Ed25519)";
  if (/InvalidContentType|InvalidMessage/.test(why) && o.tls) return "TLS: the server did not answer with TLS (a plain-text endpoint? then set tls: false)";
  // With TLS 1.3 the server checks the client certificate after the client's handshake is done,
  // so its refusal races with the first request: core sees the alert, or just a closed pipe.
  if (/close_notify|BrokenPipe|broken pipe|ConnectionReset|UnexpectedEof|connection closed/.test(why) && o.tls) {
    return o.tls.clientCertPair
      ? "TLS: the server closed the connection right after the handshake (it may not accept the certificate in tls.clientCertPair)"
      : "TLS: the server closed the connection right after the handshake (it may require a client certificate: set tls.clientCertPair)";
  }
  // A TLS server reads plain HTTP/2 as a bad handshake and hangs up: core sees a protocol
  // error or, racing with its first request, a closed pipe.
  if (/FRAME_SIZE_ERROR|h2 protocol error|BrokenPipe|broken pipe|ConnectionReset|connection closed/.test(why) && !o.tls) return "the server did not answer with plain HTTP/2 (a TLS endpoint? then set tls)";
  return undefined;
}
