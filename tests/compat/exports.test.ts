/**
 * Every public name of the official SDK 1.24 packages (recorded by
 * tools/record-official-exports.ts into fixtures/official-exports.json) is either exported
 * by the matching temporal-bun-sdk subpath or listed in docs/compatibility.md under
 * "Official exports not available yet". A difference that is not in that table is a bug, and
 * a name listed there that we do export is a stale table: both fail here.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import fixture from "./fixtures/official-exports.json";
import { exportsOf } from "../../tools/record-official-exports.js";

const root = new URL("../../", import.meta.url).pathname;
const doc = readFileSync(`${root}docs/compatibility.md`, "utf8");

/** The names listed under `### <pkg>` in the "Official exports not available yet" section. */
function documentedMissing(pkg: string): Set<string> {
  const section = doc.split(/^## /m).find((s) => s.startsWith("Official exports not available yet"));
  if (!section) throw new Error('docs/compatibility.md has no "## Official exports not available yet" section');
  const sub = section.split(/^### /m).find((s) => s.split("\n", 1)[0]!.trim() === `\`${pkg}\``);
  if (!sub) return new Set();
  // Each bullet is "- <why>: `Name`, `Name`, …": the names are the backticked list that ends
  // the line (the explanation before it may quote other names).
  const names = new Set<string>();
  for (const line of sub.split("\n")) {
    const list = /: ((?:`[A-Za-z_$][\w$]*`(?:, )?)+)$/.exec(line.trim())?.[1];
    for (const m of list?.matchAll(/`([A-Za-z_$][\w$]*)`/g) ?? []) names.add(m[1]!);
  }
  return names;
}

const packages = Object.entries(fixture.packages) as [string, { ours: string; values: string[]; types: string[] }][];

describe(`exports compared with the official SDK ${fixture.version}`, () => {
  test("the fixture covers every official package of the import map", () => {
    expect(packages.map(([p]) => p).sort()).toEqual(
      ["@temporalio/activity", "@temporalio/client", "@temporalio/common", "@temporalio/testing", "@temporalio/worker", "@temporalio/workflow", "@temporalio/interceptors-opentelemetry", "@temporalio/envconfig"].sort(),
    );
  });

  for (const [pkg, official] of packages) {
    test(`${pkg} → ${official.ours}: every official name is exported or documented as missing`, () => {
      const sub = official.ours.replace("temporal-bun-sdk/", "");
      const ours = exportsOf(`${root}src/${sub}/index.ts`);
      const oursAll = new Set([...ours.values, ...ours.types]);
      const documented = documentedMissing(pkg);
      const undocumented = [...official.values, ...official.types].filter((n) => !oursAll.has(n) && !documented.has(n));
      expect(undocumented).toEqual([]);
      // A name exported as a type by us but as a value by the official SDK breaks `import { X }` used as a value.
      const typeOnlyHere = official.values.filter((n) => oursAll.has(n) && !ours.values.includes(n) && !documented.has(n));
      expect(typeOnlyHere).toEqual([]);
      const stale = [...documented].filter((n) => oursAll.has(n) && !(official.values.includes(n) && !ours.values.includes(n)));
      expect(stale).toEqual([]);
    });
  }
});
