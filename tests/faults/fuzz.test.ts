/**
 * Short CI version of bench/faults/fuzz.ts: random and mutated protobuf bytes and mutated
 * histories into every export that takes bytes (replay, activation completion, raw RPCs,
 * activity completion and heartbeat, the bridge's replayer push below the SDK's history checks,
 * where some inputs make core panic for real). Every input must end within the bound — an error, or a
 * valid result where the input happens to be valid — and the process must neither crash nor
 * hang. Runs in a child process: a core panic, if a mutation finds one, fails every call
 * pending in its process (bridge/src/panics.zig), which must not reach the other tests.
 *
 * Seeded and reproducible: the seed is printed (FUZZ_SEED=N reruns it).
 */
import { expect, test } from "bun:test";
import { testServer } from "../helpers/dev-server.js";
import type { FuzzReport } from "../../bench/faults/fuzz.js";

const N = Number(process.env.FUZZ_N ?? 60);
const TIMEOUT_MS = 15_000;

test(`fuzz: ${N} inputs per target (replay, completion, rpc, push), each bounded, no crash`, async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`fuzz seed ${seed} (rerun: FUZZ_SEED=${seed} bun test tests/faults/fuzz.test.ts)`);
  const { address } = await testServer();
  const script = new URL("../../bench/faults/fuzz.ts", import.meta.url).pathname;
  const proc = Bun.spawn([process.execPath, script, "--seed", String(seed), "--n", String(N), "--address", address, "--timeout-ms", String(TIMEOUT_MS), "--targets", "replay,completion,rpc,push", "--json"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const killer = setTimeout(() => proc.kill("SIGKILL"), 100_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(killer);
  if (code !== 0) throw new Error(`fuzz child exited with ${code} (seed ${seed}; 2 = a hang, 134/139 = a crash):\n${err.slice(-4000)}`);
  const report = JSON.parse(out.trim().split("\n").pop()!) as FuzzReport;
  console.log(JSON.stringify(report));
  for (const target of ["replay", "completion", "rpc", "push"] as const) {
    const t = report.targets[target]!;
    expect(t.hangs, `${target} (seed ${seed})`).toEqual([]);
    expect(t.inputs, target).toBe(N);
    expect(Object.values(t.outcomes).reduce((a, b) => a + b, 0), target).toBe(N);
    expect(t.maxLatencyMs, target).toBeLessThan(TIMEOUT_MS);
  }
  // Mutated histories are overwhelmingly malformed: most must be refused, each with a ReplayError
  // (or a DeterminismViolationError when the mutation made a well-formed but different history).
  // Every core panic the pushes caused ended its poll with core_panic (bridge/src/panics.zig).
  expect(report.targets.push!.outcomes["NativeBridgeError:core_panic"] ?? 0).toBe(report.corePanics);
  const replay = report.targets.replay!.outcomes;
  for (const k of Object.keys(replay)) expect(["ok", "ReplayError", "DeterminismViolationError"], `replay outcome ${k}`).toContain(k);
}, 120_000);
