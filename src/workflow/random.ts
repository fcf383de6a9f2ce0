/**
 * The workflow's deterministic random numbers: Johannes Baagøe's Alea generator (2010), seeded
 * exactly as the official TypeScript SDK 1.24 seeds it, so `Math.random()`, `uuid4()` and
 * named streams give the same values on an official Node worker and on ours for the same
 * history. Mixed fleets replay each other's histories only because of this; never change a
 * number here (tests/compat/alea.test.ts checks values recorded from the official SDK).
 *
 * How the official SDK uses it, and so how we do:
 * - the seed is the 8 bytes of core's 64-bit `randomnessSeed`, most significant first
 *   (protobufjs `Long.toBytes()`; signedness does not change the bytes): `seedBytes()`;
 * - Alea's Mash hashes those bytes as numbers (Baagøe's original hashes a string's char codes;
 *   the official port passes byte arrays, and a single space becomes `[32]`);
 * - one stream per run from the first instruction of module top-level code; `UpdateRandomSeed`
 *   replaces it (and forgets every named stream);
 * - `uuid4()` takes four 32-bit draws, `fillRandom` one draw per byte;
 * - a named stream (`getRandomStream(name)`) is Alea over a prefix, the seed and the UTF-8
 *   name, each length-prefixed, so it never consumes the main stream.
 *
 * This module is part of the workflow bundle (no imports) and is also used by the host
 * (src/worker/workflow/runtime.ts) to make the stream top-level module code draws from.
 */

export type RNG = () => number;

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** Baagøe's Mash hash: each call folds more values into its state and returns a fraction in [0, 1). */
function createMash(): (data: ArrayLike<number>) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data[i]!;
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * TWO_POW_32;
    }
    return (n >>> 0) * TWO_POW_MINUS_32;
  };
}

/** Alea seeded with `seed` (numbers, here always bytes). Returns fractions in [0, 1). */
export function alea(seed: ArrayLike<number>): RNG {
  const mash = createMash();
  const space = [32];
  let s0 = mash(space);
  let s1 = mash(space);
  let s2 = mash(space);
  let c = 1;
  s0 -= mash(seed);
  if (s0 < 0) s0 += 1;
  s1 -= mash(seed);
  if (s1 < 0) s1 += 1;
  s2 -= mash(seed);
  if (s2 < 0) s2 += 1;
  return () => {
    const t = 2091639 * s0 + c * TWO_POW_MINUS_32;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    return s2;
  };
}

/** Core's 64-bit randomness seed as the official SDK hands it to Alea: 8 bytes, big-endian. */
export function seedBytes(seed: bigint): number[] {
  const u = BigInt.asUintN(64, seed);
  const hi = Number(u >> 32n);
  const lo = Number(u & 0xffffffffn);
  return [hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff];
}

function u32Bytes(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

const STREAM_SEED_PREFIX = Array.from(new TextEncoder().encode("temporal-workflow-random-stream-v1"));

/** The Alea seed of the named stream `name` of a run seeded with `seed` (see getRandomStream). */
export function namedStreamSeed(seed: readonly number[], name: string): number[] {
  const nameBytes = Array.from(new TextEncoder().encode(name));
  return [...STREAM_SEED_PREFIX, ...u32Bytes(seed.length), ...seed, ...u32Bytes(nameBytes.length), ...nameBytes];
}

/** A v4 UUID from four 32-bit draws (the official SDK's layout, so the strings match). */
export function uuid4FromRandom(random: RNG): string {
  const words = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) words[i] = (random() * TWO_POW_32) >>> 0;
  // byte 6 (high byte of word 1's low half) gets version 4; byte 8 (top byte of word 2) variant 10.
  words[1] = ((words[1]! & 0xffff0fff) | 0x00004000) >>> 0;
  words[2] = ((words[2]! & 0x3fffffff) | 0x80000000) >>> 0;
  const hex = words.map((w) => w.toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `workflowInfo().unsafe.random`: fresh entropy (the host's real `Math.random`), for read-only
 * query handlers; not replay-stable. Left out of JSON like the official one.
 */
export function createUnsafeRandomSource(random: RNG): { random(): number; uuid4(): string; fillRandom(bytes: Uint8Array): Uint8Array } {
  const source = { random, uuid4: () => uuid4FromRandom(random), fillRandom: (bytes: Uint8Array) => fillWithRandom(random, bytes) };
  Object.defineProperty(source, "toJSON", { value: () => undefined, enumerable: true });
  return source;
}

/** Fill `bytes` with one draw per byte. */
export function fillWithRandom<T extends Uint8Array>(random: RNG, bytes: T): T {
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 0x100);
  return bytes;
}
