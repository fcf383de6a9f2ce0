/**
 * Search attributes, as in @temporalio/common: a typed key names an attribute and its type;
 * typed values travel as `json/plain` payloads whose `type` metadata tells the server the
 * indexed type ("Keyword", "Int", …), values of the untyped (deprecated) record form as JSON
 * arrays without it (the server types them from the registered attribute). They never pass
 * through payload converters or codecs: the server must read them.
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
/** The value type of a typed key of type T (the official SDK's internal IndexedValueTypeMapping[T]). */
export type TypedSearchAttributeValueOf<T extends SearchAttributeType> = ValueOf[T];

export interface SearchAttributeKey<T extends SearchAttributeType = SearchAttributeType> {
  name: string;
  type: T;
}

export interface SearchAttributePair<T extends SearchAttributeType = SearchAttributeType> {
  key: SearchAttributeKey<T>;
  value: TypedSearchAttributeValueOf<T>;
}

export type SearchAttributeUpdatePair<T extends SearchAttributeType = SearchAttributeType> = {
  key: SearchAttributeKey<T>;
  value: TypedSearchAttributeValueOf<T> | null;
};

export function defineSearchAttributeKey<T extends SearchAttributeType>(name: string, type: T): SearchAttributeKey<T> {
  if (typeof name !== "string" || name === "") throw new TypeError("defineSearchAttributeKey: name must be a non-empty string");
  if (typeof type !== "string" || !Object.hasOwn(SearchAttributeType, type)) throw new TypeError(`defineSearchAttributeKey('${name}'): unknown type '${String(type)}'`);
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
// The server's PascalCase names, and (rarely seen) the IndexedValueType enum names, as official.
const typeFromMetadata = new Map<string, SearchAttributeType>(
  Object.entries(metadataType).flatMap(([k, v]) => [
    [v, k as SearchAttributeType],
    [`INDEXED_VALUE_TYPE_${k}`, k as SearchAttributeType],
  ]),
);

/**
 * Whether `v` is a Date of any realm: workflow code runs in its own realm (a vm context) and
 * hands this module its own Dates, which `instanceof Date` here would not recognise.
 */
function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === "[object Date]";
}

function describe(v: unknown): string {
  if (isDate(v)) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (Array.isArray(v)) return "array";
  return typeof v === "string" ? `'${v}'` : String(v);
}

/**
 * A read-only collection of typed search attributes, with the semantics of the official class:
 * `get` answers when the stored value is valid for the asked key's type (a KEYWORD key reads a
 * value stored as TEXT), `updateCopy` removes (`null`) only a pair of the same type, and
 * `toJSON` is the pair list (what a workflow returning `workflowInfo()` puts into history).
 */
export class TypedSearchAttributes {
  private readonly pairs: Map<string, SearchAttributePair>;

  constructor(pairs: SearchAttributePair[] = []) {
    this.pairs = new Map();
    if (!Array.isArray(pairs)) throw new TypeError(`typedSearchAttributes: expected an array of { key, value } pairs, got ${describe(pairs)}`);
    for (const p of pairs) {
      if (!p || typeof p !== "object" || !p.key || typeof p.key.name !== "string") throw new TypeError("typedSearchAttributes: expected { key, value } pairs");
      if (this.pairs.has(p.key.name)) throw new TypeError(`Duplicate search attribute key: ${p.key.name}`);
      // A value invalid for its type is kept but never shown (get / getAll skip it), as official;
      // encoding it (start options, upserts) is the ValueError.
      this.pairs.set(p.key.name, { key: { name: p.key.name, type: p.key.type }, value: copy(p.value) });
    }
  }

  get<T extends SearchAttributeType>(key: SearchAttributeKey<T>): TypedSearchAttributeValueOf<T> | undefined {
    const p = this.pairs.get(key.name);
    return p === undefined || !isValidValueForType(key.type, p.value) ? undefined : (copy(p.value) as TypedSearchAttributeValueOf<T>);
  }

  getAll(): SearchAttributePair[] {
    return [...this.pairs.values()].filter((p) => isValidValueForType(p.key.type, p.value)).map((p) => ({ key: { ...p.key }, value: copy(p.value) }));
  }

  /** A deep copy. */
  copy(): TypedSearchAttributes {
    return new TypedSearchAttributes(this.getAll());
  }

  /** A copy with these pairs set; `null` removes the pair of that name if its type is the key's. */
  updateCopy(updates: SearchAttributeUpdatePair[]): TypedSearchAttributes {
    const map = new Map(this.pairs);
    for (const u of updates) {
      if (u.value === null) {
        if (map.get(u.key.name)?.key.type === u.key.type) map.delete(u.key.name);
      } else {
        map.set(u.key.name, u as SearchAttributePair);
      }
    }
    return new TypedSearchAttributes([...map.values()]);
  }

  toJSON(): SearchAttributePair[] {
    return this.getAll();
  }

  /**
   * The typed key an untyped value implies, as official (used by legacy upserts): an ISO date
   * string or a Date is DATETIME, another string TEXT, an integer INT, a number DOUBLE, an array
   * of strings KEYWORD_LIST; undefined when none fits.
   */
  static getKeyFromUntyped(key: string, value: SearchAttributes[string]): SearchAttributeKey | undefined {
    if (value === null || value === undefined) return undefined;
    const val: unknown = value.length === 1 ? value[0] : value;
    switch (typeof val) {
      case "string": {
        const ms = Date.parse(val);
        return { name: key, type: !Number.isNaN(ms) && ms === new Date(val).getTime() ? "DATETIME" : "TEXT" };
      }
      case "number":
        return { name: key, type: Number.isInteger(val) ? "INT" : "DOUBLE" };
      case "boolean":
        return { name: key, type: "BOOL" };
      case "object":
        if (isDate(val)) return { name: key, type: "DATETIME" };
        if (Array.isArray(val) && val.every((v) => typeof v === "string")) return { name: key, type: "KEYWORD_LIST" };
        return undefined;
      default:
        return undefined;
    }
  }

  /** The server's metadata `type` of a search attribute type ("Keyword", …). */
  static toMetadataType(type: SearchAttributeType): string {
    const name = Object.hasOwn(metadataType, type) ? metadataType[type] : undefined;
    if (name === undefined) throw new Error(`Unknown search attribute type: ${String(type)}`);
    return name;
  }

  /** The search attribute type of a metadata `type` (PascalCase or INDEXED_VALUE_TYPE_*), else undefined. */
  static toSearchAttributeType(type: string): SearchAttributeType | undefined {
    return typeFromMetadata.get(type);
  }
}

function copy<T>(v: T): T {
  // Same realm as the original (a workflow's Date stays one).
  if (isDate(v)) return (typeof v.constructor === "function" ? new (v.constructor as DateConstructor)(v.getTime()) : new Date(v.getTime())) as T;
  if (Array.isArray(v)) return [...v] as T;
  return v;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

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
        if (!isDate(v)) {
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
      return isDate(value);
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
  return jsonPayload(JSON.stringify(value), TypedSearchAttributes.toMetadataType(key.type));
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
    // As official: a payload without `type` metadata (the untyped form) has no typed value.
    const typeName = payload.metadata.type ? dec.decode(payload.metadata.type) : undefined;
    const type = typeName ? typeFromMetadata.get(typeName) : undefined;
    if (!type) continue;
    let value = parseJson(payload);
    if (type !== "KEYWORD_LIST" && Array.isArray(value)) {
      // Older servers (and the untyped form) store single values as one-element lists.
      if (value.length > 1) continue;
      value = value[0];
    }
    if (type === "DATETIME" && value) value = new Date(value as string);
    if (isValidValueForType(type, value)) pairs.push({ key: { name, type }, value: value as never });
  }
  return new TypedSearchAttributes(pairs);
}

/**
 * The untyped form `{ name: [values] }` of `searchAttributes` fields, as the official
 * decodeSearchAttributes: every payload, typed or not, as an array (Datetime values as Dates);
 * empty arrays (removed attributes on pre-1.18 servers) are left out.
 */
export function decodeUntypedSearchAttributes(proto: SearchAttributesProto | undefined): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, payload] of Object.entries(proto?.indexedFields ?? {})) {
    const value = parseJson(payload);
    let values: unknown[] = Array.isArray(value) ? value : [value];
    if (payload.metadata.type && dec.decode(payload.metadata.type) === "Datetime") values = values.map((v) => new Date(v as string));
    if (values.length > 0) out[name] = values;
  }
  return out;
}

/** A search attribute payload's JSON value (undefined when it has none or is not JSON). */
function parseJson(payload: Payload): unknown {
  if (payload.data.length === 0) return undefined;
  try {
    return JSON.parse(dec.decode(payload.data));
  } catch {
    return undefined;
  }
}

/** @deprecated as in the official SDK (use typed search attributes): the values of one untyped search attribute. */
export type SearchAttributeValue = string[] | number[] | boolean[] | Date[];
/** @deprecated as in the official SDK (use typed search attributes): untyped search attributes, name → array of values. */
export type SearchAttributes = Record<string, SearchAttributeValue | Readonly<SearchAttributeValue> | undefined>;
