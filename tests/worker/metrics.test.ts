/**
 * Custom metrics (the official MetricMeter API) recorded through core's meter and read back
 * from the runtime's real Prometheus endpoint over HTTP, next to core's own metrics:
 * - `Runtime.metricMeter`: every instrument kind with its Prometheus type, values, units,
 *   descriptions, `withTags` and per-record tags, globalTags and service_name; no metricPrefix;
 * - an activity's `Context.current().metricMeter` (regular and local) on the dev server, with
 *   the official default tags namespace, taskQueue, activityType and the outbound
 *   `getMetricTags` interceptors' tags;
 * - the worker's host-side recorder of workflow metrics (WorkflowMetricRecorder);
 * - bad values and names as typed errors; no exporter means the no-op meter;
 * - OTLP: the same instruments exported to a real OTLP/gRPC endpoint the test serves,
 *   decoded from the protobuf requests core sends.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import http2 from "node:http2";
import { Context, metricMeter as activityMeter } from "../../src/activity/index.js";
import { noopMetricMeter, MetricMeterWithComposedTags, type MetricMeter } from "../../src/common/index.js";
import { DefaultLogger, NativeConnection, Runtime, Worker, type ActivityInterceptorsFactory } from "../../src/worker/index.js";
import { testServer } from "../helpers/dev-server.js";
import { executeWorkflow, fixturesDir, taskQueue } from "./helpers.js";

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
  text: string;
}

/** Parses the Prometheus text format (what core's exporter serves). */
function parse(text: string): Scrape {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [name, type] = line.slice(7).split(" ");
      types.set(name!, type!);
    } else if (line.startsWith("# HELP ")) {
      const rest = line.slice(7);
      const sp = rest.indexOf(" ");
      help.set(rest.slice(0, sp), rest.slice(sp + 1));
    } else if (line.length > 0 && !line.startsWith("#")) {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable Prometheus line: ${line}`);
      const labels: Record<string, string> = {};
      for (const l of m[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[l[1]!] = l[2]!;
      samples.push({ name: m[1]!, labels, value: Number(m[3]) });
    }
  }
  return { types, help, samples, text };
}

async function scrape(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return parse(await res.text());
}

/** The samples of `name` whose labels include `labels`. */
function find(s: Scrape, name: string, labels: Record<string, string> = {}): Sample[] {
  return s.samples.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
}

function one(s: Scrape, name: string, labels: Record<string, string> = {}): Sample {
  const found = find(s, name, labels);
  if (found.length !== 1) throw new Error(`expected one ${name} sample with ${JSON.stringify(labels)}, found ${found.length}:\n${s.text.split("\n").filter((l) => l.startsWith(name)).join("\n")}`);
  return found[0]!;
}

const port = freePort();
let runtime: Runtime;
let connection: NativeConnection;

beforeAll(async () => {
  runtime = Runtime.create({
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` }, globalTags: { deployment: "metrics-test" } }, logging: { forward: false } },
  });
  connection = await NativeConnection.connect({ address: (await testServer()).address, runtime });
});

afterAll(async () => {
  await connection?.close();
  await runtime?.shutdown();
});

describe("Runtime.metricMeter", () => {
  test("every instrument kind reaches the Prometheus scrape with its type, value, description and tags", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const meter = runtime.metricMeter.withTags({ run });
    const counter = meter.createCounter("custom_requests", "1", "requests handled");
    counter.add(2);
    counter.add(3.9, { route: "/a" }); // int instruments truncate, as official
    counter.withTags({ route: "/b", retry: true, shard: 7 }).add(1);
    meter.createHistogram("custom_latency_int", "int", "ms", "latency as ints").record(120);
    const hf = meter.createHistogram("custom_latency_float", "float", "ms", "latency as floats");
    hf.record(0.5);
    hf.record(1.25);
    meter.createGauge("custom_depth_int").set(42);
    meter.createGauge("custom_ratio_float", "float").set(0.75, { pool: "p1" });
    const updown = meter.createUpDownCounter!("custom_inflight");
    updown.add(5);
    updown.add(-7);

    expect(counter).toMatchObject({ name: "custom_requests", unit: "1", description: "requests handled", kind: "counter", valueType: "int" });
    expect(hf).toMatchObject({ kind: "histogram", valueType: "float", unit: "ms" });

    const s = await scrape(port);
    expect(s.types.get("custom_requests")).toBe("counter");
    expect(s.types.get("custom_latency_int")).toBe("histogram");
    expect(s.types.get("custom_latency_float")).toBe("histogram");
    expect(s.types.get("custom_depth_int")).toBe("gauge");
    expect(s.types.get("custom_ratio_float")).toBe("gauge");
    // Core exports up-down counters as Prometheus gauges (non-monotonic sums).
    expect(s.types.get("custom_inflight")).toBe("gauge");
    expect(s.help.get("custom_requests")).toBe("requests handled");

    // Every custom metric carries the runtime's globalTags and core's service_name, and no metricPrefix.
    const base = { run, deployment: "metrics-test", service_name: "temporal-core-sdk" };
    const plain = find(s, "custom_requests", base).find((x) => x.labels.route === undefined)!;
    expect(plain.value).toBe(2);
    expect(one(s, "custom_requests", { ...base, route: "/a" }).value).toBe(3);
    expect(one(s, "custom_requests", { ...base, route: "/b", retry: "true", shard: "7" }).value).toBe(1);
    expect(one(s, "custom_latency_int_count", base).value).toBe(1);
    expect(one(s, "custom_latency_int_sum", base).value).toBe(120);
    expect(one(s, "custom_latency_float_count", base).value).toBe(2);
    expect(one(s, "custom_latency_float_sum", base).value).toBe(1.75);
    expect(one(s, "custom_latency_float_bucket", { ...base, le: "+Inf" }).value).toBe(2);
    expect(one(s, "custom_depth_int", base).value).toBe(42);
    expect(one(s, "custom_ratio_float", { ...base, pool: "p1" }).value).toBe(0.75);
    expect(one(s, "custom_inflight", base).value).toBe(-2);
    expect(s.samples.some((x) => x.name.startsWith("temporal_custom_"))).toBe(false);

    // The same scrape holds core's own metrics (prefixed temporal_): the connection's RPCs.
    expect(s.samples.some((x) => x.name.startsWith("temporal_request") && x.labels.deployment === "metrics-test")).toBe(true);
  });

  test("gauges keep the last value; counters accumulate across instrument objects of one name", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const meter = runtime.metricMeter.withTags({ run });
    meter.createGauge("custom_last", "float").set(1.5);
    meter.createGauge("custom_last", "float").set(9.25);
    meter.createCounter("custom_total").add(1);
    meter.createCounter("custom_total").add(1);
    const s = await scrape(port);
    expect(one(s, "custom_last", { run }).value).toBe(9.25);
    expect(one(s, "custom_total", { run }).value).toBe(2);
  });

  test("tags larger than the shared encoding buffer, non-ASCII tags and inherited properties", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const long = "x".repeat(40_000);
    const inherited = Object.create({ fromProto: "no" }) as Record<string, string>;
    inherited.own = "yes";
    const counter = runtime.metricMeter.createCounter("custom_big_tags");
    counter.add(1, { run, first: "a", long, last: "z", unicode: "café ✓" });
    counter.add(1, { run, ...{}, own: "yes" });
    runtime.metricMeter.createCounter("custom_inherited").add(1, Object.assign(inherited, { run }));
    const s = await scrape(port);
    const big = one(s, "custom_big_tags", { run, first: "a", last: "z", unicode: "café ✓" });
    expect(big.labels.long).toBe(long);
    expect(one(s, "custom_big_tags", { run, own: "yes" }).value).toBe(1);
    expect(one(s, "custom_inherited", { run, own: "yes" }).labels.fromProto).toBeUndefined();
  });

  test("bad values and names are typed errors naming the value; nothing is recorded", async () => {
    const meter = runtime.metricMeter;
    expect(() => meter.createCounter("custom_bad").add(-1)).toThrow("MetricCounter value must be non-negative (got -1)");
    expect(() => meter.createHistogram("custom_bad_h").record(-0.5)).toThrow("MetricHistogram value must be non-negative (got -0.5)");
    expect(() => meter.createGauge("custom_bad_g").set(-3)).toThrow("MetricGauge value must be non-negative (got -3)");
    expect(() => meter.createCounter("custom_bad").add(Number.NaN)).toThrow(RangeError);
    expect(() => meter.createHistogram("custom_bad_h", "float").record(Number.POSITIVE_INFINITY)).toThrow("must be a finite number (got Infinity)");
    expect(() => meter.createCounter("custom_bad").add("1" as unknown as number)).toThrow(TypeError);
    expect(() => meter.createCounter("")).toThrow("metric name must be a non-empty string");
    expect(() => meter.createHistogram("custom_bad_h", "double" as "int")).toThrow(`metric valueType must be 'int' or 'float', got "double"`);
    expect(() => meter.createCounter("custom_bad").add(1, { nested: {} as unknown as string })).toThrow("metric tag 'nested' must be a string, number or boolean, got object");
    const s = await scrape(port);
    expect(find(s, "custom_bad")).toEqual([]);
  });

  test("without a metrics exporter the runtime's meter is the no-op meter, as official", async () => {
    const plain = Runtime.create({ telemetryOptions: { logging: { forward: false } } });
    try {
      expect(plain.metricMeter).toBe(noopMetricMeter);
      plain.metricMeter.createCounter("nothing").add(1);
    } finally {
      await plain.shutdown();
    }
  });

  test("official metric options core cannot express are accepted and warned about once per runtime", async () => {
    const warnings: string[] = [];
    const logger = new DefaultLogger("WARN", (entry) => void warnings.push(entry.message));
    const r = Runtime.create({ logger, telemetryOptions: { logging: { forward: false }, metrics: { otel: { url: "http://127.0.0.1:4317", http: true }, metricPrefix: "" } } });
    try {
      expect(warnings).toEqual([
        "telemetryOptions.metrics.otel.http has no effect: core exports OTLP over gRPC only (send to the collector's gRPC port)",
        "telemetryOptions.metrics.metricPrefix '' keeps core's default prefix 'temporal_' (core reads an empty prefix as unset)",
      ]);
    } finally {
      await r.shutdown();
    }
  });

  test("after shutdown the meter is the no-op meter and old instruments drop their records", async () => {
    const p = freePort();
    const r = Runtime.create({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${p}` } }, logging: { forward: false } } });
    const c = r.metricMeter.createCounter("custom_after_shutdown");
    c.add(1);
    await r.shutdown();
    expect(r.metricMeter).toBe(noopMetricMeter);
    expect(() => c.add(1)).not.toThrow();
  });
});

describe("MetricMeterWithComposedTags", () => {
  test("static tags merge, functions are evaluated at each record, extra tags win, null/undefined are dropped", () => {
    const seen: unknown[] = [];
    const recorder: MetricMeter = {
      createCounter: (name) => ({ name, kind: "counter", valueType: "int", add: (v, t) => seen.push([v, t]), withTags: () => { throw new Error("unused"); } }),
      createHistogram: () => { throw new Error("unused"); },
      createGauge: () => { throw new Error("unused"); },
      withTags: () => { throw new Error("unused"); },
    };
    let n = 0;
    const meter = MetricMeterWithComposedTags.compose(recorder, { a: 1 }).withTags({ b: "x" });
    const dynamic = MetricMeterWithComposedTags.compose(meter, () => ({ n: ++n, gone: undefined as unknown as string }));
    expect(MetricMeterWithComposedTags.compose(dynamic, {})).toBe(dynamic);
    const counter = dynamic.createCounter("c");
    counter.add(1, { b: "override" });
    counter.withTags({ c: false }).add(2);
    expect(seen).toEqual([
      [1, { a: 1, b: "override", n: 1 }],
      [2, { a: 1, b: "x", n: 2, c: false }],
    ]);
    expect(counter.withTags({})).toBe(counter);
  });
});

describe("metrics from activities and for workflows on the dev server", () => {
  test("Context.current().metricMeter carries namespace, taskQueue, activityType and the getMetricTags interceptors' tags", async () => {
    const tq = taskQueue("metrics-activity");
    const label = crypto.randomUUID().slice(0, 8);
    const tagger: ActivityInterceptorsFactory = (ctx) => ({
      outbound: { getMetricTags: (tags, next) => next({ ...tags, tenant: "acme", isLocal: ctx.info.isLocal }) },
    });
    const activities = {
      async recordMetrics(runLabel: string): Promise<string> {
        const ctx = Context.current();
        ctx.metricMeter.createCounter("activity_custom_calls", "", "calls from activities").add(1, { runLabel });
        // The module-level shortcut resolves the current context's meter.
        activityMeter.createHistogram("activity_custom_size", "float", "By").record(2.5, { runLabel });
        activityMeter.withTags({ runLabel }).createGauge("activity_custom_attempt").set(ctx.info.attempt);
        return runLabel;
      },
    };
    const worker = await Worker.create({ connection, taskQueue: tq, workflowsPath: `${fixturesDir}metric-workflows.ts`, activities, interceptors: { activity: [tagger] }, shutdownSignals: [] });
    await worker.runUntil(async () => {
      expect(await executeWorkflow("metricsInActivities", { taskQueue: tq, args: [label] })).toEqual([`${label}-remote`, `${label}-local`]);
    });
    const s = await scrape(port);
    expect(s.types.get("activity_custom_calls")).toBe("counter");
    expect(s.types.get("activity_custom_size")).toBe("histogram");
    expect(s.types.get("activity_custom_attempt")).toBe("gauge");
    for (const [where, isLocal] of [["remote", "false"], ["local", "true"]] as const) {
      const tags = { namespace: "default", taskQueue: tq, activityType: "recordMetrics", tenant: "acme", isLocal, runLabel: `${label}-${where}`, deployment: "metrics-test" };
      expect(one(s, "activity_custom_calls", tags).value).toBe(1);
      expect(one(s, "activity_custom_size_sum", tags).value).toBe(2.5);
      expect(one(s, "activity_custom_attempt", tags).value).toBe(1);
    }
    // Core's own activity metrics for the same task queue are in the same scrape.
    expect(find(s, "temporal_activity_execution_latency_count", { task_queue: tq }).length).toBeGreaterThan(0);
  });

  test("outside an activity the module-level meter throws as Context.current() does", () => {
    expect(() => activityMeter.createCounter("x")).toThrow("Context.current() was called outside of an activity function");
  });

  test("the worker records workflow metrics on behalf of runs with namespace and taskQueue added", async () => {
    const tq = taskQueue("metrics-workflow");
    const worker = await Worker.create({ connection, taskQueue: tq, workflowsPath: `${fixturesDir}metric-workflows.ts`, activities: {}, shutdownSignals: [] });
    const run = crypto.randomUUID().slice(0, 8);
    const tags = { workflowType: "metricsInActivities", run };
    worker.workflowMetrics.record({ kind: "counter", name: "workflow_custom_steps", description: "steps", value: 2, tags });
    worker.workflowMetrics.record({ kind: "counter", name: "workflow_custom_steps", value: 1, tags });
    worker.workflowMetrics.record({ kind: "histogram", valueType: "float", name: "workflow_custom_wait", unit: "s", value: 0.5, tags });
    worker.workflowMetrics.record({ kind: "gauge", name: "workflow_custom_queue", value: 4, tags });
    expect(() => worker.workflowMetrics.record({ kind: "meter" as "gauge", name: "x", value: 1, tags })).toThrow("workflow metric kind must be 'counter', 'histogram' or 'gauge', got \"meter\"");
    expect(() => worker.workflowMetrics.record({ kind: "counter", name: "workflow_custom_steps", value: -1, tags })).toThrow("must be non-negative");
    const s = await scrape(port);
    const expected = { namespace: "default", taskQueue: tq, workflowType: "metricsInActivities", run };
    expect(s.types.get("workflow_custom_steps")).toBe("counter");
    expect(one(s, "workflow_custom_steps", expected).value).toBe(3);
    expect(one(s, "workflow_custom_wait_sum", expected).value).toBe(0.5);
    expect(one(s, "workflow_custom_queue", expected).value).toBe(4);
    await worker.runUntil(Promise.resolve());
  });
});

// ---------------------------------------------------------------------------- OTLP

type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed?: DataView };

/** The fields of one protobuf message (enough of the wire format for OTLP's messages). */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) {
      out.push({ no, wire, fixed: new DataView(buf.buffer, buf.byteOffset + i, 8) });
      i += 8;
    } else if (wire === 5) {
      out.push({ no, wire, fixed: new DataView(buf.buffer, buf.byteOffset + i, 4) });
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}
const sub = (fs: Field[], no: number) => fs.filter((f) => f.no === no && f.bytes).map((f) => fields(f.bytes!));
const text = (fs: Field[], no: number) => {
  const f = fs.find((x) => x.no === no && x.bytes);
  return f ? new TextDecoder().decode(f.bytes) : undefined;
};

interface OtlpPoint {
  attributes: Record<string, string | number | boolean>;
  value?: number;
  count?: number;
  sum?: number;
}
interface OtlpMetric {
  /** The attributes of the resource the metric was exported under (core puts globalTags there). */
  resource: Record<string, string | number | boolean>;
  name: string;
  description?: string;
  unit?: string;
  type: "sum" | "gauge" | "histogram";
  monotonic?: boolean;
  points: OtlpPoint[];
}

function attributes(kvs: Field[][]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of kvs) {
    const key = text(kv, 1)!;
    const any = sub(kv, 2)[0] ?? [];
    const f = any[0];
    if (f === undefined) continue;
    if (f.no === 1) out[key] = new TextDecoder().decode(f.bytes);
    else if (f.no === 2) out[key] = f.varint === 1n;
    else if (f.no === 3) out[key] = Number(BigInt.asIntN(64, f.varint!));
    else if (f.no === 4) out[key] = f.fixed!.getFloat64(0, true);
  }
  return out;
}

/** ExportMetricsServiceRequest → metrics (resource_metrics.scope_metrics.metrics). */
function decodeExport(body: Uint8Array): OtlpMetric[] {
  const metrics: OtlpMetric[] = [];
  for (const rm of sub(fields(body), 1)) {
    const resource = attributes(sub(sub(rm, 1)[0] ?? [], 1));
    for (const sm of sub(rm, 2)) {
      for (const m of sub(sm, 2)) {
        const name = text(m, 1)!;
        const base = { resource, name, description: text(m, 2), unit: text(m, 3) };
        const numberPoint = (p: Field[]): OtlpPoint => {
          const dbl = p.find((f) => f.no === 4 && f.fixed);
          const int = p.find((f) => f.no === 6 && f.fixed);
          return { attributes: attributes(sub(p, 7)), value: dbl ? dbl.fixed!.getFloat64(0, true) : Number(int!.fixed!.getBigInt64(0, true)) };
        };
        const sum = sub(m, 7)[0];
        const gauge = sub(m, 5)[0];
        const hist = sub(m, 9)[0];
        if (sum) metrics.push({ ...base, type: "sum", monotonic: sum.some((f) => f.no === 3 && f.varint === 1n), points: sub(sum, 1).map(numberPoint) });
        else if (gauge) metrics.push({ ...base, type: "gauge", points: sub(gauge, 1).map(numberPoint) });
        else if (hist) {
          metrics.push({
            ...base,
            type: "histogram",
            points: sub(hist, 1).map((p) => ({
              attributes: attributes(sub(p, 9)),
              count: Number(p.find((f) => f.no === 4)!.fixed!.getBigUint64(0, true)),
              sum: p.find((f) => f.no === 5)!.fixed!.getFloat64(0, true),
            })),
          });
        }
      }
    }
  }
  return metrics;
}

describe("OTLP export", () => {
  test("custom metrics reach a real OTLP/gRPC endpoint with their types, values and tags", async () => {
    const requests: { path: string; body: Uint8Array }[] = [];
    const server = http2.createServer();
    const sessions = new Set<http2.ServerHttp2Session>();
    server.on("session", (session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
    server.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        // A gRPC message: 1 byte compression flag, 4 bytes length, then the protobuf.
        const framed = Buffer.concat(chunks);
        requests.push({ path: String(headers[":path"]), body: new Uint8Array(framed.subarray(5, 5 + framed.readUInt32BE(1))) });
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(Buffer.from([0, 0, 0, 0, 0])); // an empty ExportMetricsServiceResponse
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const otlpPort = (server.address() as { port: number }).port;
    const r = Runtime.create({
      telemetryOptions: { logging: { forward: false }, metrics: { otel: { url: `http://127.0.0.1:${otlpPort}`, metricsExportIntervalMs: 100 }, globalTags: { deployment: "otlp-test" } } },
    });
    try {
      const meter = r.metricMeter.withTags({ via: "otlp" });
      meter.createCounter("otlp_custom_calls", "1", "calls").add(3, { ok: true });
      meter.createHistogram("otlp_custom_latency", "float", "ms").record(2.5);
      meter.createGauge("otlp_custom_depth").set(11, { shard: 2 });
      const until = Date.now() + 10_000;
      let latest: OtlpMetric[] = [];
      while (Date.now() < until) {
        const last = requests.at(-1);
        latest = last ? decodeExport(last.body) : [];
        if (latest.some((m) => m.name === "otlp_custom_depth")) break;
        await Bun.sleep(50);
      }
      expect(requests[0]!.path).toBe("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
      const byName = new Map(latest.map((m) => [m.name, m]));
      // OTLP keeps the tag value types; core exports globalTags as resource attributes here.
      const base = { via: "otlp", service_name: "temporal-core-sdk" };
      expect(byName.get("otlp_custom_calls")).toMatchObject({ type: "sum", monotonic: true, description: "calls", unit: "1", points: [{ attributes: { ...base, ok: true }, value: 3 }] });
      expect(byName.get("otlp_custom_latency")).toMatchObject({ type: "histogram", unit: "ms", points: [{ attributes: base, count: 1, sum: 2.5 }] });
      expect(byName.get("otlp_custom_depth")).toMatchObject({ type: "gauge", points: [{ attributes: { ...base, shard: 2 }, value: 11 }] });
      for (const name of ["otlp_custom_calls", "otlp_custom_latency", "otlp_custom_depth"]) expect(byName.get(name)!.resource).toMatchObject({ deployment: "otlp-test" });
    } finally {
      // Takes ~5 s here: freeing core's runtime flushes the exporter synchronously on this
      // thread, so this in-process collector cannot answer the final export until it times out.
      await r.shutdown();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
