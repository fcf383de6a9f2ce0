import { describe, expect, test } from "bun:test";
import {
  argumentsToPayloads,
  arrayFromPayloads,
  BinaryPayloadConverter,
  CompositePayloadConverter,
  defaultPayloadConverter,
  fromPayloadsAtIndex,
  JsonPayloadConverter,
  makePayload,
  mapFromPayloads,
  mapToPayloads,
  PayloadConverterError,
  payloadEncoding,
  toPayloads,
  UndefinedPayloadConverter,
  ValueError,
  type Payload,
} from "../../src/common/index.js";
import { PayloadSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { create } from "@bufbuild/protobuf";

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const roundTrip = (v: unknown): unknown => defaultPayloadConverter.fromPayload(defaultPayloadConverter.toPayload(v));

describe("default payload converter", () => {
  test("undefined ⇄ binary/null with empty data", () => {
    const p = defaultPayloadConverter.toPayload(undefined);
    expect(payloadEncoding(p)).toBe("binary/null");
    expect(p.data.byteLength).toBe(0);
    expect(p.$typeName).toBe("temporal.api.common.v1.Payload");
    expect(defaultPayloadConverter.fromPayload(p)).toBeUndefined();
  });

  test("Uint8Array ⇄ binary/plain, bytes unchanged", () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const p = defaultPayloadConverter.toPayload(bytes);
    expect(payloadEncoding(p)).toBe("binary/plain");
    expect([...p.data]).toEqual([0, 1, 2, 255]);
    expect([...defaultPayloadConverter.fromPayload<Uint8Array>(p)]).toEqual([0, 1, 2, 255]);
  });

  test("Buffer goes to binary/plain too", () => {
    expect(payloadEncoding(defaultPayloadConverter.toPayload(Buffer.from("hi")))).toBe("binary/plain");
  });

  test("JSON values ⇄ json/plain with the exact JSON text", () => {
    const value = { a: 1, b: "x", c: [true, null, 2.5], d: { e: "ü" } };
    const p = defaultPayloadConverter.toPayload(value);
    expect(payloadEncoding(p)).toBe("json/plain");
    expect(text(p.data)).toBe(JSON.stringify(value));
    expect(roundTrip(value)).toEqual(value);
    for (const v of [null, 0, -1.5, "", "str", false, [], {}]) expect(roundTrip(v)).toEqual(v);
  });

  test("JSON keeps JSON's own conversions: Date → ISO string, undefined props omitted, undefined in arrays → null", () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(roundTrip({ d })).toEqual({ d: d.toISOString() });
    expect(roundTrip({ a: 1, b: undefined })).toEqual({ a: 1 });
    expect(roundTrip([1, undefined, 3])).toEqual([1, null, 3]);
    // Shared (non-cyclic) references are fine: JSON writes them twice.
    const shared = { x: 1 };
    expect(roundTrip({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  test.each([
    ["BigInt", 10n, /BigInt at \$/],
    ["nested BigInt", { a: { b: [1, 2n] } }, /BigInt at \$\.a\.b\[1\]/],
    ["function property", { f: () => 1 }, /function at \$\.f/],
    ["symbol in array", [Symbol("s")], /symbol at \$\[0\]/],
    ["Map", { m: new Map([[1, 2]]) }, /Map at \$\.m/],
    ["Set", new Set([1]), /Set at \$/],
    ["nested Uint8Array", { bytes: new Uint8Array([1]) }, /Uint8Array at \$\.bytes/],
    ["odd key", { "a b": 1n }, /BigInt at \$\["a b"\]/],
  ])("refuses %s with a PayloadConverterError naming the path", (_name, value, message) => {
    let caught: unknown;
    try {
      defaultPayloadConverter.toPayload(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PayloadConverterError);
    expect(caught).toBeInstanceOf(ValueError);
    expect((caught as Error).message).toMatch(message);
  });

  test("refuses cyclic objects", () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(() => defaultPayloadConverter.toPayload(a)).toThrow(/cyclic reference at \$\.self\.back/);
  });

  test("a top-level function is refused, not silently dropped", () => {
    expect(() => defaultPayloadConverter.toPayload(() => 1)).toThrow(PayloadConverterError);
  });

  test("reading: unknown encoding, missing encoding, bad JSON", () => {
    expect(() => defaultPayloadConverter.fromPayload(makePayload("text/weird", new Uint8Array()))).toThrow(/Unknown payload encoding 'text\/weird'/);
    expect(() => defaultPayloadConverter.fromPayload(create(PayloadSchema, { data: new Uint8Array([1]) }))).toThrow(/no 'encoding' metadata/);
    expect(() => defaultPayloadConverter.fromPayload(makePayload("json/plain", new TextEncoder().encode("{nope")))).toThrow(/not valid JSON/);
  });

  test("a protobuf payload read without schemas says to pass them", () => {
    const p = makePayload("json/protobuf", new TextEncoder().encode("{}"), { messageType: new TextEncoder().encode("foo.Bar") });
    expect(() => defaultPayloadConverter.fromPayload(p)).toThrow(/message 'foo.Bar'.*DefaultPayloadConverterWithProtobufs/);
  });
});

describe("composite converter", () => {
  test("first converter that accepts wins; reading dispatches on encoding", () => {
    const upper = {
      encodingType: "text/upper",
      toPayload: (v: unknown) => (typeof v === "string" ? makePayload("text/upper", new TextEncoder().encode(v.toUpperCase())) : undefined),
      fromPayload: <T>(p: Payload) => text(p.data)!.toLowerCase() as T,
    };
    const c = new CompositePayloadConverter(new UndefinedPayloadConverter(), upper, new JsonPayloadConverter());
    const p = c.toPayload("hello");
    expect(payloadEncoding(p)).toBe("text/upper");
    expect(text(p.data)).toBe("HELLO");
    expect(c.fromPayload(p)).toBe("hello");
    expect(payloadEncoding(c.toPayload(5))).toBe("json/plain");
  });

  test("no converter accepts → ValueError listing the encodings tried", () => {
    const c = new CompositePayloadConverter(new BinaryPayloadConverter());
    expect(() => c.toPayload("x")).toThrow(/tried binary\/plain/);
  });
});

describe("argument helpers", () => {
  test("toPayloads: undefined for no values; payload per value", () => {
    expect(toPayloads(defaultPayloadConverter)).toBeUndefined();
    const ps = toPayloads(defaultPayloadConverter, 1, "a", undefined)!;
    expect(ps.map(payloadEncoding)).toEqual(["json/plain", "json/plain", "binary/null"]);
    expect(arrayFromPayloads(defaultPayloadConverter, ps)).toEqual([1, "a", undefined]);
  });

  test("errors name the argument index", () => {
    expect(() => toPayloads(defaultPayloadConverter, 1, 2, 3n)).toThrow(/^argument 2: cannot convert to a payload: cannot convert to JSON: BigInt at \$/);
    expect(() => argumentsToPayloads(defaultPayloadConverter, ["ok", { n: 1n }], "signal 'x'")).toThrow(/^argument 1 of signal 'x': .*BigInt at \$\.n/);
  });

  test("fromPayloadsAtIndex: value, undefined past the end, error naming the index", () => {
    const ps = toPayloads(defaultPayloadConverter, "a", "b")!;
    expect(fromPayloadsAtIndex<string>(defaultPayloadConverter, 1, ps)).toBe("b");
    expect(fromPayloadsAtIndex(defaultPayloadConverter, 5, ps)).toBeUndefined();
    expect(fromPayloadsAtIndex(defaultPayloadConverter, 0, undefined)).toBeUndefined();
    const bad = [...ps, makePayload("nope/nope", new Uint8Array())];
    expect(() => fromPayloadsAtIndex(defaultPayloadConverter, 2, bad, "query 'q'")).toThrow(/^argument 2 of query 'q': cannot convert from a payload: Unknown payload encoding/);
  });

  test("map helpers name the key", () => {
    const m = mapToPayloads(defaultPayloadConverter, { a: 1, b: "x" });
    expect(mapFromPayloads(defaultPayloadConverter, m)).toEqual({ a: 1, b: "x" });
    expect(() => mapToPayloads(defaultPayloadConverter, { good: 1, bad: 2n }, "memo field")).toThrow(/^memo field 'bad'/);
  });
});

describe("values from another realm (the workflow sandbox)", () => {
  const { runInNewContext } = require("node:vm") as typeof import("node:vm");

  test("a Uint8Array made in a vm context is binary/plain", () => {
    const foreign = runInNewContext("new Uint8Array([7, 8, 9])") as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    const p = defaultPayloadConverter.toPayload(foreign);
    expect(payloadEncoding(p)).toBe("binary/plain");
    expect([...p.data]).toEqual([7, 8, 9]);
  });

  test("a Map made in a vm context is still refused", () => {
    const foreign = runInNewContext("({ m: new Map([[1, 2]]) })");
    expect(() => defaultPayloadConverter.toPayload(foreign)).toThrow(/Map at \$\.m/);
  });
});
