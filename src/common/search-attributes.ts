/**
 * Typed search attributes, as in @temporalio/common: a key names an attribute and its
 * type; values travel as `json/plain` payloads whose `type` metadata tells the server the
 * indexed type ("Keyword", "Int", …). They are never passed through payload codecs: the
 * server must read them.
 */
import type { Payload, SearchAttributes as SearchAttributesProto } from "../proto/temporal/api/common/v1/message_pb.js";
import { ValueError } from "./errors.js";

// One definition (./enums.ts), as @temporalio/common's.
export { SearchAttributeType } from "./enums.js";
import { SearchAttributeType } from "./enums.js";

interface ValueOf {
  TEXT: string;
  KEYWORD: string;
  INT: number;
  DOUBLE: number;
  BOOL: boolean;
  DATETIME: Date;
  KEYWORD_LIST: string[];
}
export type SearchAttributeValue<T extends SearchAttributeType> = ValueOf[T];

export interface SearchAttributeKey<T extends SearchAttributeType = SearchAttributeType> {
  name: string;
  type: T;
}

export interface SearchAttributePair<T extends SearchAttributeType = SearchAttributeType> {
  key: SearchAttributeKey<T>;
  value: SearchAttributeValue<T>;
}

export type SearchAttributeUpdatePair<T extends SearchAttributeType = SearchAttributeType> = {
  key: SearchAttributeKey<T>;
  value: SearchAttributeValue<T> | null;
};

export function defineSearchAttributeKey<T extends SearchAttributeType>(name: string, type: T): SearchAttributeKey<T> {
  if (typeof name !== "string" || name === "") throw new TypeError("defineSearchAttributeKey: name must be a non-empty string");
  if (!(type in SearchAttributeType)) throw new TypeError(`defineSearchAttributeKey('${name}'): unknown type '${String(type)}'`);
  return { name, type };
}

/** The server's metadata `type` for each kind (IndexedValueType names). */
const metadataType: Record<SearchAttributeType, string> = {
  TEXT: "Text",
  KEYWORD: "Keyword",
  INT: "Int",
  DOUBLE: "Double",
  BOOL: "Bool",
  DATETIME: "Datetime",
  KEYWORD_LIST: "KeywordList",
};
const typeFromMetadata = new Map<string, SearchAttributeType>(
  Object.entries(metadataType).map(([k, v]) => [v, k as SearchAttributeType]),
);

function checkValue(key: SearchAttributeKey, value: unknown): void {
  const bad = (what: string) => new TypeError(`search attribute '${key.name}' (${key.type}): expected ${what}, got ${describe(value)}`);
  switch (key.type) {
    case "TEXT":
    case "KEYWORD":
      if (typeof value !== "string") throw bad("a string");
      return;
    case "INT":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw bad("a safe integer");
      return;
    case "DOUBLE":
      if (typeof value !== "number" || !Number.isFinite(value)) throw bad("a finite number");
      return;
    case "BOOL":
      if (typeof value !== "boolean") throw bad("a boolean");
      return;
    case "DATETIME":
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw bad("a valid Date");
      return;
    case "KEYWORD_LIST":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw bad("an array of strings");
      return;
  }
}

function describe(v: unknown): string {
  if (v instanceof Date) return "Date";
  if (Array.isArray(v)) return "array";
  return typeof v === "string" ? `'${v}'` : String(v);
}

/** A read-only collection of typed search attributes. */
export class TypedSearchAttributes {
  private readonly pairs: SearchAttributePair[];

  constructor(pairs: SearchAttributePair[] = []) {
    const seen = new Set<string>();
    for (const p of pairs) {
      if (!p || typeof p !== "object" || !p.key) throw new TypeError("typedSearchAttributes: expected { key, value } pairs");
      if (seen.has(p.key.name)) throw new TypeError(`typedSearchAttributes: duplicate key '${p.key.name}'`);
      seen.add(p.key.name);
      checkValue(p.key, p.value);
    }
    this.pairs = pairs.map((p) => ({ key: p.key, value: copy(p.value) }));
  }

  get<T extends SearchAttributeType>(key: SearchAttributeKey<T>): SearchAttributeValue<T> | undefined {
    const p = this.pairs.find((q) => q.key.name === key.name && q.key.type === key.type);
    return p === undefined ? undefined : (copy(p.value) as SearchAttributeValue<T>);
  }

  getAll(): SearchAttributePair[] {
    return this.pairs.map((p) => ({ key: p.key, value: copy(p.value) }));
  }

  /** A copy with these pairs set (`null` removes). */
  updateCopy(updates: SearchAttributeUpdatePair[]): TypedSearchAttributes {
    const map = new Map(this.pairs.map((p) => [p.key.name, p]));
    for (const u of updates) {
      if (u.value === null) map.delete(u.key.name);
      else map.set(u.key.name, u as SearchAttributePair);
    }
    return new TypedSearchAttributes([...map.values()]);
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.pairs.map((p) => [p.key.name, p.value]));
  }
}

function copy<T>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (Array.isArray(v)) return [...v] as T;
  return v;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** One value as the json/plain payload the server indexes. */
export function encodeSearchAttributeValue(key: SearchAttributeKey, value: unknown): Payload {
  checkValue(key, value);
  const json = key.type === "DATETIME" ? JSON.stringify((value as Date).toISOString()) : JSON.stringify(value);
  return {
    $typeName: "temporal.api.common.v1.Payload",
    metadata: { encoding: enc.encode("json/plain"), type: enc.encode(metadataType[key.type]) },
    data: enc.encode(json),
    externalPayloads: [],
  } as Payload;
}

/** The `SearchAttributes` proto fields of these pairs. */
export function encodeSearchAttributes(attrs: SearchAttributePair[] | TypedSearchAttributes): Record<string, Payload> {
  const pairs = attrs instanceof TypedSearchAttributes ? attrs.getAll() : new TypedSearchAttributes(attrs).getAll();
  return Object.fromEntries(pairs.map((p) => [p.key.name, encodeSearchAttributeValue(p.key, p.value)]));
}

/**
 * The untyped (deprecated in the official SDK) form: `{ name: [values] }`, the type taken
 * from the JavaScript value (string → Keyword, integer → Int, number → Double, …).
 */
export function encodeUntypedSearchAttributes(attrs: Record<string, unknown[] | unknown>): Record<string, Payload> {
  const out: Record<string, Payload> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    const values = Array.isArray(raw) ? raw : [raw];
    const first = values[0];
    let key: SearchAttributeKey;
    if (values.length > 1 || (values.length === 1 && typeof first === "string" && Array.isArray(raw) && raw.length > 1)) key = { name, type: "KEYWORD_LIST" };
    else if (typeof first === "string") key = { name, type: "KEYWORD" };
    else if (typeof first === "boolean") key = { name, type: "BOOL" };
    else if (typeof first === "number") key = { name, type: Number.isInteger(first) ? "INT" : "DOUBLE" };
    else if (first instanceof Date) key = { name, type: "DATETIME" };
    else throw new TypeError(`searchAttributes['${name}']: unsupported value ${describe(first)}`);
    out[name] = encodeSearchAttributeValue(key, key.type === "KEYWORD_LIST" ? values : first);
  }
  return out;
}

/** A `json/plain` payload of this JSON text; `type` is the server's metadata type, if any. */
function jsonPayload(json: string, type?: string): Payload {
  const metadata: Record<string, Uint8Array> = { encoding: enc.encode("json/plain") };
  if (type !== undefined) metadata.type = enc.encode(type);
  return { $typeName: "temporal.api.common.v1.Payload", metadata, data: enc.encode(json), externalPayloads: [] } as Payload;
}

/**
 * One value of the untyped (deprecated) form, as @temporalio/common's
 * SearchAttributePayloadConverter: the whole array as JSON, no `type` metadata (the server
 * types it from its registered attributes); an empty array removes the attribute.
 */
function encodeUntypedValue(name: string, values: unknown): Payload {
  if (!Array.isArray(values)) throw new ValueError(`SearchAttribute value must be an array (searchAttributes['${name}'] is ${describe(values)})`);
  if (values.length > 0) {
    const first: unknown = values[0];
    if (typeof first === "object") {
      values.forEach((v, i) => {
        if (!(v instanceof Date)) {
          throw new ValueError(`SearchAttribute values must arrays of strings, numbers, booleans, or Dates. The value ${String(v)} at index ${i} of searchAttributes['${name}'] is of type ${typeof v}`);
        }
      });
    } else {
      if (typeof first !== "string" && typeof first !== "number" && typeof first !== "boolean") {
        throw new ValueError(`SearchAttribute array values must be: string | number | boolean | Date (searchAttributes['${name}'][0] is ${typeof first})`);
      }
      values.forEach((v, i) => {
        if (typeof v !== typeof first) {
          throw new ValueError(
            `All SearchAttribute array values must be of the same type. The first value ${String(first)} of type ${typeof first} doesn't match value ${String(v)} of type ${typeof v} at index ${i} of searchAttributes['${name}']`,
          );
        }
      });
    }
  }
  // JSON.stringify turns Dates into ISO strings, as official.
  return jsonPayload(JSON.stringify(values));
}

/** The official isValidValueForType: what a typed pair's value must be for its key's type. */
export function isValidValueForType(type: SearchAttributeType, value: unknown): boolean {
  switch (type) {
    case "TEXT":
    case "KEYWORD":
      return typeof value === "string";
    case "INT":
      return Number.isInteger(value);
    case "DOUBLE":
      return typeof value === "number";
    case "BOOL":
      return typeof value === "boolean";
    case "DATETIME":
      return value instanceof Date;
    case "KEYWORD_LIST":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    default:
      return false;
  }
}

/**
 * One typed pair as @temporalio/common's TypedSearchAttributePayloadConverter: the value as
 * JSON with the `type` metadata; `null` (removal) as JSON `null` without `type`, because the
 * server only removes an attribute whose payload carries no type.
 */
function encodeTypedValue(key: SearchAttributeKey, value: unknown): Payload {
  if (value === null) return jsonPayload("null");
  if (!isValidValueForType(key.type, value)) {
    throw new ValueError(`Invalid search attribute value ${describe(value)} for given type ${key.type} (key '${key.name}')`);
  }
  return jsonPayload(JSON.stringify(value), metadataType[key.type]);
}

/**
 * The `indexedFields` of a SearchAttributes proto from both forms, as the official
 * encodeUnifiedSearchAttributes (start options, child workflow and continue-as-new options,
 * upserts): the untyped record first, then the typed pairs, which win on a shared name.
 */
export function encodeUnifiedSearchAttributes(
  searchAttributes?: SearchAttributes,
  typedSearchAttributes?: TypedSearchAttributes | SearchAttributeUpdatePair[] | SearchAttributePair[],
): Record<string, Payload> {
  const out: Record<string, Payload> = {};
  if (searchAttributes) {
    for (const [name, values] of Object.entries(searchAttributes)) out[name] = encodeUntypedValue(name, values);
  }
  if (typedSearchAttributes) {
    const pairs: SearchAttributeUpdatePair[] = Array.isArray(typedSearchAttributes) ? typedSearchAttributes : typedSearchAttributes.getAll();
    for (const pair of pairs) {
      if (pair === null || typeof pair !== "object" || pair.key === null || typeof pair.key !== "object" || typeof pair.key.name !== "string") {
        throw new ValueError(`typedSearchAttributes: expected { key: defineSearchAttributeKey(name, type), value } pairs, got ${describe(pair)}`);
      }
      out[pair.key.name] = encodeTypedValue(pair.key, pair.value);
    }
  }
  return out;
}

/** Decodes the server's search attributes into typed pairs (unknown metadata types are skipped). */
export function decodeTypedSearchAttributes(proto: SearchAttributesProto | undefined): TypedSearchAttributes {
  const pairs: SearchAttributePair[] = [];
  for (const [name, payload] of Object.entries(proto?.indexedFields ?? {})) {
    const typeName = payload.metadata.type ? dec.decode(payload.metadata.type) : undefined;
    const type = typeName ? typeFromMetadata.get(typeName) : undefined;
    if (!type || payload.data.length === 0) continue;
    let value: unknown = JSON.parse(dec.decode(payload.data));
    if (value === null) continue;
    if (type === "KEYWORD_LIST") {
      if (!Array.isArray(value)) value = [value];
    } else if (Array.isArray(value)) {
      // Older servers return single values as one-element lists.
      if (value.length !== 1) continue;
      value = value[0];
    }
    if (type === "DATETIME") value = new Date(value as string);
    pairs.push({ key: { name, type }, value: value as never });
  }
  return new TypedSearchAttributes(pairs);
}

/** The untyped form `{ name: [values] }` the official SDK's `searchAttributes` field shows. */
export function decodeUntypedSearchAttributes(proto: SearchAttributesProto | undefined): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const pair of decodeTypedSearchAttributes(proto).getAll()) {
    out[pair.key.name] = Array.isArray(pair.value) ? pair.value : [pair.value];
  }
  return out;
}

/** @deprecated as in the official SDK (use typed search attributes): untyped search attributes, name → array of values. */
export type SearchAttributes = Record<string, string[] | number[] | boolean[] | Date[] | Readonly<string[] | number[] | boolean[] | Date[]> | undefined>;
