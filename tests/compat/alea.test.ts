/**
 * Known answers: our Alea (src/workflow/random.ts) against numbers the official SDK 1.24 drew on
 * Node for the same seeds (tests/compat/fixtures/alea-known-answers.json, recorded by
 * tools/compat/record-alea-known-answers.ts). Exact equality: a mixed fleet replays only if
 * every draw is bit-for-bit the same. No Node needed here.
 */
import { describe, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime } from "../../src/worker/workflow/index.js";
import { alea, fillWithRandom, namedStreamSeed, seedBytes, uuid4FromRandom } from "../../src/workflow/random.js";
import knownAnswers from "./fixtures/alea-known-answers.json";
import { activation, jobs, resultOf } from "../workflow/helpers.js";

interface Case {
  seed: string;
  seedBytes: number[];
  random: number[];
  uuid4: string[];
  fill: number[];
  afterFill: number;
  named: Record<string, { random: number[]; uuid4: string }>;
  reseed: { to: string; random: number[]; uuid4: string };
}
const cases = knownAnswers.cases as Case[];

test("the fixture covers seed 0, the high bit and the largest seed", () => {
  const seeds = cases.map((c) => BigInt(c.seed));
  expect(seeds).toContain(0n);
  expect(seeds.some((s) => s >= 1n << 63n)).toBe(true);
  expect(seeds).toContain((1n << 64n) - 1n);
});

describe.each(cases.map((c) => [c.seed, c] as const))("seed %s", (_seed, c) => {
  test("seed bytes: the u64 big-endian, as protobufjs Long.toBytes()", () => {
    expect(seedBytes(BigInt(c.seed))).toEqual(c.seedBytes);
  });

  test("main stream, uuid4, fill", () => {
    const random = alea(seedBytes(BigInt(c.seed)));
    expect(Array.from({ length: c.random.length }, () => random())).toEqual(c.random);
    expect(c.uuid4.map(() => uuid4FromRandom(random))).toEqual(c.uuid4);
    expect(Array.from(fillWithRandom(random, new Uint8Array(c.fill.length)))).toEqual(c.fill);
    expect(random()).toBe(c.afterFill);
  });

  test("named streams", () => {
    for (const [name, want] of Object.entries(c.named)) {
      const random = alea(namedStreamSeed(c.seedBytes, name));
      expect(Array.from({ length: want.random.length }, () => random())).toEqual(want.random);
      expect(uuid4FromRandom(random)).toBe(want.uuid4);
    }
  });
});

describe("in the workflow runtime (module top level, Math.random, uuid4, crypto, named streams, UpdateRandomSeed)", () => {
  const bundle = bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures", "alea-workflows.ts") });
  test.each(cases.map((c) => [c.seed, c] as const))("seed %s", async (_seed, c) => {
    const rt = createWorkflowRuntime({ bundle: await bundle, namespace: "default", taskQueue: "tq" });
    try {
      const name = "plugin-a";
      await rt.activate(activation("r", [jobs.init("aleaDraws", [name], BigInt(c.seed))]));
      const out = resultOf(await rt.activate(activation("r", [jobs.updateRandomSeed(BigInt(c.reseed.to)), jobs.fireTimer(1)]))) as {
        random: number[];
        uuids: string[];
        fill: number[];
        afterFill: number;
        namedRandom: number[];
        namedUuid: string;
        reseeded: number[];
        reseededUuid: string;
      };
      expect(out.random).toEqual(c.random);
      expect(out.uuids).toEqual(c.uuid4);
      expect(out.fill).toEqual(c.fill);
      expect(out.afterFill).toBe(c.afterFill);
      expect(out.namedRandom).toEqual(c.named[name]!.random);
      expect(out.namedUuid).toBe(c.named[name]!.uuid4);
      expect(out.reseeded).toEqual(c.reseed.random);
      expect(out.reseededUuid).toBe(c.reseed.uuid4);
    } finally {
      rt.dispose();
    }
  });
});

test("workflowInfo().unsafe.random is fresh entropy, does not consume the run's stream, and stays out of JSON", async () => {
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures", "alea-workflows.ts") });
  const c = cases[0]!;
  const outs: { draws: number[]; uuid: string; bytes: number[]; next: number; json: string }[] = [];
  for (const runId of ["a", "b"]) {
    const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq" });
    try {
      outs.push(resultOf(await rt.activate(activation(runId, [jobs.init("unsafeRandom", [], BigInt(c.seed))]))) as (typeof outs)[number]);
    } finally {
      rt.dispose();
    }
  }
  const [a, b] = outs as [(typeof outs)[number], (typeof outs)[number]];
  // Module top level drew c.random[0]; the workflow's next draw is c.random[1] despite the unsafe draws.
  expect(a.next).toBe(c.random[1]!);
  expect(b.next).toBe(c.random[1]!);
  expect(a.draws).not.toEqual(b.draws);
  expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(a.uuid).not.toBe(b.uuid);
  expect(a.bytes).toHaveLength(16);
  expect(a.json).not.toContain("random");
});

test("stream.with(fn) routes Math.random() to the named stream across fn's awaits, and only inside fn", async () => {
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures", "alea-workflows.ts") });
  const c = cases[1]!;
  const name = "com.example/interceptor";
  const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq" });
  try {
    await rt.activate(activation("r", [jobs.init("withAcrossAwait", [name], BigInt(c.seed))]));
    const out = resultOf(await rt.activate(activation("r", [jobs.fireTimer(1)]))) as { inside: number[]; outside: number };
    expect(out.inside).toEqual(c.named[name]!.random.slice(0, 2));
    // Module top level drew c.random[0]; nothing inside `with` touched the main stream.
    expect(out.outside).toBe(c.random[1]!);
  } finally {
    rt.dispose();
  }
});
