/**
 * Search attribute encoding and the TypedSearchAttributes class, compared with what
 * @temporalio/common 1.24 gives for the same inputs (recorded from the official package:
 * encodeUnifiedSearchAttributes, decodeSearchAttributes, decodeTypedSearchAttributes,
 * TypedSearchAttributes.getKeyFromUntyped / get / updateCopy / toJSON).
 */
import { describe, expect, test } from "bun:test";
import vm from "node:vm";
import {
  TypedSearchAttributes,
  ValueError,
  decodeTypedSearchAttributes,
  decodeUntypedSearchAttributes,
  encodeUnifiedSearchAttributes,
  type SearchAttributeKey,
} from "../../src/common/index.js";
import type { Payload, SearchAttributes as SearchAttributesProto } from "../../src/proto/temporal/api/common/v1/message_pb.js";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

/** A payload as { metadata as text, data as text }. */
function show(fields: Record<string, Payload>) {
  return Object.fromEntries(
    Object.entries(fields).map(([k, p]) => [k, { md: Object.fromEntries(Object.entries(p.metadata).map(([a, b]) => [a, text(b)])), data: text(p.data) }]),
  );
}

function proto(fields: Record<string, { type?: string; data: string }>): SearchAttributesProto {
  const indexedFields: Record<string, Payload> = {};
  for (const [k, f] of Object.entries(fields)) {
    const metadata: Record<string, Uint8Array> = { encoding: bytes("json/plain") };
    if (f.type) metadata.type = bytes(f.type);
    indexedFields[k] = { metadata, data: bytes(f.data), externalPayloads: [] } as unknown as Payload;
  }
  return { indexedFields } as SearchAttributesProto;
}

const date = new Date("2024-01-02T03:04:05.000Z");
const key = <T extends SearchAttributeKey["type"]>(name: string, type: T) => ({ name, type });

describe("encodeUnifiedSearchAttributes", () => {
  test("the official bytes: untyped arrays without type metadata, typed values with it, typed null without, typed wins in place", () => {
    const got = encodeUnifiedSearchAttributes({ A: ["x"], B: [1, 2], C: [date], D: [], E: [true] }, [
      { key: key("K", "KEYWORD"), value: "v" },
      { key: key("I", "INT"), value: 3 },
      { key: key("T", "DATETIME"), value: date },
      { key: key("L", "KEYWORD_LIST"), value: ["a", "b"] },
      { key: key("N", "DOUBLE"), value: 1.5 },
      { key: key("R", "BOOL"), value: null },
      { key: key("A", "TEXT"), value: "typed wins" },
    ]);
    // Recorded from @temporalio/common 1.24 (JSON.stringify of the same view).
    const official =
      '{"A":{"md":{"encoding":"json/plain","type":"Text"},"data":"\\"typed wins\\""},"B":{"md":{"encoding":"json/plain"},"data":"[1,2]"},"C":{"md":{"encoding":"json/plain"},"data":"[\\"2024-01-02T03:04:05.000Z\\"]"},"D":{"md":{"encoding":"json/plain"},"data":"[]"},"E":{"md":{"encoding":"json/plain"},"data":"[true]"},"K":{"md":{"encoding":"json/plain","type":"Keyword"},"data":"\\"v\\""},"I":{"md":{"encoding":"json/plain","type":"Int"},"data":"3"},"T":{"md":{"encoding":"json/plain","type":"Datetime"},"data":"\\"2024-01-02T03:04:05.000Z\\""},"L":{"md":{"encoding":"json/plain","type":"KeywordList"},"data":"[\\"a\\",\\"b\\"]"},"N":{"md":{"encoding":"json/plain","type":"Double"},"data":"1.5"},"R":{"md":{"encoding":"json/plain"},"data":"null"}}';
    expect(JSON.stringify(show(got))).toBe(official);
  });

  test("a TypedSearchAttributes is encoded by its pairs", () => {
    const t = new TypedSearchAttributes([{ key: key("K", "KEYWORD"), value: "v" }]);
    expect(show(encodeUnifiedSearchAttributes(undefined, t))).toEqual({ K: { md: { encoding: "json/plain", type: "Keyword" }, data: '"v"' } });
  });

  test("Dates of another realm (workflow code) are Dates", () => {
    const foreign = vm.runInNewContext('new Date("2024-01-02T03:04:05.000Z")') as Date;
    expect(foreign instanceof Date).toBe(false);
    expect(show(encodeUnifiedSearchAttributes({ C: [foreign] }, [{ key: key("T", "DATETIME"), value: foreign }]))).toEqual({
      C: { md: { encoding: "json/plain" }, data: '["2024-01-02T03:04:05.000Z"]' },
      T: { md: { encoding: "json/plain", type: "Datetime" }, data: '"2024-01-02T03:04:05.000Z"' },
    });
  });

  test("bad values: ValueErrors with the official text and the attribute's name", () => {
    const cases: [Parameters<typeof encodeUnifiedSearchAttributes>, string][] = [
      [[{ X: "notarray" } as never], "SearchAttribute value must be an array (searchAttributes['X'] is 'notarray')"],
      [[{ X: undefined }], "SearchAttribute value must be an array (searchAttributes['X'] is undefined)"],
      [
        [{ X: [{}] } as never],
        "SearchAttribute values must arrays of strings, numbers, booleans, or Dates. The value [object Object] at index 0 of searchAttributes['X'] is of type object",
      ],
      [
        [{ X: [1, "a"] } as never],
        "All SearchAttribute array values must be of the same type. The first value 1 of type number doesn't match value a of type string at index 1 of searchAttributes['X']",
      ],
      [[undefined, [{ key: key("I", "INT"), value: 1.5 }]], "Invalid search attribute value 1.5 for given type INT (key 'I')"],
      [[undefined, [{ key: key("I", "FOO" as never), value: 1 }]], "Invalid search attribute value 1 for given type FOO (key 'I')"],
    ];
    for (const [args, message] of cases) {
      let err: unknown;
      try {
        encodeUnifiedSearchAttributes(...args);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValueError);
      expect((err as Error).message).toBe(message);
    }
  });
});

describe("decoding", () => {
  const fields = proto({
    U: { data: '["a","b"]' },
    K: { type: "Keyword", data: '"k"' },
    Dt: { type: "Datetime", data: '"2024-01-02T03:04:05.000Z"' },
    E: { data: "[]" },
    One: { type: "Int", data: "[5]" },
    Two: { type: "Int", data: "[5,6]" },
    Enum: { type: "INDEXED_VALUE_TYPE_KEYWORD_LIST", data: '["x"]' },
    Bad: { type: "Bool", data: "not json" },
    Removed: { type: "Bool", data: "null" },
  });

  // As official, except `Bad` (not JSON), on which the official decoder throws.
  test("untyped: every payload as an array, Datetime as Dates, empty arrays left out (official decodeSearchAttributes)", () => {
    const got = decodeUntypedSearchAttributes(fields);
    expect(got).toEqual({ U: ["a", "b"], K: ["k"], Dt: [date], One: [5], Two: [5, 6], Enum: ["x"], Bad: [undefined], Removed: [null] });
  });

  test("typed: only payloads with a known type and a valid value (official decodeTypedSearchAttributes)", () => {
    expect(decodeTypedSearchAttributes(fields).getAll()).toEqual([
      { key: { name: "K", type: "KEYWORD" }, value: "k" },
      { key: { name: "Dt", type: "DATETIME" }, value: date },
      { key: { name: "One", type: "INT" }, value: 5 },
      { key: { name: "Enum", type: "KEYWORD_LIST" }, value: ["x"] },
    ]);
  });
});

describe("TypedSearchAttributes", () => {
  const kw = key("K", "KEYWORD");
  const tx = key("K", "TEXT");
  const int = key("I", "INT");

  test("get answers for any key type the value is valid for; invalid values are kept hidden; toJSON is the pair list", () => {
    const t = new TypedSearchAttributes([
      { key: tx, value: "s" },
      { key: int, value: "bad" as never },
    ]);
    expect([t.get(kw), t.get(tx), t.get(int)]).toEqual(["s", "s", undefined]);
    expect(t.getAll()).toEqual([{ key: { name: "K", type: "TEXT" }, value: "s" }]);
    expect(JSON.stringify(t)).toBe('[{"key":{"name":"K","type":"TEXT"},"value":"s"}]');
  });

  test("updateCopy: null removes only a pair of the same type; the original is unchanged", () => {
    const t = new TypedSearchAttributes([{ key: tx, value: "s" }]);
    expect(t.updateCopy([{ key: kw, value: null }]).getAll()).toEqual([{ key: tx, value: "s" }]);
    expect(t.updateCopy([{ key: tx, value: null }]).getAll()).toEqual([]);
    expect(t.updateCopy([{ key: int, value: 1 }]).get(int)).toBe(1);
    expect(t.get(int)).toBeUndefined();
  });

  test("a duplicate key is an error with the official message", () => {
    expect(() => new TypedSearchAttributes([
      { key: kw, value: "a" },
      { key: kw, value: "b" },
    ])).toThrow("Duplicate search attribute key: K");
  });

  test("getKeyFromUntyped infers the official types", () => {
    const cases: [unknown, string | undefined][] = [
      [["x"], "TEXT"],
      [["2024-01-02T03:04:05.000Z"], "DATETIME"],
      [["2024-01-02"], "DATETIME"],
      [[3], "INT"],
      [[1.5], "DOUBLE"],
      [[true], "BOOL"],
      [[date], "DATETIME"],
      [["a", "b"], "KEYWORD_LIST"],
      [[1, 2], undefined],
      [[], "KEYWORD_LIST"],
      [undefined, undefined],
      [[null], undefined],
    ];
    for (const [value, type] of cases) {
      expect([value, TypedSearchAttributes.getKeyFromUntyped("K", value as never)?.type]).toEqual([value, type]);
    }
  });

  test("toMetadataType / toSearchAttributeType", () => {
    expect(TypedSearchAttributes.toMetadataType("KEYWORD_LIST")).toBe("KeywordList");
    expect(() => TypedSearchAttributes.toMetadataType("toString" as never)).toThrow("Unknown search attribute type: toString");
    expect(TypedSearchAttributes.toSearchAttributeType("Datetime")).toBe("DATETIME");
    expect(TypedSearchAttributes.toSearchAttributeType("INDEXED_VALUE_TYPE_INT")).toBe("INT");
    expect(TypedSearchAttributes.toSearchAttributeType("Nope")).toBeUndefined();
  });
});
