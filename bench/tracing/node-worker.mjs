// The official SDK 1.24's worker for bench/tracing.ts, run by `node` (packages from
// PEER_NODE_SDK_DIR, installed by tools/official-sdk.ts): bench/peer's hello workflow and greet
// activity, with @temporalio/interceptors-opentelemetry's interceptors when TRACING=1 (spans go
// to a span processor that counts them). Prints "PEER_READY", runs until SIGTERM, then "SPANS <n>".
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as activities from "../peer/activities.mjs";

const sdkDir = process.env.PEER_NODE_SDK_DIR;
if (!sdkDir) throw new Error("PEER_NODE_SDK_DIR is not set (bench/tracing.ts sets it)");
const require = createRequire(join(sdkDir, "package.json"));
const { NativeConnection, Worker, Runtime, DefaultLogger } = require("@temporalio/worker");
const { BasicTracerProvider, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
const { Resource } = require("@opentelemetry/resources");
const otelInterceptors = require("@temporalio/interceptors-opentelemetry");

Runtime.install({ logger: new DefaultLogger("WARN") });
let spans = 0;
const counter = {
  export(batch, done) {
    spans += batch.length;
    done({ code: 0 });
  },
  async shutdown() {},
};
const webpackConfigHook = (config) => {
  config.resolve.modules = [...config.resolve.modules, join(sdkDir, "node_modules")];
  return config;
};
let tracing = {};
if (process.env.TRACING === "1") {
  const provider = new BasicTracerProvider({ resource: new Resource({ "service.name": "bench-node" }) });
  provider.addSpanProcessor(new SimpleSpanProcessor(counter));
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  tracing = {
    interceptors: {
      workflowModules: [require.resolve("@temporalio/interceptors-opentelemetry/lib/workflow-interceptors")],
      activity: [
        (ctx) => ({
          inbound: new otelInterceptors.OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new otelInterceptors.OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: otelInterceptors.makeWorkflowExporter(new SimpleSpanProcessor(counter), new Resource({ "service.name": "bench-node" })) },
  };
}
const connection = await NativeConnection.connect({ address: process.env.PEER_ADDRESS });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.PEER_TASK_QUEUE,
  workflowsPath: fileURLToPath(new URL("../peer/workflows-official.ts", import.meta.url)),
  bundlerOptions: { webpackConfigHook },
  activities,
  ...JSON.parse(process.env.PEER_OPTIONS ?? "{}"),
  ...tracing,
});
console.log("PEER_READY");
await worker.run(); // until SIGTERM
await connection.close();
console.log(`SPANS ${spans}`);
process.exit(0);
