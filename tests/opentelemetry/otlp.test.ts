/**
 * Spans of a traced workflow exported over real OTLP/HTTP (OpenTelemetry's OTLPTraceExporter,
 * JSON encoding) to a collector endpoint this test serves: the client's, the activity's and the
 * workflow's spans (the latter through makeWorkflowExporter's sink) arrive as OTLP requests,
 * decoded here — names, trace ids, parent links, resource and attributes.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as otel from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { Resource } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Client } from "../../src/client/index.js";
import { Worker } from "../../src/worker/index.js";
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from "../../src/opentelemetry/index.js";
import { testEnv } from "../helpers/dev-server.js";
import { uid } from "../e2e/helpers.js";

const WORKFLOWS = new URL("./fixtures/traced-workflows.ts", import.meta.url).pathname;

interface OtlpKeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: OtlpKeyValue[];
}
interface OtlpRequest {
  resourceSpans: { resource: { attributes: OtlpKeyValue[] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

/** What the collector received: every span with its resource's service.name, and the request paths and content types. */
const received: (OtlpSpan & { service?: string; scope: string })[] = [];
const requests: { path: string; contentType: string | null }[] = [];
let server: ReturnType<typeof Bun.serve>;
let provider: BasicTracerProvider;
let workflowProcessor: BatchSpanProcessor;
let worker: Worker;
let running: Promise<void>;
let client: Client;
let workerQueue: string;

beforeAll(async () => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      requests.push({ path: url.pathname, contentType: req.headers.get("content-type") });
      const body = (await req.json()) as OtlpRequest;
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue;
        for (const ss of rs.scopeSpans) for (const s of ss.spans) received.push({ ...s, service, scope: ss.scope.name });
      }
      return Response.json({});
    },
  });
  const url = `http://127.0.0.1:${server.port}/v1/traces`;
  otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  provider = new BasicTracerProvider({ resource: new Resource({ "service.name": "otlp-client" }) });
  provider.addSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  workflowProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const tracer = provider.getTracer("otlp-test");
  const env = await testEnv();
  const taskQueue = uid("otel-otlp");
  worker = await Worker.create({
    connection: env.connection,
    taskQueue,
    workflowsPath: WORKFLOWS,
    activities: { greet: async (name: string) => `Hello, ${name}` },
    interceptors: {
      workflowModules: ["temporal-bun-sdk/opentelemetry/workflow-interceptors"],
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }) })],
    },
    sinks: { exporter: makeWorkflowExporter(workflowProcessor, new Resource({ "service.name": "otlp-worker" })) },
    shutdownSignals: [],
  });
  running = worker.run();
  client = new Client({ connection: env.connection, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] } });
  workerQueue = taskQueue;
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await provider?.shutdown();
  await workflowProcessor?.shutdown();
  server?.stop(true);
});

test("client, workflow and activity spans reach a real OTLP/HTTP endpoint", async () => {
  expect(await client.workflow.execute("tracedHello", { taskQueue: workerQueue, workflowId: uid("otlp"), args: ["otlp"] })).toBe("Hello, otlp");
  const names = ["StartWorkflow:tracedHello", "RunWorkflow:tracedHello", "StartActivity:greet", "RunActivity:greet"];
  for (const until = Date.now() + 15_000; !names.every((n) => received.some((s) => s.name === n)) && Date.now() < until; ) {
    await provider.forceFlush();
    await workflowProcessor.forceFlush();
    await Bun.sleep(100);
  }
  expect(received.map((s) => s.name).sort()).toEqual([...names].sort());
  expect(requests.every((r) => r.path === "/v1/traces" && r.contentType?.startsWith("application/json"))).toBe(true);

  const get = (name: string) => received.find((s) => s.name === name)!;
  const start = get("StartWorkflow:tracedHello");
  const run = get("RunWorkflow:tracedHello");
  const startActivity = get("StartActivity:greet");
  const runActivity = get("RunActivity:greet");
  for (const s of [run, startActivity, runActivity]) expect(s.traceId).toBe(start.traceId);
  expect(start.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(run.parentSpanId).toBe(start.spanId);
  expect(startActivity.parentSpanId).toBe(run.spanId);
  expect(runActivity.parentSpanId).toBe(startActivity.spanId);
  expect(start.service).toBe("otlp-client");
  expect(run.service).toBe("otlp-worker");
  expect(run.scope).toBe("@temporalio/interceptor-workflow");
  const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.stringValue;
  expect(attr(run, "workflowType")).toBe("tracedHello");
  expect(attr(runActivity, "temporalActivityId")).toBe("1");
  expect(attr(start, "temporalWorkflowId")).toBe(attr(run, "workflowId"));
}, 60_000);
