/**
 * Runs every ```ts block of docs/client.md as its own program (a subprocess, with
 * TEMPORAL_ADDRESS pointing at the test server), so the documentation cannot drift from
 * the code. `temporal-bun-sdk/<pkg>` imports resolve to src/<pkg>/index.ts.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { testEnv } from "../helpers/dev-server.js";

const root = resolve(import.meta.dir, "../..");
const markdown = readFileSync(join(root, "docs/client.md"), "utf8");
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/client.md examples", () => {
  test("the document has runnable examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  blocks.forEach((code, i) => {
    const title = code.split("\n").find((l) => l.includes("temporal-bun-sdk/"))?.trim() ?? `block ${i}`;
    test(`example ${i + 1} runs: ${title}`, async () => {
      const env = await testEnv();
      const dir = mkdtempSync(join(tmpdir(), "docs-example-"));
      try {
        const source = code.replace(/"temporal-bun-sdk\/(\w+)"/g, (_m, pkg: string) => JSON.stringify(join(root, "src", pkg, "index.ts")));
        const file = join(dir, `example-${i + 1}.ts`);
        writeFileSync(file, source);
        const proc = Bun.spawn([process.execPath, file], {
          cwd: root,
          env: { ...process.env, TEMPORAL_ADDRESS: env.address },
          stdout: "pipe",
          stderr: "pipe",
        });
        const [out, err, code_] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
        if (code_ !== 0) throw new Error(`example ${i + 1} exited ${code_}\n${out}\n${err}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
