/**
 * The source map reader behind the stack trace queries: positions in a real Bun.build bundle
 * map back to the lines and columns of the source, the inline comment round-trips, and a
 * corrupt mapping is an error rather than a wrong answer.
 */
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import path from "node:path";
import { SourceMapConsumer, inlineSourceMapComment, inlineSourceMapOf, sourceMapCommentFor, type RawSourceMap } from "../../src/worker/workflow/source-map.js";

const source = `export function first(): number {
  return 1;
}

export function second(n: number): string {
  const doubled = n * 2;
  return \`value: \${doubled}\`;
}
`;

async function build(): Promise<{ code: string; map: RawSourceMap }> {
  const dir = tmpdir();
  const file = path.join(dir, `source-map-test-${process.pid}.ts`);
  await Bun.write(file, source);
  const result = await Bun.build({ entrypoints: [file], format: "cjs", target: "browser", sourcemap: "external", minify: false });
  const comment = await sourceMapCommentFor(result.outputs, "/nowhere/");
  const code = await result.outputs[0]!.text();
  const map = inlineSourceMapOf(code + comment)!;
  expect(map.sources).toEqual([file]); // made absolute
  return { code, map };
}

describe("SourceMapConsumer", () => {
  test("every statement of a bundled file maps back to its line and column", async () => {
    const { code, map } = await build();
    const consumer = new SourceMapConsumer(map);
    const generated = code.split("\n");
    const original = source.split("\n");
    for (const needle of ["return 1;", "const doubled = n * 2;", "return `value: ${doubled}`;"]) {
      const genLine = generated.findIndex((l) => l.includes(needle.slice(0, 12))) + 1;
      const genColumn = generated[genLine - 1]!.indexOf(needle.slice(0, 6)) + 1;
      const pos = consumer.originalPositionFor(genLine, genColumn)!;
      expect(pos.line).toBe(original.findIndex((l) => l.includes(needle)) + 1);
      expect(pos.column).toBe(original[pos.line - 1]!.indexOf(needle) + 1);
    }
    expect(consumer.sourceContent(map.sources[0]!)).toBe(source);
  });

  test("inline comments round-trip; a position without a mapping is undefined; bad VLQ throws", () => {
    const map: RawSourceMap = { version: 3, sources: ["/a.ts"], names: ["fn"], mappings: "AAAA,IAAIA;;AACA" };
    const back = inlineSourceMapOf(`code();${inlineSourceMapComment(map)}`)!;
    expect(back).toEqual(map);
    const consumer = new SourceMapConsumer(back);
    expect(consumer.originalPositionFor(1, 1)).toEqual({ source: "/a.ts", line: 1, column: 1 });
    expect(consumer.originalPositionFor(1, 5)).toEqual({ source: "/a.ts", line: 1, column: 5, name: "fn" });
    expect(consumer.originalPositionFor(2, 1)).toBeUndefined();
    // Original columns are relative across lines (only the generated column restarts per line).
    expect(consumer.originalPositionFor(3, 1)).toEqual({ source: "/a.ts", line: 2, column: 5 });
    expect(inlineSourceMapOf("no map here")).toBeUndefined();
    expect(() => new SourceMapConsumer({ version: 3, sources: [], mappings: "A!" })).toThrow(/invalid base64 VLQ/);
  });
});
