/**
 * Every subpath in package.json "exports" resolves by the package's own name (as a user's
 * `import … from "temporal-bun-sdk/…"` would) and provides its main API.
 */
import { describe, expect, test } from "bun:test";
import pkg from "../../package.json";

const expected: Record<string, string[]> = {
  "temporal-bun-sdk": ["Connection", "Client", "WorkflowClient", "WorkflowFailedError"],
  "temporal-bun-sdk/client": ["Connection", "Client", "WorkflowNotFoundError", "WorkflowExecutionAlreadyStartedError", "ServiceError"],
  "temporal-bun-sdk/worker": ["Worker", "NativeConnection", "Runtime", "DefaultLogger", "bundleWorkflowCode"],
  "temporal-bun-sdk/workflow": ["proxyActivities", "sleep", "condition", "defineSignal", "defineQuery", "setHandler", "CancellationScope", "ApplicationFailure", "continueAsNew", "patched"],
  "temporal-bun-sdk/activity": ["Context", "heartbeat", "activityInfo", "sleep", "CompleteAsyncError"],
  "temporal-bun-sdk/testing": ["TestWorkflowEnvironment"],
  "temporal-bun-sdk/common": ["ApplicationFailure", "DefaultFailureConverter", "defaultPayloadConverter", "msToNumber", "encodePayloadsInMessage"],
  "temporal-bun-sdk/common/config": ["loadTemporalConfig"],
  "temporal-bun-sdk/common/gzip-codec": ["GzipPayloadCodec"],
  "temporal-bun-sdk/envconfig": ["loadClientConnectConfig", "loadClientConfig", "loadClientConfigProfile", "toClientOptions"],
  "temporal-bun-sdk/opentelemetry": ["OpenTelemetryWorkflowClientInterceptor", "OpenTelemetryActivityInboundInterceptor", "OpenTelemetryActivityOutboundInterceptor", "makeWorkflowExporter", "SpanName"],
  "temporal-bun-sdk/opentelemetry/workflow": ["OpenTelemetryInboundInterceptor", "OpenTelemetryOutboundInterceptor", "OpenTelemetryInternalsInterceptor", "SpanName"],
  "temporal-bun-sdk/opentelemetry/workflow-interceptors": ["interceptors"],
};

describe("package exports", () => {
  test("package.json lists exactly the tested subpaths", () => {
    const subpaths = Object.keys(pkg.exports).map((k) => (k === "." ? "temporal-bun-sdk" : `temporal-bun-sdk/${k.slice(2)}`));
    expect(subpaths.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [specifier, names] of Object.entries(expected)) {
    test(`${specifier} exports ${names.join(", ")}`, async () => {
      const mod = (await import(specifier)) as Record<string, unknown>;
      for (const name of names) expect(mod[name], `${specifier} is missing ${name}`).toBeDefined();
    });
  }

  test("the start-worker bin exists and is executable by bun", async () => {
    const bin = Object.values(pkg.bin)[0]!;
    const proc = Bun.spawn(["bun", bin, "--help"], { cwd: new URL("../..", import.meta.url).pathname, stdout: "pipe", stderr: "pipe" });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    expect(out).toContain("--workflows");
  });
});
