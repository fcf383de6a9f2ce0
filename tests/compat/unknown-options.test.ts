/**
 * Unknown options are handled one way everywhere (src/common/option-check.ts): an option
 * neither we nor the official SDK know is an error naming it and where; an official option we
 * do not implement warns once and has no effect (never silently, never an error). Workflow-side
 * options (activity, continue-as-new) are covered end to end in tests/e2e/bad-options.test.ts,
 * start options in tests/client/workflow.test.ts.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Client } from "../../src/client/index.js";
import { WorkerOptionsError } from "../../src/worker/errors.js";
import { parseWorkerOptions } from "../../src/worker/options.js";

let warnings: string[];
const originalWarn = console.warn;
beforeEach(() => {
  warnings = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
});
afterEach(() => {
  console.warn = originalWarn;
});

describe("Client options", () => {
  test("an unknown option is a TypeError naming it", () => {
    expect(() => new Client({ namespac: "x" } as never)).toThrow(new TypeError("ClientOptions: unknown option 'namespac' (did you mean 'namespace'?)"));
    expect(() => new Client({ workflow: { queryRejectConditon: "NONE" } } as never)).toThrow(
      "ClientOptions.workflow: unknown option 'queryRejectConditon' (did you mean 'queryRejectCondition'?)",
    );
  });

  test("an official option we do not implement warns once and the client is made", () => {
    const a = new Client({ plugins: [] } as never);
    const b = new Client({ plugins: [] } as never);
    expect(a.namespace).toBe("default");
    expect(b.namespace).toBe("default");
    expect(warnings).toEqual(["ClientOptions: option 'plugins' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect"]);
  });

  test("queryRejectCondition takes the official values and refuses others", () => {
    expect(new Client({ workflow: { queryRejectCondition: "NOT_OPEN" } }).namespace).toBe("default");
    expect(new Client({ workflow: { queryRejectCondition: "QUERY_REJECT_CONDITION_NOT_OPEN" as never } }).namespace).toBe("default");
    expect(() => new Client({ workflow: { queryRejectCondition: "CLOSED" as never } })).toThrow(
      'ClientOptions.workflow.queryRejectCondition: expected one of NONE, NOT_OPEN, NOT_COMPLETED_CLEANLY, got "CLOSED"',
    );
  });
});

describe("Worker options", () => {
  const base = { taskQueue: "q", activities: { noop: async () => undefined } };

  test("an unknown option stays a WorkerOptionsError naming it", () => {
    expect(() => parseWorkerOptions({ ...base, taskQueueu: "q" } as never)).toThrow(WorkerOptionsError);
    expect(() => parseWorkerOptions({ ...base, taskQueueu: "q" } as never)).toThrow(/'taskQueueu': unknown option/);
  });

  test("official options we do not implement warn once each and are dropped", () => {
    const parsed = parseWorkerOptions({ ...base, plugins: [], debugMode: true, interceptors: { nexus: [], client: {}, activity: [] } } as never);
    parseWorkerOptions({ ...base, debugMode: true } as never);
    expect(parsed.taskQueue).toBe("q");
    expect(parsed.interceptors).toEqual({ activity: [] });
    expect(warnings).toEqual([
      "WorkerOptions: option 'plugins' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect",
      "WorkerOptions: option 'debugMode' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect",
      "WorkerOptions.interceptors: option 'nexus' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect",
      "WorkerOptions.interceptors: option 'client' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect",
    ]);
  });

  test("an official option we do not implement set to undefined is no option at all (no warning, no error)", () => {
    const parsed = parseWorkerOptions({ ...base, tuner: undefined, plugins: undefined } as never);
    expect(parsed.taskQueue).toBe("q");
    expect(warnings).toEqual([]);
  });
});
