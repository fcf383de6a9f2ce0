/**
 * Payload converters: JS values ⇄ `temporal.api.common.v1.Payload`, as in @temporalio/common.
 *
 * The default chain is Undefined (`binary/null`) → Binary (`binary/plain`, Uint8Array) →
 * JSON (`json/plain`). Each converter handles the values it can; the first that accepts a
 * value writes the payload, and the payload's `encoding` metadata picks the converter that
 * reads it back.
 */
import { create, isMessage } from "@bufbuild/protobuf";
import { PayloadSchema, type Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { decode, encode } from "./encoding.js";
import { PayloadConverterError, ValueError } from "./errors.js";

export type { Payload };

export const METADATA_ENCODING_KEY = "encoding";
export const METADATA_MESSAGE_TYPE_KEY = "messageType";
export const encodingTypes = {
  METADATA_ENCODING_NULL: "binary/null",
  METADATA_ENCODING_RAW: "binary/plain",
  METADATA_ENCODING_JSON: "json/plain",
  METADATA_ENCODING_PROTOBUF_JSON: "json/protobuf",
  METADATA_ENCODING_PROTOBUF: "binary/protobuf",
} as const;
export type EncodingType = (typeof encodingTypes)[keyof typeof encodingTypes];
/** The same encodings as UTF-8 bytes (the form of a payload's `encoding` metadata), as the official `encodingKeys`. */
export const encodingKeys = {
  METADATA_ENCODING_NULL: encode(encodingTypes.METADATA_ENCODING_NULL),
  METADATA_ENCODING_RAW: encode(encodingTypes.METADATA_ENCODING_RAW),
  METADATA_ENCODING_JSON: encode(encodingTypes.METADATA_ENCODING_JSON),
  METADATA_ENCODING_PROTOBUF_JSON: encode(encodingTypes.METADATA_ENCODING_PROTOBUF_JSON),
  METADATA_ENCODING_PROTOBUF: encode(encodingTypes.METADATA_ENCODING_PROTOBUF),
} as const;

/** Converts values to and from payloads. `toPayload` throws when it cannot convert. */
export interface PayloadConverter {
  toPayload<T>(value: T): Payload;
  fromPayload<T>(payload: Payload): T;
}

/** One link of a CompositePayloadConverter: handles one encoding; `toPayload` returns undefined for values it does not handle. */
export interface PayloadConverterWithEncoding {
  readonly encodingType: string;
  toPayload<T>(value: T): Payload | undefined;
  fromPayload<T>(payload: Payload): T;
}

/** A Payload with the given encoding (and extra metadata). */
export function makePayload(encoding: string, data: Uint8Array, metadata: Record<string, Uint8Array> = {}): Payload {
  return create(PayloadSchema, { metadata: { [METADATA_ENCODING_KEY]: encode(encoding), ...metadata }, data });
}

/** The `encoding` metadata of a payload as text ('' when missing). */
export function payloadEncoding(payload: Payload): string {
  const raw = payload.metadata?.[METADATA_ENCODING_KEY];
  return raw === undefined ? "" : decode(raw);
}

/**
 * Tries each converter in order on the way out; on the way in, picks the converter by the
 * payload's `encoding` metadata.
 */
export class CompositePayloadConverter implements PayloadConverter {
  readonly converters: PayloadConverterWithEncoding[];
  readonly converterByEncoding = new Map<string, PayloadConverterWithEncoding>();

  constructor(...converters: PayloadConverterWithEncoding[]) {
    if (converters.length === 0) throw new PayloadConverterError("CompositePayloadConverter needs at least one converter");
    this.converters = converters;
    for (const converter of converters) this.converterByEncoding.set(converter.encodingType, converter);
  }

  toPayload<T>(value: T): Payload {
    // A RawValue's payload is already made: it bypasses the converters (codecs still apply), as official.
    if (value instanceof RawValue) return value.payload;
    for (const converter of this.converters) {
      const payload = converter.toPayload(value);
      if (payload !== undefined) return payload;
    }
    throw new ValueError(`Unable to convert ${describeValue(value)} to a payload: no converter accepts it (tried ${this.converters.map((c) => c.encodingType).join(", ")})`);
  }

  fromPayload<T>(payload: Payload): T {
    if (payload === undefined || payload === null) throw new ValueError("Missing payload");
    const encoding = payloadEncoding(payload);
    if (!encoding) throw new ValueError("Unknown payload encoding: the payload has no 'encoding' metadata");
    const converter = this.converterByEncoding.get(encoding);
    if (converter === undefined) {
      if (encoding === encodingTypes.METADATA_ENCODING_PROTOBUF_JSON || encoding === encodingTypes.METADATA_ENCODING_PROTOBUF) {
        const raw = payload.metadata?.[METADATA_MESSAGE_TYPE_KEY];
        const typeName = raw === undefined ? "unknown type" : decode(raw);
        throw new PayloadConverterError(
          `cannot read a ${encoding} payload (message '${typeName}'): this payload converter has no protobuf message schemas; ` +
            `use new DefaultPayloadConverterWithProtobufs({ registry: [...schemas] }) as the data converter's payloadConverter`,
        );
      }
      throw new ValueError(`Unknown payload encoding '${encoding}' (this converter reads ${[...this.converterByEncoding.keys()].join(", ")})`);
    }
    return converter.fromPayload(payload);
  }
}

/** `undefined` ⇄ `binary/null`. */
export class UndefinedPayloadConverter implements PayloadConverterWithEncoding {
  readonly encodingType = encodingTypes.METADATA_ENCODING_NULL;

  toPayload(value: unknown): Payload | undefined {
    return value === undefined ? makePayload(this.encodingType, new Uint8Array(0)) : undefined;
  }

  fromPayload<T>(_payload: Payload): T {
    return undefined as T;
  }
}

/** `Uint8Array` (Buffer included) ⇄ `binary/plain`; the bytes are the payload's data, unchanged. */
export class BinaryPayloadConverter implements PayloadConverterWithEncoding {
  readonly encodingType = encodingTypes.METADATA_ENCODING_RAW;

  toPayload(value: unknown): Payload | undefined {
    if (!isUint8Array(value)) return undefined;
    // A view of this realm over the same bytes: protobuf-es code checks `instanceof Uint8Array`.
    return makePayload(this.encodingType, new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }

  fromPayload<T>(payload: Payload): T {
    return payload.data as T;
  }
}

/**
 * Everything JSON can carry faithfully ⇄ `json/plain`.
 *
 * Refused (PayloadConverterError naming where in the value): BigInt, functions, symbols,
 * cyclic references, Map/Set (JSON would write `{}`), typed arrays and ArrayBuffers nested
 * in a value (JSON would write an object of indices — pass a Uint8Array as a whole argument
 * to use `binary/plain`), and protobuf-es messages (use the protobuf converters).
 * Kept as JSON defines them (as @temporalio/common does): `undefined` object properties are
 * omitted, `undefined` array elements become `null`, NaN/±Infinity become `null`, values with
 * `toJSON` (Date → ISO string) are written as that method returns. A top-level `undefined`
 * is not JSON (the Undefined converter takes it).
 */
export class JsonPayloadConverter implements PayloadConverterWithEncoding {
  readonly encodingType = encodingTypes.METADATA_ENCODING_JSON;

  toPayload(value: unknown): Payload | undefined {
    if (value === undefined) return undefined;
    assertJsonFaithful(value);
    return makePayload(this.encodingType, encode(JSON.stringify(value)));
  }

  fromPayload<T>(payload: Payload): T {
    if (!isUint8Array(payload.data)) throw new ValueError("json/plain payload has no data");
    const text = decode(payload.data);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new PayloadConverterError(`json/plain payload is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * Throws PayloadConverterError when JSON.stringify would lose data in `value`, naming the
 * path (`$.a.b[2]`). Mirrors JSON.stringify's traversal: toJSON first, then own enumerable
 * string keys. Type checks use internal tags, not `instanceof`, because values made inside
 * the workflow sandbox come from another realm.
 */
export function assertJsonFaithful(value: unknown): void {
  const ancestors: object[] = [];
  // The path is kept as segments and only turned into text for an error.
  const segments: (string | number)[] = [];
  const refuse = (what: string, hint = ""): never => {
    throw new PayloadConverterError(`cannot convert to JSON: ${what} at ${pathText(segments)}${hint}`);
  };
  const visit = (v: unknown, key: string): void => {
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
      v = (v as { toJSON: (key: string) => unknown }).toJSON.call(v, key);
    }
    switch (typeof v) {
      case "bigint":
        return refuse("BigInt", " (JSON has no BigInt; convert it to a string or number)");
      case "function":
        return refuse("function");
      case "symbol":
        return refuse("symbol");
      case "object":
        break;
      default:
        return;
    }
    if (v === null) return;
    const obj = v as object;
    if (ancestors.includes(obj)) refuse("cyclic reference");
    if (!Array.isArray(obj)) {
      const tag = Object.prototype.toString.call(obj);
      if (tag === "[object Map]" || tag === "[object Set]") refuse(tag.slice(8, -1), " (JSON would write {}; convert it to an object or array)");
      if (ArrayBuffer.isView(obj) || tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") {
        refuse(tag.slice(8, -1), " (JSON would write an object of indices; pass a Uint8Array as a whole value for binary/plain, or encode it as base64)");
      }
      if (isMessage(obj)) refuse(`protobuf message '${(obj as { $typeName: string }).$typeName}'`, " (use DefaultPayloadConverterWithProtobufs with its schema)");
    }
    ancestors.push(obj);
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) {
        segments.push(i);
        visit(obj[i], String(i));
        segments.pop();
      }
    } else {
      for (const k of Object.keys(obj)) {
        const child = (obj as Record<string, unknown>)[k];
        // JSON.stringify omits undefined properties (its documented behaviour, kept); it
        // would also omit functions and symbols, which visit() refuses.
        if (child === undefined) continue;
        segments.push(k);
        visit(child, k);
        segments.pop();
      }
    }
    ancestors.pop();
  };
  visit(value, "");
}

function pathText(segments: readonly (string | number)[]): string {
  let out = "$";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** A Uint8Array (Buffer included) from any realm. */
export function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === "[object Uint8Array]";
}

/** Undefined → Binary → JSON, as in @temporalio/common. */
const RAW_VALUE_MARKER = Symbol.for("__temporal_bun_sdk_isRawValue");

/**
 * A value already converted to a payload, as @temporalio/common's `RawValue`: made with
 * `payloadConverter` (default: the default payload converter); CompositePayloadConverter (so
 * every default and protobuf converter) sends its payload as is, bypassing user converters.
 * Payload codecs still apply. `instanceof` matches by a marker symbol, so a RawValue made by
 * a workflow bundle's copy of this module is recognised by the worker's copy too.
 */
export class RawValue<T = unknown> {
  readonly #payload: Payload;
  /** Phantom field so TypeScript keeps T; never set. */
  declare private readonly __rawValueBrand?: T;

  constructor(value: T, payloadConverter: PayloadConverter = defaultPayloadConverter) {
    this.#payload = payloadConverter.toPayload(value);
  }

  /** A RawValue holding `payload` itself. */
  static fromPayload(payload: Payload): RawValue {
    return new RawValue(payload, { toPayload: <V>(v: V) => v as unknown as Payload, fromPayload: <V>(p: Payload) => p as unknown as V });
  }

  get payload(): Payload {
    return this.#payload;
  }
}
Object.defineProperty(RawValue.prototype, RAW_VALUE_MARKER, { value: true, enumerable: false });
Object.defineProperty(RawValue, Symbol.hasInstance, {
  value(this: unknown, instance: unknown): boolean {
    if (this === RawValue) return typeof instance === "object" && instance !== null && (instance as Record<symbol, unknown>)[RAW_VALUE_MARKER] === true;
    return Function.prototype[Symbol.hasInstance].call(this, instance);
  },
});

export class DefaultPayloadConverter extends CompositePayloadConverter {
  constructor() {
    super(new UndefinedPayloadConverter(), new BinaryPayloadConverter(), new JsonPayloadConverter());
  }
}

export const defaultPayloadConverter: PayloadConverter = new DefaultPayloadConverter();

/** A value → payload, null and undefined passed through as themselves, as official. */
export function convertOptionalToPayload(payloadConverter: PayloadConverter, value: unknown): Payload | null | undefined {
  if (value === null || value === undefined) return value;
  return payloadConverter.toPayload(value);
}

/**
 * Values → payloads, as in @temporalio/common (undefined for no values). A value that cannot
 * be converted fails with a PayloadConverterError naming it: "argument 2: …".
 */
export function toPayloads(converter: PayloadConverter, ...values: unknown[]): Payload[] | undefined {
  if (values.length === 0) return undefined;
  return argumentsToPayloads(converter, values);
}

/**
 * Values → payloads (always an array). Errors name the argument and, when given, what it
 * belongs to: `argumentsToPayloads(c, args, "signal 'x'")` fails with "argument 2 of signal 'x': …".
 */
export function argumentsToPayloads(converter: PayloadConverter, values: readonly unknown[], of?: string): Payload[] {
  return values.map((value, index) => {
    try {
      return converter.toPayload(value);
    } catch (err) {
      throw wrap(err, `${argumentName(index, of)}: cannot convert to a payload`);
    }
  });
}

/** Each value of a record → payload; errors name the key. */
export function mapToPayloads<K extends string>(converter: PayloadConverter, map: Record<K, unknown>, what = "field"): Record<K, Payload> {
  const out = {} as Record<K, Payload>;
  for (const [key, value] of Object.entries(map) as [K, unknown][]) out[key] = convertKey(converter, value, key, what);
  return out;
}

/** The value of the payload at `index`, or undefined when there is none; errors name the index. */
export function fromPayloadsAtIndex<T>(converter: PayloadConverter, index: number, payloads?: readonly Payload[] | null, of?: string): T {
  if (payloads === undefined || payloads === null || index >= payloads.length) return undefined as T;
  const payload = payloads[index]!;
  try {
    return converter.fromPayload<T>(payload);
  } catch (err) {
    throw wrap(err, `${argumentName(index, of)}: cannot convert from a payload`);
  }
}

/** Every payload → value; errors name the argument (and `of`, when given). */
export function arrayFromPayloads(converter: PayloadConverter, payloads?: readonly Payload[] | null, of?: string): unknown[] {
  if (!payloads) return [];
  return payloads.map((_payload, index) => fromPayloadsAtIndex(converter, index, payloads, of));
}

/** Each payload of a record → value; errors name the key. */
export function mapFromPayloads<K extends string>(converter: PayloadConverter, map?: Record<K, Payload> | null): Record<K, unknown> | undefined {
  if (map === undefined || map === null) return undefined;
  const out = {} as Record<K, unknown>;
  for (const [key, payload] of Object.entries(map) as [K, Payload][]) {
    try {
      out[key] = converter.fromPayload(payload);
    } catch (err) {
      throw wrap(err, `field '${key}': cannot convert from a payload`);
    }
  }
  return out;
}

function argumentName(index: number, of: string | undefined): string {
  return of ? `argument ${index} of ${of}` : `argument ${index}`;
}

function convertKey(converter: PayloadConverter, value: unknown, key: string, what: string): Payload {
  try {
    return converter.toPayload(value);
  } catch (err) {
    throw wrap(err, `${what} '${key}': cannot convert to a payload`);
  }
}

function wrap(err: unknown, prefix: string): PayloadConverterError {
  const message = err instanceof Error ? err.message : String(err);
  return new PayloadConverterError(`${prefix}: ${message}`, { cause: err });
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `a value of type ${(value as object).constructor?.name ?? "Object"}`;
  return `a value of type ${typeof value}`;
}
