/**
 * Small pure helpers exported under their official names, compared with the results of
 * @temporalio/common 1.24 on the same inputs (recorded from the official package).
 */
import { describe, expect, test } from "bun:test";
import * as client from "../../src/client/index.js";
import * as common from "../../src/common/index.js";
import * as worker from "../../src/worker/index.js";
import * as workflow from "../../src/workflow/index.js";

describe("official helpers", () => {
  test("errorMessage: an Error-like's message, a string itself, else undefined", () => {
    const stackNotString = { name: "N", message: "m", stack: 5 };
    const got = [new Error("boom"), "s", { message: "m" }, { name: "N", message: "m" }, stackNotString, 42, undefined, null].map(common.errorMessage);
    expect(got).toEqual(["boom", "s", undefined, "m", undefined, undefined, undefined, undefined]);
  });

  test("errorCode: a string `code`, else undefined", () => {
    const got = [{ code: "ENOENT" }, { code: 5 }, "x", null, Object.assign(new Error("x"), { code: "E" })].map(common.errorCode);
    expect(got).toEqual(["ENOENT", undefined, undefined, undefined, "E"]);
  });

  test("u8 / str are UTF-8", () => {
    expect([...common.u8("héllo")]).toEqual([104, 195, 169, 108, 108, 111]);
    expect(common.str(new Uint8Array([104, 195, 169]))).toBe("hé");
  });

  test("extractWorkflowType: a string, or a function's name; TypeError otherwise", () => {
    async function myWf(): Promise<void> {}
    for (const m of [common, client, workflow]) {
      expect(m.extractWorkflowType("T")).toBe("T");
      expect(m.extractWorkflowType(myWf)).toBe("myWf");
    }
    const anonymous = Object.defineProperty(() => undefined, "name", { value: "" });
    expect(() => common.extractWorkflowType(anonymous)).toThrow(new TypeError("Invalid workflow type: the workflow function is anonymous"));
    expect(() => common.extractWorkflowType(5 as never)).toThrow(new TypeError("Invalid workflow type: expected either a string or a function, got 'number'"));
    expect(() => common.extractWorkflowType(null as never)).toThrow(new TypeError("Invalid workflow type: expected either a string or a function, got 'object'"));
  });

  test("decodePriority copies the fields, null → undefined", () => {
    const none = { priorityKey: undefined, fairnessKey: undefined, fairnessWeight: undefined };
    expect(common.decodePriority(undefined)).toStrictEqual(none);
    expect(common.decodePriority(null)).toStrictEqual(none);
    expect(common.decodePriority({ priorityKey: null })).toStrictEqual(none);
    expect(common.decodePriority({ priorityKey: 3, fairnessKey: "k", fairnessWeight: 1.5 })).toStrictEqual({ priorityKey: 3, fairnessKey: "k", fairnessWeight: 1.5 });
  });

  test("decompileRetryPolicy: intervals back to ms; undefined for none", () => {
    expect(common.decompileRetryPolicy(undefined)).toBeUndefined();
    expect(common.decompileRetryPolicy(null)).toBeUndefined();
    const proto = { initialInterval: { seconds: 1n, nanos: 500_000_000 }, backoffCoefficient: 2, maximumInterval: { seconds: 100n, nanos: 0 }, maximumAttempts: 5, nonRetryableErrorTypes: ["A"] };
    expect(common.decompileRetryPolicy(proto)).toStrictEqual({ backoffCoefficient: 2, maximumAttempts: 5, maximumInterval: 100_000, initialInterval: 1500, nonRetryableErrorTypes: ["A"] });
    expect(common.decompileRetryPolicy({})).toStrictEqual({
      backoffCoefficient: undefined,
      maximumAttempts: undefined,
      maximumInterval: undefined,
      initialInterval: undefined,
      nonRetryableErrorTypes: undefined,
    });
    // Round trip with compileRetryPolicy.
    const policy = { initialInterval: "2s", backoffCoefficient: 3, maximumInterval: "1m", maximumAttempts: 4, nonRetryableErrorTypes: ["X"] };
    expect(common.decompileRetryPolicy(common.compileRetryPolicy(policy))).toEqual({ ...policy, initialInterval: 2000, maximumInterval: 60_000 });
  });

  test("toCanonicalString is deploymentName.buildId", () => {
    expect(common.toCanonicalString({ deploymentName: "dep", buildId: "b1" })).toBe("dep.b1");
  });

  test("defaultDataConverter is the default converters, loaded, with no codec", async () => {
    const dc = common.defaultDataConverter;
    expect(Object.keys(dc).sort()).toEqual(["failureConverter", "payloadCodecs", "payloadConverter"]);
    expect(dc.payloadConverter).toBe(common.defaultPayloadConverter);
    expect(dc.failureConverter).toBe(common.defaultFailureConverter);
    expect(dc.payloadCodecs).toEqual([]);
    expect(worker.defaultPayloadConverter).toBe(common.defaultPayloadConverter);
    const payload = dc.payloadConverter.toPayload({ a: 1 });
    expect(dc.payloadConverter.fromPayload(payload!)).toEqual({ a: 1 });
  });
});

describe("typed search attributes from /common", () => {
  test("are /client's (one definition), and behave as official for get / updateCopy", () => {
    expect(common.TypedSearchAttributes).toBe(client.TypedSearchAttributes);
    expect(common.defineSearchAttributeKey).toBe(client.defineSearchAttributeKey);
    const key = common.defineSearchAttributeKey("CustomKeywordField", "KEYWORD");
    expect(key).toEqual({ name: "CustomKeywordField", type: "KEYWORD" });
    const attrs = new common.TypedSearchAttributes([{ key, value: "a" }]);
    expect(attrs.get(key)).toBe("a");
    expect(attrs.updateCopy([{ key, value: null }]).get(key)).toBeUndefined();
    expect(attrs.get(key)).toBe("a");
  });
});

describe("encodingKeys and makeTelemetryFilterString", () => {
  test("encodingKeys are the encodings' UTF-8 bytes", () => {
    expect(Object.keys(common.encodingKeys)).toEqual(Object.keys(common.encodingTypes));
    for (const [k, v] of Object.entries(common.encodingKeys)) expect(new TextDecoder().decode(v)).toBe(common.encodingTypes[k as keyof typeof common.encodingTypes]);
    expect([...common.encodingKeys.METADATA_ENCODING_JSON]).toEqual([106, 115, 111, 110, 47, 112, 108, 97, 105, 110]);
  });

  test("makeTelemetryFilterString gives the official string", () => {
    expect(worker.makeTelemetryFilterString({ core: "DEBUG" })).toBe("ERROR,temporalio_sdk_core=DEBUG,temporalio_client=DEBUG,temporalio_common=DEBUG");
    expect(worker.makeTelemetryFilterString({ core: "TRACE", other: "WARN" })).toBe("WARN,temporalio_sdk_core=TRACE,temporalio_client=TRACE,temporalio_common=TRACE");
  });
});

describe("LoggerWithComposedMetadata", () => {
  test("adds static and computed metadata as the official class does (results recorded from it)", () => {
    const out: unknown[] = [];
    const rec = (l: string) => (m: string, meta?: unknown) => void out.push([l, m, meta]);
    const base: common.Logger = { log: (lv, m, meta) => void out.push([`log:${lv}`, m, meta]), trace: rec("trace"), debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
    expect(common.LoggerWithComposedMetadata.compose(base, {})).toBe(base);
    let n = 0;
    const a = common.LoggerWithComposedMetadata.compose(base, { a: 1, b: 2 });
    const b = common.LoggerWithComposedMetadata.compose(a, { b: undefined, c: 3 });
    const c = common.LoggerWithComposedMetadata.compose(b, () => ({ n: ++n, c: null }));
    const d = common.LoggerWithComposedMetadata.compose(c, { e: 5 });
    expect(d).toBeInstanceOf(common.LoggerWithComposedMetadata);
    expect(common.LoggerWithComposedMetadata.compose(a, { a: 1 })).not.toBe(a);
    a.info("m1", { x: 1 });
    b.warn("m2");
    c.debug("m3", { a: null });
    c.debug("m3b");
    d.error("m4", { e: 6 });
    d.log("TRACE", "m5", { [Symbol.for("s")]: 1, z: undefined });
    d.trace("m6");
    expect(out).toEqual([
      ["info", "m1", { a: 1, b: 2, x: 1 }],
      ["warn", "m2", { a: 1, c: 3 }],
      ["debug", "m3", { n: 1 }],
      ["debug", "m3b", { a: 1, n: 2 }],
      ["error", "m4", { a: 1, n: 3, e: 6 }],
      ["log:TRACE", "m5", { a: 1, n: 4, e: 5 }],
      ["trace", "m6", { a: 1, n: 5, e: 5 }],
    ]);
  });
});

describe("RawValue", () => {
  test("its payload bypasses the payload converters (as official), whatever converter made it", () => {
    const json = common.defaultPayloadConverter.toPayload({ a: 1 });
    expect(new common.RawValue({ a: 1 }).payload).toEqual(json);
    // Made by another converter: the default converter sends that payload as is.
    const binary = new common.BinaryPayloadConverter().toPayload(new Uint8Array([1, 2]))!;
    const raw = new common.RawValue(new Uint8Array([1, 2]), { toPayload: () => binary, fromPayload: () => undefined as never });
    expect(common.defaultPayloadConverter.toPayload(raw)).toBe(binary);
    expect(new common.DefaultPayloadConverterWithProtobufs({ registry: [] }).toPayload(raw)).toBe(binary);
    expect(common.toPayloads(common.defaultPayloadConverter, "x", raw)![1]).toBe(binary);
    expect(common.RawValue.fromPayload(json).payload).toBe(json);
    // And the payload reads back as the value it was made from.
    expect(common.defaultPayloadConverter.fromPayload(new common.RawValue("s").payload)).toBe("s");
  });

  test("instanceof matches a RawValue made by another copy of the module (a workflow bundle's)", () => {
    const foreign = Object.create(Object.defineProperty({}, Symbol.for("__temporal_bun_sdk_isRawValue"), { value: true }));
    expect(foreign instanceof common.RawValue).toBe(true);
    expect({} instanceof common.RawValue).toBe(false);
  });
});

describe("createPayloadValidationError, convertDeploymentVersion, convertOptionalToPayload", () => {
  test("answer as the official ones", () => {
    const f = common.createPayloadValidationError({ why: "x" });
    expect([f.name, f.message, f.type, f.nonRetryable, f.details, f instanceof common.ApplicationFailure]).toEqual([
      "ApplicationFailure",
      "Payload validation failed",
      "PayloadValidationError",
      true,
      [{ why: "x" }],
      true,
    ]);
    expect(common.createPayloadValidationError(null).details).toEqual([]);
    expect(common.convertDeploymentVersion({ buildId: "b", deploymentName: "d" })).toEqual({ buildId: "b", deploymentName: "d" });
    expect(common.convertDeploymentVersion({ buildId: "b" })).toEqual({ buildId: "b", deploymentName: "" });
    expect(common.convertDeploymentVersion({ buildId: "" })).toBeUndefined();
    expect(common.convertDeploymentVersion(null)).toBeUndefined();
    expect(common.convertOptionalToPayload(common.defaultPayloadConverter, null)).toBeNull();
    expect(common.convertOptionalToPayload(common.defaultPayloadConverter, undefined)).toBeUndefined();
    expect(common.convertOptionalToPayload(common.defaultPayloadConverter, 7)).toEqual(common.defaultPayloadConverter.toPayload(7));
  });
});
