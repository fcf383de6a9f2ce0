// temporal-bun-sdk's worker for bench/tracing.ts, run by `bun`: bench/peer's hello workflow and
// greet activity, with temporal-bun-sdk/opentelemetry's interceptors when TRACING=1 (spans go
// to a span processor that counts them, so the cost measured is making and handing over spans,
// not an exporter's network I/O). Prints "PEER_READY", runs until SIGTERM, then "SPANS <n>".
// Env: PEER_ADDRESS, PEER_TASK_QUEUE, PEER_OPTIONS (JSON worker options), TRACING.
import * as otel from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode } from "@opentelemetry/core";
import { Resource } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from "../../src/worker/index.js";
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from "../../src/opentelemetry/index.js";
import * as activities from "../peer/activities.mjs";

Runtime.install({ logger: new DefaultLogger("WARN") });
let spans = 0;
const counter: SpanExporter = {
  export(batch: ReadableSpan[], done) {
    spans += batch.length;
    done({ code: ExportResultCode.SUCCESS });
  },
  async shutdown() {},
};
let tracing: Partial<WorkerOptions> = {};
if (process.env.TRACING === "1") {
  const provider = new BasicTracerProvider({ resource: new Resource({ "service.name": "bench-bun" }) });
  provider.addSpanProcessor(new SimpleSpanProcessor(counter));
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  tracing = {
    interceptors: {
      workflowModules: ["temporal-bun-sdk/opentelemetry/workflow-interceptors"],
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(counter), new Resource({ "service.name": "bench-bun" })) },
  };
  void otel; // the API the interceptors use is the one registered above
}
const connection = await NativeConnection.connect({ address: process.env.PEER_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.PEER_TASK_QUEUE!,
  workflowsPath: new URL("../peer/workflows-bun.ts", import.meta.url).pathname,
  activities,
  ...JSON.parse(process.env.PEER_OPTIONS ?? "{}"),
  ...tracing,
});
console.log("PEER_READY");
await worker.run(); // until SIGTERM
await connection.close();
console.log(`SPANS ${spans}`);
process.exit(0);
