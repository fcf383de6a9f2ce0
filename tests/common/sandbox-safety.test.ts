import { expect, test } from "bun:test";
import path from "node:path";

const COMMON = path.resolve(import.meta.dir, "../../src/common");

test("everything reachable from src/common/index.ts is free of node:*, Bun APIs, timers and WeakRef", async () => {
  // Bundle for the browser target: a node:* import would fail the build or stay external.
  const result = await Bun.build({ entrypoints: [path.join(COMMON, "index.ts")], target: "browser", minify: false });
  expect(result.success).toBe(true);
  const code = await result.outputs[0]!.text();
  const ownFiles = [...code.matchAll(/^\/\/ src\/common\/([\w-]+\.ts)$/gm)].map((m) => m[1]);
  expect(ownFiles).toContain("payload-visitor.ts");
  expect(ownFiles).not.toContain("gzip-codec.ts");
  expect(ownFiles).not.toContain("config.ts");
  for (const forbidden of [/\bfrom\s+"node:/, /\brequire\("node:/, /\bBun\./, /\bsetTimeout\(/, /\bsetInterval\(/, /\bnew WeakRef\b/, /\bFinalizationRegistry\b/, /\bfetch\(/]) {
    expect(code).not.toMatch(forbidden);
  }
});
