// The official SDK's side of bench/metrics.ts: ns per custom metric record through
// @temporalio/worker 1.24's Runtime.metricMeter on Node, same cases and same counts, and the
// labels its Prometheus endpoint shows for a tagged record. Prints one JSON line.
// Env: PEER_NODE_SDK_DIR (tools/official-sdk.ts), RECORDS, PORT.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.env.PEER_NODE_SDK_DIR, "package.json"));
const { Runtime } = require("@temporalio/worker");
const { MetricMeterWithComposedTags } = require("@temporalio/common");

const N = Number(process.env.RECORDS ?? 300000);
const ROUNDS = 5;
const port = Number(process.env.PORT);

function nsPer(fn) {
  for (let i = 0; i < 20000; i++) fn(i);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) fn(i);
    rounds.push(Number(process.hrtime.bigint() - t0) / N);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)];
}

const runtime = Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } }, logging: { forward: {}, filter: "ERROR" } } });
const tags = { namespace: "default", taskQueue: "bench", activityType: "work" };
const counter = runtime.metricMeter.createCounter("bench_api_counter");
const tagged = runtime.metricMeter.withTags(tags).createCounter("bench_api_tagged");
const activityLike = MetricMeterWithComposedTags.compose(runtime.metricMeter.withTags({ namespace: "default", taskQueue: "bench" }), () => ({ activityType: "work", attempt: 1 }));
const fnCounter = activityLike.createCounter("bench_api_fn");

const result = {
  node: process.version,
  "Runtime.metricMeter counter, no tags": nsPer(() => counter.add(1)),
  "Runtime.metricMeter.withTags(3 tags) counter": nsPer(() => tagged.add(1)),
  "activity-like meter (function tags)": nsPer(() => fnCounter.add(1)),
};
runtime.metricMeter.withTags({ probe: "x" }).createCounter("peer_label_probe").add(1);
const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
result.probeLine = text.split("\n").find((l) => l.startsWith("peer_label_probe"));
console.log(JSON.stringify(result));
await runtime.shutdown();
