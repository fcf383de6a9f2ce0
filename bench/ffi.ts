/**
 * FFI boundary figures (issue 3). Run: `bun run bench:ffi` (after `./dev build`).
 *
 *  1. ns per no-op pending round trip: a handle created ready → consume (copy out) → free,
 *     against a bare bun:ffi call measured in the same run (the floor).
 *  2. wake-up latency: a native thread completes a pending handle; time until the awaiting
 *     Promise resolves, on the same monotonic clock. Sequential (one outstanding) and in
 *     bursts of 64 completions.
 *  3. idle CPU of this process while a worker's workflow and activity polls are outstanding
 *     against a real dev server for IDLE_SECONDS (default 10), user+system time / wall time.
 *
 * Targets from the issue: round trip ≤ 2 µs, wake p50 ≤ 50 µs and p99 ≤ 500 µs, idle CPU
 * < 0.5% of a core.
 */
import {
  NativeClient,
  NativeEphemeralServer,
  NativeRuntime,
  NativeWorker,
  bridgeCounters,
  debugCompleteFromThread,
  debugNowNs,
  debugRoundTrip,
} from "../src/bridge/index.js";

const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

// ---- 1. round trip
{
  const N = 200_000;
  for (let i = 0; i < 20_000; i++) debugRoundTrip(8); // JIT warm-up
  for (let i = 0; i < 20_000; i++) debugNowNs();
  const samples: number[] = [];
  const floor: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t = Bun.nanoseconds();
    for (let i = 0; i < N; i++) debugRoundTrip(8);
    samples.push((Bun.nanoseconds() - t) / N);
    t = Bun.nanoseconds();
    for (let i = 0; i < N; i++) debugNowNs();
    floor.push((Bun.nanoseconds() - t) / N);
  }
  const rt = pct(samples, 50);
  const fl = pct(floor, 50);
  console.log(
    `round trip (create ready → consume → free, 8 B): ${rt.toFixed(0)} ns  [target ≤ 2000 ns: ${verdict(rt <= 2000)}]` +
      `  | bare ffi call: ${fl.toFixed(0)} ns, ratio ${(rt / fl).toFixed(1)}x`,
  );
}

// ---- 2. wake-up latency
{
  const seq: number[] = [];
  for (let i = 0; i < 200; i++) await debugCompleteFromThread(0); // warm-up
  for (let i = 0; i < 2000; i++) {
    const completedAt = await debugCompleteFromThread(200);
    seq.push(Number(debugNowNs() - completedAt) / 1000);
  }
  const burst: number[] = [];
  for (let r = 0; r < 50; r++) {
    const done = await Promise.all(
      Array.from({ length: 64 }, () => debugCompleteFromThread(100).then((at) => Number(debugNowNs() - at) / 1000)),
    );
    burst.push(...done);
  }
  const p50 = pct(seq, 50);
  const p99 = pct(seq, 99);
  console.log(
    `wake-up latency, one outstanding (2000): p50 ${p50.toFixed(1)} µs, p99 ${p99.toFixed(1)} µs, max ${Math.max(...seq).toFixed(0)} µs` +
      `  [targets p50 ≤ 50, p99 ≤ 500: ${verdict(p50 <= 50 && p99 <= 500)}]`,
  );
  console.log(
    `wake-up latency, bursts of 64 (3200): p50 ${pct(burst, 50).toFixed(1)} µs, p99 ${pct(burst, 99).toFixed(1)} µs` +
      ` (includes queueing behind the rest of the burst)`,
  );
}

// ---- 3. idle CPU with outstanding polls
{
  const runtime = NativeRuntime.create({ logging: { filter: "error", forward: false } });
  let server: NativeEphemeralServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    const cli = process.env.TEMPORAL_CLI_PATH;
    if (!cli) throw new Error("set TEMPORAL_ADDRESS, or TEMPORAL_CLI_PATH for a dev server (./dev bench sets it)");
    server = await NativeEphemeralServer.startDev(runtime, { existingPath: cli, ip: "127.0.0.1", logLevel: "error" });
    address = server.target;
  }
  const client = await NativeClient.connect(runtime, { targetUrl: address });
  const worker = NativeWorker.create(client, {
    namespace: "default",
    taskQueue: `bench-idle-${crypto.randomUUID()}`,
    workflowPollers: { maximum: 2 },
    activityPollers: { maximum: 2 },
  });
  await worker.validate();
  const polls = [worker.pollWorkflowActivation(), worker.pollActivityTask()];
  await Bun.sleep(1000); // let pollers settle into their long polls
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const wakes0 = bridgeCounters().wakesTotal;
  await Bun.sleep(IDLE_SECONDS * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  const wakes = bridgeCounters().wakesTotal - wakes0;
  const pctCore = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  console.log(
    `idle CPU, 2 polls outstanding for ${IDLE_SECONDS} s: ${pctCore.toFixed(3)}% of a core ` +
      `(user ${(cpu.user / 1000).toFixed(1)} ms, system ${(cpu.system / 1000).toFixed(1)} ms, ${wakes} wake-ups) ` +
      `[target < 0.5%: ${verdict(pctCore < 0.5)}]`,
  );
  worker.initiateShutdown();
  await Promise.all(polls);
  await worker.finalizeShutdown();
  worker.free();
  client.free();
  await server?.shutdown();
  runtime.free();
}
