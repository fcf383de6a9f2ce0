// Run by tools/compat/record-alea-known-answers.ts on Node: draws numbers from the official SDK
// 1.24's own workflow random code (installed in the cache folder given as argv[2]) and prints
// them as JSON. Seeds go through a real protobuf round trip (UpdateRandomSeed encode/decode by
// @temporalio/proto) so the bytes are what the official worker hands to Alea: the decoded
// uint64 Long's `toBytes()`.
import { createRequire } from "node:module";
import { join } from "node:path";

const sdkDir = process.argv[2];
if (!sdkDir) throw new Error("usage: node alea-known-answers.node.mjs <official sdk dir>");
const require = createRequire(join(sdkDir, "package.json"));
const { alea } = require("@temporalio/workflow/lib/alea");
const { uuid4FromRandom, fillWithRandom } = require("@temporalio/workflow/lib/random-helpers");
const { deriveAleaSeed } = require("@temporalio/workflow/lib/random-stream-seed");
const { coresdk } = require("@temporalio/proto");
const Long = require("long");

const { UpdateRandomSeed } = coresdk.workflow_activation;
function officialSeedBytes(decimal) {
  const wire = UpdateRandomSeed.encode({ randomnessSeed: Long.fromString(decimal, true) }).finish();
  return UpdateRandomSeed.decode(wire).randomnessSeed.toBytes();
}

const seeds = [
  "0",
  "1",
  "42",
  "4294967295",
  "4294967296",
  "9223372036854775807",
  "9223372036854775808", // high bit set
  "16045690984503098046", // 0xdeadbeefcafebabe
  "18446744073709551615",
  "7308889290548437353",
];
const names = ["plugin-a", "com.example/interceptor", "ünïcödé ✓"];

const cases = seeds.map((seed, i) => {
  const bytes = officialSeedBytes(seed);
  const main = alea(bytes);
  const random = Array.from({ length: 12 }, () => main());
  const uuid4 = Array.from({ length: 3 }, () => uuid4FromRandom(main));
  const fill = Array.from(fillWithRandom(main, new Uint8Array(10)));
  const afterFill = main();
  const named = Object.fromEntries(
    names.map((name) => {
      const stream = alea(deriveAleaSeed(bytes, name));
      return [name, { random: Array.from({ length: 5 }, () => stream()), uuid4: uuid4FromRandom(stream) }];
    }),
  );
  // UpdateRandomSeed: the official activator replaces the main stream with a fresh Alea of the new seed.
  const reseedTo = seeds[(i + 3) % seeds.length];
  const reseeded = alea(officialSeedBytes(reseedTo));
  return {
    seed,
    seedBytes: bytes,
    random,
    uuid4,
    fill,
    afterFill,
    named,
    reseed: { to: reseedTo, random: Array.from({ length: 5 }, () => reseeded()), uuid4: uuid4FromRandom(reseeded) },
  };
});

const version = require("@temporalio/workflow/package.json").version;
process.stdout.write(JSON.stringify({ recordedWith: `@temporalio/workflow ${version} on Node ${process.version}`, cases }, null, 1) + "\n");
