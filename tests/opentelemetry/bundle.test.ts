/**
 * The workflow bundler applies a package's "browser" field (as the official bundler, webpack
 * with its default web target, does): a file the field replaces is bundled as its replacement,
 * a file mapped to false as an empty module — which is how OpenTelemetry's packages keep their
 * Node platform code (perf_hooks, os, fs, child_process) out of workflow code. Also:
 * makeWorkflowExporter's argument checks.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleWorkflowCode } from "../../src/worker/index.js";

const dir = mkdtempSync(join(tmpdir(), "browser-field-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a package\'s "browser" field replaces its Node files in the workflow bundle', async () => {
  const pkg = join(dir, "node_modules", "platform-pkg");
  mkdirSync(join(pkg, "lib"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "platform-pkg", main: "lib/index.js", browser: { "./lib/platform.js": "./lib/platform-browser.js", "./lib/extra.js": false } }));
  writeFileSync(join(pkg, "lib", "index.js"), 'const p = require("./platform.js"); require("./extra.js"); exports.where = p.where;');
  writeFileSync(join(pkg, "lib", "platform.js"), 'const os = require("os"); exports.where = "NODE-PLATFORM-" + os.hostname();');
  writeFileSync(join(pkg, "lib", "platform-browser.js"), 'exports.where = "BROWSER-PLATFORM";');
  writeFileSync(join(pkg, "lib", "extra.js"), 'require("fs"); exports.extra = "NODE-EXTRA";');
  const workflows = join(dir, "workflows.ts");
  writeFileSync(workflows, 'import { where } from "platform-pkg";\nexport async function platform(): Promise<string> { return where; }\n');

  const { code } = await bundleWorkflowCode({ workflowsPath: workflows });
  expect(code).toContain("BROWSER-PLATFORM");
  expect(code).not.toContain("NODE-PLATFORM-");
  expect(code).not.toContain("NODE-EXTRA");
});

test("the OpenTelemetry workflow interceptors bundle without Node modules", async () => {
  const workflows = join(dir, "otel-workflows.ts");
  writeFileSync(workflows, "export async function noop(): Promise<void> {}\n");
  const { code } = await bundleWorkflowCode({ workflowsPath: workflows, workflowInterceptorModules: [new URL("../../src/opentelemetry/workflow-interceptors.ts", import.meta.url).pathname] });
  expect(code).toContain("platform/browser");
  expect(code).not.toContain("perf_hooks");
});

test("makeWorkflowExporter refuses what is neither a span processor nor an exporter, naming it", async () => {
  const { makeWorkflowExporter } = await import("../../src/opentelemetry/index.js");
  const { Resource } = await import("@opentelemetry/resources");
  const bad = (v: unknown, r: unknown = Resource.empty()) => () => makeWorkflowExporter(v as never, r as never);
  expect(bad(undefined)).toThrow(new TypeError("makeWorkflowExporter: expected a SpanProcessor (with onEnd) or a SpanExporter (with export), got undefined undefined"));
  expect(bad({ end: () => {} })).toThrow(new TypeError("makeWorkflowExporter: expected a SpanProcessor (with onEnd) or a SpanExporter (with export), got an object with keys [end]"));
  expect(bad({ onEnd: () => {} }, null)).toThrow(new TypeError("makeWorkflowExporter: expected a Resource, got null"));
  expect(typeof makeWorkflowExporter({ export: () => {}, shutdown: async () => {} } as never, Resource.empty()).export.fn).toBe("function");
});

test('a bare package import takes the package\'s "module" (ES) entry over "main", as the official bundler', async () => {
  const pkg = join(dir, "node_modules", "dual-pkg");
  mkdirSync(join(pkg, "cjs"), { recursive: true });
  mkdirSync(join(pkg, "esm"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "dual-pkg", main: "cjs/index.js", module: "esm/index.js" }));
  writeFileSync(join(pkg, "cjs", "index.js"), 'exports.kind = "COMMONJS-ENTRY";');
  writeFileSync(join(pkg, "esm", "index.js"), 'export const kind = "ES-MODULE-ENTRY";\nexport const unused = "UNUSED-EXPORT-DROPPED";');
  const workflows = join(dir, "dual-workflows.ts");
  writeFileSync(workflows, 'import { kind } from "dual-pkg";\nexport async function which(): Promise<string> { return kind; }\n');
  const { code } = await bundleWorkflowCode({ workflowsPath: workflows });
  expect(code).toContain("ES-MODULE-ENTRY");
  expect(code).not.toContain("COMMONJS-ENTRY");
  // ES modules let the bundler drop what nothing imports (each run evaluates what is kept).
  expect(code).not.toContain("UNUSED-EXPORT-DROPPED");
});
