/**
 * Every constant the official SDK 1.24 exports (recorded from the installed official packages
 * by tools/record-official-constants.ts into fixtures/official-constants.json) is exported by
 * the matching temporal-bun-sdk subpath with exactly the same value — or is listed in ALLOWED
 * below with its reason and the issue that will add it, so a missing constant is visible,
 * never silent. An allow-listed constant that we do export fails too (stale list).
 *
 * Also: the official values work where the official SDK accepts them (codecs accept the short
 * name, the legacy prefixed name and the proto number), and a wrong value is a ValueError that
 * names the option and the accepted names.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import fixture from "./fixtures/official-constants.json";
import {
  activityCancellationTypeCodec,
  checkOptions,
  compileRetryPolicy,
  decodeRetryState,
  encodeRetryState,
  encodeTimeoutType,
  parentClosePolicyCodec,
  ValueError,
  workflowIdReusePolicyCodec,
} from "../../src/common/index.js";

const root = new URL("../../", import.meta.url).pathname;
const packageJson = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { exports: Record<string, string> };

/** Official package → our subpath (the import map of docs/compatibility.md). */
const SUBPATH: Record<string, string> = {
  "@temporalio/common": "./common",
  "@temporalio/workflow": "./workflow",
  "@temporalio/client": "./client",
  "@temporalio/worker": "./worker",
  "@temporalio/activity": "./activity",
  "@temporalio/testing": "./testing",
};

/** Official constants we do not export (yet), with why and which issue adds them. */
const ALLOWED: Record<string, { reason: string; issue: number | null }> = {
  "@temporalio/client.LOCAL_TARGET": {
    reason: "our Connection's default address is DEFAULT_ADDRESS = 127.0.0.1:7233 (no IPv6 'localhost' lookup against an IPv4 dev server); docs/compatibility.md",
    issue: null,
  },
};

type Packages = Record<string, Record<string, unknown>>;
const packages = fixture.packages as Packages;

/** Our value as the fixture records values: an own key whose value is undefined becomes null. */
function recorded(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === undefined ? null : v]));
}

async function ours(pkg: string): Promise<Record<string, unknown>> {
  const subpath = SUBPATH[pkg];
  if (!subpath) throw new Error(`no subpath mapped for ${pkg}`);
  const file = packageJson.exports[subpath];
  if (!file) throw new Error(`package.json exports has no ${subpath}`);
  return (await import(`${root}${file}`)) as Record<string, unknown>;
}

describe(`constants compared with the official SDK ${fixture.version}`, () => {
  test("the fixture covers every package of the import map and has the enum constants", () => {
    expect(Object.keys(packages).sort()).toEqual(Object.keys(SUBPATH).sort());
    // A fixture recorded from a broken install would be empty; these must be there.
    expect(Object.keys(packages["@temporalio/common"]!)).toEqual(expect.arrayContaining(["ActivityCancellationType", "RetryState", "WorkflowIdReusePolicy"]));
    expect(Object.keys(packages["@temporalio/workflow"]!)).toEqual(expect.arrayContaining(["ParentClosePolicy", "ChildWorkflowCancellationType"]));
  });

  for (const [pkg, constants] of Object.entries(packages)) {
    for (const [name, officialValue] of Object.entries(constants)) {
      const key = `${pkg}.${name}`;
      test(`${key} ${ALLOWED[key] ? `is allow-listed (issue ${ALLOWED[key].issue ?? "none"}: ${ALLOWED[key].reason})` : "has the official value"}`, async () => {
        const mod = await ours(pkg);
        if (ALLOWED[key]) {
          // A stale entry: we export it now, so it must be compared instead.
          expect(mod[name]).toBeUndefined();
          return;
        }
        expect(mod[name]).toBeDefined();
        expect(recorded(mod[name])).toEqual(officialValue);
      });
    }
  }

  test("every allow-list entry names an official constant", () => {
    for (const key of Object.keys(ALLOWED)) {
      const dot = key.lastIndexOf(".");
      expect(packages[key.slice(0, dot)]?.[key.slice(dot + 1)]).toBeDefined();
    }
  });

  test("a constant is one object wherever it is exported", async () => {
    const [common, workflow, client] = await Promise.all([ours("@temporalio/common"), ours("@temporalio/workflow"), ours("@temporalio/client")]);
    expect(workflow.WorkflowIdReusePolicy).toBe(common.WorkflowIdReusePolicy);
    expect(client.WorkflowIdReusePolicy).toBe(common.WorkflowIdReusePolicy);
    expect(workflow.ActivityCancellationType).toBe(common.ActivityCancellationType);
    expect(client.SearchAttributeType).toBe(common.SearchAttributeType);
    expect(client.HandlerUnfinishedPolicy).toBe(common.HandlerUnfinishedPolicy);
  });
});

describe("official values are accepted where the official SDK accepts them", () => {
  test("short names, legacy prefixed names and proto numbers encode alike", () => {
    expect(workflowIdReusePolicyCodec.encode("REJECT_DUPLICATE")).toBe(3);
    expect(workflowIdReusePolicyCodec.encode("WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE")).toBe(3);
    expect(workflowIdReusePolicyCodec.encode(3)).toBe(3);
    expect(workflowIdReusePolicyCodec.encode(undefined)).toBeUndefined();
    expect(parentClosePolicyCodec.encode("PARENT_CLOSE_POLICY_ABANDON")).toBe(2);
    expect(activityCancellationTypeCodec.encode("WAIT_CANCELLATION_COMPLETED")).toBe(1);
    expect(activityCancellationTypeCodec.encode("ABANDON")).toBe(2);
    expect(activityCancellationTypeCodec.encode(0)).toBe(0);
    expect(encodeRetryState("RETRY_STATE_TIMEOUT")).toBe(3);
    expect(encodeTimeoutType("HEARTBEAT")).toBe(4);
    // As official: undefined in, undefined out (the failure converter sends 0, "unspecified").
    expect(encodeRetryState(undefined)).toBeUndefined();
    expect(encodeTimeoutType(undefined)).toBeUndefined();
  });

  test("decoding gives the short name; 0 of an enum with UNSPECIFIED is undefined; an unknown number is unknown_<n>", () => {
    expect(decodeRetryState(4)).toBe("MAXIMUM_ATTEMPTS_REACHED");
    expect(decodeRetryState(0)).toBeUndefined();
    expect(decodeRetryState(42)).toBe("unknown_42" as never);
    expect(activityCancellationTypeCodec.decode(0)).toBe("TRY_CANCEL");
  });

  test("a wrong value is a ValueError naming the option, the accepted names and the value", () => {
    const where = "proxyActivities option cancellationType";
    expect(() => activityCancellationTypeCodec.encode("WAIT_CANCEL", where)).toThrow(
      'proxyActivities option cancellationType: expected one of TRY_CANCEL, WAIT_CANCELLATION_COMPLETED, ABANDON, got "WAIT_CANCEL"',
    );
    expect(() => activityCancellationTypeCodec.encode("WAIT_CANCEL", where)).toThrow(ValueError);
    expect(() => activityCancellationTypeCodec.encode(Number.NaN, where)).toThrow(/got NaN/);
    expect(() => activityCancellationTypeCodec.encode(7, where)).toThrow(/or its proto number\), got 7/);
    expect(() => activityCancellationTypeCodec.encode(true, where)).toThrow(/got boolean true/);
  });

  test("retry policies: the official rules and defaults, and NaN or a wrong type named", () => {
    const compiled = compileRetryPolicy({ maximumAttempts: 3 }, "retry");
    expect(compiled.initialInterval).toMatchObject({ seconds: 1n, nanos: 0 }); // sent explicitly, as official
    expect(compiled.maximumAttempts).toBe(3);
    expect(compileRetryPolicy({ maximumAttempts: Number.POSITIVE_INFINITY }).maximumAttempts).toBe(0);
    expect(() => compileRetryPolicy({ maximumAttempts: 0 }, "retry")).toThrow("retry.maximumAttempts must be a positive integer, got 0");
    expect(() => compileRetryPolicy({ maximumAttempts: 1.5 }, "retry")).toThrow(/must be an integer/);
    expect(() => compileRetryPolicy({ backoffCoefficient: Number.NaN }, "retry")).toThrow("retry.backoffCoefficient: expected a finite number, got number NaN");
    expect(() => compileRetryPolicy({ initialInterval: "2s", maximumInterval: "1s" }, "retry")).toThrow(/cannot be less than its initialInterval/);
    expect(() => compileRetryPolicy({ initialInterval: -5 }, "retry")).toThrow("retry.initialInterval: must not be negative, got number -5");
    expect(() => compileRetryPolicy({ initialInterval: "soon" }, "retry")).toThrow(/retry.initialInterval: Invalid duration string: 'soon'/);
    expect(() => compileRetryPolicy({ maximumAttemps: 3 }, "retry")).toThrow("retry: unknown option 'maximumAttemps' (did you mean 'maximumAttempts'?)");
  });
});

describe("unknown options", () => {
  const shape = { name: "TestOptions (constants.test)", supported: ["workflowId", "taskQueue"], officialOnly: ["versioningOverride"] };

  test("an option nobody knows is a TypeError naming it and where, with a hint", () => {
    expect(() => checkOptions(shape, { workflowIdd: "x" })).toThrow(TypeError);
    expect(() => checkOptions(shape, { workflowIdd: "x" })).toThrow("TestOptions (constants.test): unknown option 'workflowIdd' (did you mean 'workflowId'?)");
    expect(() => checkOptions(shape, { zzz: 1 })).toThrow("TestOptions (constants.test): unknown option 'zzz'");
  });

  test("an official option we do not implement warns once per option and has no effect", () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(checkOptions(shape, { workflowId: "a", versioningOverride: "x" }, warn)).toEqual(["versioningOverride"]);
    expect(checkOptions(shape, { versioningOverride: "y" }, warn)).toEqual(["versioningOverride"]);
    expect(checkOptions(shape, { versioningOverride: undefined }, warn)).toEqual([]);
    expect(warnings).toEqual([
      "TestOptions (constants.test): option 'versioningOverride' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect",
    ]);
  });
});
