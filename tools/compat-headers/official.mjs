// The official SDK 1.24's side of tools/compat-headers.ts, run by `node` (SDK from the cache
// folder in COMPAT_SDK_DIR). Prints one JSON line per check: {"check", "ok", "detail"}.
//  1. an official Client with a header-writing interceptor and the strict codec starts a
//     workflow on the temporal-bun-sdk worker (task queue compat-headers-workflows);
//  2. an official Worker (strict codec, a workflow interceptor writing an activity header)
//     runs a workflow whose activity runs on the temporal-bun-sdk activity worker.
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const sdkDir = process.env.COMPAT_SDK_DIR;
const address = process.env.COMPAT_ADDRESS;
const require = createRequire(join(sdkDir, "package.json"));
const { NativeConnection, Worker, Runtime, DefaultLogger } = require("@temporalio/worker");
const { Client, Connection } = require("@temporalio/client");
const { defaultPayloadConverter } = require("@temporalio/common");
const { temporal } = require("@temporalio/proto");
Runtime.install({ logger: new DefaultLogger("WARN") });

// The same strict codec as the Bun side: tags what it encodes, refuses to decode anything else.
const STRICT = "binary/strict-test";
const enc = new TextEncoder();
const dec = new TextDecoder();
const Payload = temporal.api.common.v1.Payload;
const codec = {
  async encode(ps) {
    return ps.map((p) => ({ metadata: { encoding: enc.encode(STRICT) }, data: Payload.encode(p).finish() }));
  },
  async decode(ps) {
    return ps.map((p) => {
      if (dec.decode(p.metadata.encoding) !== STRICT) throw new Error(`strict codec: asked to decode ${dec.decode(p.metadata.encoding)}`);
      return Payload.decode(p.data);
    });
  },
};
const report = (check, ok, detail) => console.log(JSON.stringify({ check, ok, detail }));
const bytes = (p) => Buffer.from(Payload.encode(p).finish());

const connection = await Connection.connect({ address });
try {
  // 1. official client → temporal-bun-sdk workflow worker
  const header = defaultPayloadConverter.toPayload({ traceparent: "00-official-client-01" });
  const client = new Client({
    connection,
    dataConverter: { payloadCodecs: [codec] },
    interceptors: { workflow: [{ async start(input, next) { return next({ ...input, headers: { ...input.headers, tracing: header } }); } }] },
  });
  const h = await client.workflow.start("headerCheck", { taskQueue: "compat-headers-workflows", workflowId: `compat-headers-client-${Date.now()}`, args: ["from-node"], workflowExecutionTimeout: "30s" });
  const result = await h.result();
  const started = (await h.fetchHistory()).events[0].workflowExecutionStartedEventAttributes;
  const stored = started.header.fields.tracing;
  report(
    "official client header → history and our worker",
    JSON.stringify(result) === JSON.stringify({ workflowType: "headerCheck", args: ["from-node"] }) && bytes(stored).equals(bytes(header)) && dec.decode(started.input.payloads[0].metadata.encoding) === STRICT,
    { result, headerBytesEqual: bytes(stored).equals(bytes(header)), inputEncoding: dec.decode(started.input.payloads[0].metadata.encoding) },
  );

  // 2. official workflow worker → temporal-bun-sdk activity worker
  const native = await NativeConnection.connect({ address });
  try {
    const webpackConfigHook = (config) => {
      config.resolve.modules = [...config.resolve.modules, join(sdkDir, "node_modules")];
      config.resolve.alias = { ...config.resolve.alias, "temporal-bun-sdk/workflow": "@temporalio/workflow" };
      return config;
    };
    const here = (f) => fileURLToPath(new URL(f, import.meta.url));
    const worker = await Worker.create({
      connection: native,
      taskQueue: "compat-headers-official",
      workflowsPath: here("./workflows-official.ts"),
      interceptors: { workflowModules: [here("./interceptors-official.ts")] },
      bundlerOptions: { webpackConfigHook },
      dataConverter: { payloadCodecs: [codec] },
    });
    const plain = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
    const seen = await worker.runUntil(
      plain.workflow.execute("callsBunActivity", { taskQueue: "compat-headers-official", workflowId: `compat-headers-worker-${Date.now()}`, workflowExecutionTimeout: "60s" }),
    );
    report(
      "official workflow's activity header → our activity worker",
      seen?.encoding === "json/plain" && seen?.value?.traceparent === "00-official-workflow-01",
      seen,
    );
  } finally {
    await native.close();
  }
} catch (err) {
  report("run", false, String(err?.stack ?? err));
} finally {
  await connection.close();
}
