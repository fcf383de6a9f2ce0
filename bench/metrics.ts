/**
 * Cost of a custom metric record (issue 12). Run: `bun bench/metrics.ts` (after the native
 * library is built). No server needed: a runtime with a Prometheus exporter on a free port.
 *
 * Prints ns per record for a counter through the bridge (NativeMetric) and through the
 * public API (Runtime.metricMeter), without tags, with three fixed tags (core's attribute set
 * cached by the bridge), with tags from a function (as activity/workflow meters resolve
 * theirs), and with a distinct tag value per record (no cache hit), next to a bare bun:ffi
 * call measured in the same run; then the same public-API cases on the official SDK 1.24 on
 * Node (bench/peer/node-metrics.mjs, run after ours so they do not share the CPU), with the
 * ratio. PEER=0 skips the official side.
 *
 * JS allocation is not measured here: JSC exposes no allocation counter (heapSize and
 * heapStats do not move for short-lived objects). The bridge path allocates nothing by
 * construction (tags are written into one shared buffer; no JSON, no BigInt, no subarray for
 * ASCII); the composed meters allocate the resolved tag object, as the official ones do.
 */
import { NativeMetric, NativeRuntime, debugNowNs } from "../src/bridge/index.js";
import { Runtime } from "../src/runtime/index.js";
import { MetricMeterWithComposedTags } from "../src/common/metrics.js";
import { spawnSync } from "node:child_process";
import { ensureOfficialSdk } from "../tools/official-sdk.js";

const N = Number(process.env.RECORDS ?? 300_000);
const ROUNDS = 5;

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** Median ns per call of `fn` over ROUNDS rounds of N calls. */
function nsPer(fn: (i: number) => void): number {
  for (let i = 0; i < 20_000; i++) fn(i); // JIT warm-up
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = Bun.nanoseconds();
    for (let i = 0; i < N; i++) fn(i);
    rounds.push((Bun.nanoseconds() - t0) / N);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)]!;
}

const port = freePort();
const native = NativeRuntime.create({ metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } });
const metric = NativeMetric.create(native, "counter_int", "bench_native_counter", "", "");
const tags = { namespace: "default", taskQueue: "bench", activityType: "work" };

const runtime = Runtime.create({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${freePort()}` } }, logging: { forward: false } } });
const counter = runtime.metricMeter.createCounter("bench_api_counter");
const tagged = runtime.metricMeter.withTags(tags).createCounter("bench_api_tagged");
const attempt = 1;
// What an activity's meter does: a function contributing the default tags at every record.
const activityLike = runtime.metricMeter.withTags({ namespace: "default", taskQueue: "bench" });
const fnCounter = MetricMeterWithComposedTags.compose(activityLike, () => ({ activityType: "work", attempt })).createCounter("bench_api_fn");

const rows: [string, (i: number) => void][] = [
  ["bare bun:ffi call (floor)", () => void debugNowNs()],
  ["bridge, no tags", () => metric.record(1)],
  ["bridge, 3 fixed tags", () => metric.record(1, tags)],
  ["bridge, 3 tags, one value distinct per record", (i) => metric.record(1, { namespace: "default", taskQueue: "bench", id: i % 4096 })],
  ["Runtime.metricMeter counter, no tags", () => counter.add(1)],
  ["Runtime.metricMeter.withTags(3 tags) counter", () => tagged.add(1)],
  ["activity-like meter (function tags)", () => fnCounter.add(1)],
];

console.log(`custom metric records: ${N} per round, median of ${ROUNDS} rounds; Prometheus exporter; Bun ${Bun.version}`);
const ours = new Map<string, number>();
for (const [name, fn] of rows) ours.set(name, nsPer(fn));

// The official SDK's public API on Node, same cases, measured after ours.
let peer: Record<string, number | string> | undefined;
if (process.env.PEER !== "0") {
  const sdkDir = await ensureOfficialSdk();
  const out = spawnSync("node", [new URL("./peer/node-metrics.mjs", import.meta.url).pathname], {
    env: { ...process.env, PEER_NODE_SDK_DIR: sdkDir, RECORDS: String(N), PORT: String(freePort()) },
    encoding: "utf8",
    timeout: 600_000,
  });
  if (out.status !== 0) throw new Error(`the official SDK's side failed (${out.status}): ${out.stderr}`);
  peer = JSON.parse(out.stdout.trim().split("\n").at(-1)!);
}

console.log("case".padEnd(50), "ns/record".padStart(10), "official".padStart(10), "official/ours".padStart(14));
for (const [name] of rows) {
  const o = ours.get(name)!;
  const p = typeof peer?.[name] === "number" ? (peer[name] as number) : undefined;
  console.log(name.padEnd(50), o.toFixed(0).padStart(10), (p === undefined ? "" : p.toFixed(0)).padStart(10), (p === undefined ? "" : (p / o).toFixed(2)).padStart(14));
}
if (peer) console.log(`official: Node ${peer.node}, @temporalio/worker 1.24.0`);

metric.free();
native.free();
await runtime.shutdown();
