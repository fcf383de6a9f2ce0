/**
 * Cost of recording where workflow code blocks (the stacks behind `__stack_trace`): every
 * timer, activity, local activity and condition captures an `Error` (its stack string is
 * made only if a stack trace query asks for it).
 * Run: bun bench/stack-capture.ts [timers=2000]
 *
 * Prints µs per capture (an Error made in the sandbox's realm, as the activator does), the
 * cost of a whole `sleep()` call inside an activation (capture included) for comparison, and
 * what answering `__stack_trace` costs with that many pending timers (source map decoded once).
 */
import path from "node:path";
import vm from "node:vm";
import { bundleWorkflowCode, createWorkflowRuntime } from "../src/worker/workflow/index.js";
import { SourceMapConsumer, inlineSourceMapOf } from "../src/worker/workflow/source-map.js";
import { activation, jobs } from "../tests/workflow/helpers.js";

const N = Number(process.argv[2] ?? 2000);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. The capture alone, in a vm realm like the sandbox's.
const SandboxError = vm.runInContext("Error", vm.createContext({})) as ErrorConstructor;
const captureRounds: number[] = [];
for (let r = 0; r < 7; r++) {
  const keep: Error[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) keep.push(new SandboxError());
  captureRounds.push(((performance.now() - t0) * 1000) / 100_000);
}
console.log(`capture (new Error in the sandbox realm): ${median(captureRounds).toFixed(2)} µs per blocking call (median of 7 × 100k)`);

// 2. A whole sleep() (command, completion, capture) inside a real activation.
const bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "stack-capture-workflow.ts") });
const runtime = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "bench", logger: quiet });
const perSleep: number[] = [];
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  await runtime.activate(activation(`run-${r}`, [jobs.init("manyTimers", [N])]));
  perSleep.push(((performance.now() - t0) * 1000) / N);
}
console.log(`sleep() in an activation, capture included: ${median(perSleep).toFixed(2)} µs per call (median of 7 activations × ${N} timers)`);
console.log(`capture share of a sleep() call: ${((100 * median(captureRounds)) / median(perSleep)).toFixed(0)} %`);

// 3. Decoding the bundle's source map (once per worker, on the first stack mapped).
for (const label of ["cold", "warm"]) {
  const t0 = performance.now();
  new SourceMapConsumer(inlineSourceMapOf(bundle.code)!);
  console.log(`source map decode (${(bundle.code.length / 1024).toFixed(0)} KB bundle), ${label}: ${(performance.now() - t0).toFixed(1)} ms`);
}

// 4. Answering __stack_trace with N pending timers (the first query also decodes the source map).
const query = (id: string) => ({ case: "queryWorkflow", value: { queryId: id, queryType: "__stack_trace", arguments: [] } }) as never;
for (const label of ["first (decodes the source map)", "second"]) {
  const t0 = performance.now();
  await runtime.activate(activation("run-0", [query(label)]));
  console.log(`__stack_trace with ${N} pending timers, ${label}: ${(performance.now() - t0).toFixed(1)} ms`);
}
runtime.dispose();
