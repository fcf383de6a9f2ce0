/**
 * protobuf-es (v2) messages ⇄ payloads: `json/protobuf` (proto3 JSON) and `binary/protobuf`,
 * with the message's full type name in the `messageType` metadata. Names follow
 * @temporalio/common's protobuf-es converters (`ProtobufEs…`, `DefaultPayloadConverterWithProtobufsEs`);
 * the shorter official names (`ProtobufJsonPayloadConverter`, `DefaultPayloadConverterWithProtobufs`)
 * are aliases here, taking a protobuf-es Registry or schema list instead of a protobufjs root.
 *
 * Reading (and writing) a message needs its schema: pass the generated `<Message>Schema`
 * exports, or a `createRegistry(...)` result. Without it, a protobuf payload fails with an
 * error that says so.
 */
import { createRegistry, fromBinary, fromJson, isMessage, toBinary, toJson, type DescMessage, type Message, type Registry } from "@bufbuild/protobuf";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { decode, encode } from "./encoding.js";
import { PayloadConverterError } from "./errors.js";
import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  encodingTypes,
  JsonPayloadConverter,
  makePayload,
  METADATA_MESSAGE_TYPE_KEY,
  UndefinedPayloadConverter,
  type PayloadConverterWithEncoding,
} from "./payload-converter.js";

/** A protobuf-es Registry, or the generated message schemas to build one from. */
export type ProtobufEsRegistryInput = Registry | readonly DescMessage[];

function toRegistry(input: ProtobufEsRegistryInput | undefined): Registry | undefined {
  if (input === undefined) return undefined;
  if (Array.isArray(input)) return createRegistry(...(input as DescMessage[]));
  if (typeof input === "object" && input !== null && (input as { kind?: unknown }).kind === "registry") return input as Registry;
  throw new TypeError("protobuf payload converter: expected a @bufbuild/protobuf Registry or an array of generated message schemas");
}

abstract class ProtobufEsPayloadConverter implements PayloadConverterWithEncoding {
  abstract readonly encodingType: string;
  protected readonly registry: Registry | undefined;

  constructor(registryOrSchemas?: ProtobufEsRegistryInput) {
    this.registry = toRegistry(registryOrSchemas);
  }

  abstract toPayload<T>(value: T): Payload | undefined;
  abstract fromPayload<T>(payload: Payload): T;

  protected schemaFor(typeName: string): DescMessage {
    if (!this.registry) {
      throw new PayloadConverterError(
        `cannot convert protobuf message '${typeName}': no message schemas were given; ` +
          `construct the converter with the generated schemas (e.g. new DefaultPayloadConverterWithProtobufs({ registry: [${shortName(typeName)}Schema] }))`,
      );
    }
    const schema = this.registry.getMessage(typeName);
    if (!schema) {
      throw new PayloadConverterError(`cannot convert protobuf message '${typeName}': its schema is not in the registry given to the payload converter; add ${shortName(typeName)}Schema`);
    }
    return schema;
  }

  protected payloadSchema(payload: Payload): DescMessage {
    const raw = payload.metadata?.[METADATA_MESSAGE_TYPE_KEY];
    if (raw === undefined) throw new PayloadConverterError(`${this.encodingType} payload has no '${METADATA_MESSAGE_TYPE_KEY}' metadata`);
    return this.schemaFor(decode(raw));
  }

  protected make(typeName: string, data: Uint8Array): Payload {
    return makePayload(this.encodingType, data, { [METADATA_MESSAGE_TYPE_KEY]: encode(typeName) });
  }
}

/** protobuf-es message ⇄ `json/protobuf` (canonical proto3 JSON). */
export class ProtobufEsJsonPayloadConverter extends ProtobufEsPayloadConverter {
  readonly encodingType = encodingTypes.METADATA_ENCODING_PROTOBUF_JSON;

  toPayload(value: unknown): Payload | undefined {
    if (!isMessage(value)) return undefined;
    const schema = this.schemaFor(value.$typeName);
    const json = toJson(schema, value as Message, this.registry ? { registry: this.registry } : undefined);
    return this.make(value.$typeName, encode(JSON.stringify(json)));
  }

  fromPayload<T>(payload: Payload): T {
    const schema = this.payloadSchema(payload);
    return fromJson(schema, JSON.parse(decode(payload.data)), this.registry ? { registry: this.registry } : undefined) as T;
  }
}

/** protobuf-es message ⇄ `binary/protobuf` (wire format). */
export class ProtobufEsBinaryPayloadConverter extends ProtobufEsPayloadConverter {
  readonly encodingType = encodingTypes.METADATA_ENCODING_PROTOBUF;

  toPayload(value: unknown): Payload | undefined {
    if (!isMessage(value)) return undefined;
    return this.make(value.$typeName, toBinary(this.schemaFor(value.$typeName), value as Message));
  }

  fromPayload<T>(payload: Payload): T {
    const schema = this.payloadSchema(payload);
    // A Uint8Array from this realm: protobuf-es checks `instanceof Uint8Array`.
    const data = new Uint8Array(payload.data.buffer, payload.data.byteOffset, payload.data.byteLength);
    return fromBinary(schema, data) as T;
  }
}

export interface DefaultPayloadConverterWithProtobufsOptions {
  /** The message schemas (generated `<Message>Schema` exports) or a Registry built from them. */
  registry: ProtobufEsRegistryInput;
}

/**
 * Undefined → Binary → protobuf JSON → protobuf binary (read only in practice: the JSON
 * converter takes every message first) → JSON. Messages are written as `json/protobuf`;
 * both `json/protobuf` and `binary/protobuf` payloads are read.
 */
export class DefaultPayloadConverterWithProtobufsEs extends CompositePayloadConverter {
  constructor(options: DefaultPayloadConverterWithProtobufsOptions) {
    if (!options || options.registry === undefined) {
      throw new TypeError("DefaultPayloadConverterWithProtobufs: pass { registry } (a protobuf-es Registry or an array of message schemas)");
    }
    const registry = toRegistry(options.registry);
    super(
      new UndefinedPayloadConverter(),
      new BinaryPayloadConverter(),
      new ProtobufEsJsonPayloadConverter(registry),
      new ProtobufEsBinaryPayloadConverter(registry),
      new JsonPayloadConverter(),
    );
  }
}

export {
  ProtobufEsJsonPayloadConverter as ProtobufJsonPayloadConverter,
  ProtobufEsBinaryPayloadConverter as ProtobufBinaryPayloadConverter,
  DefaultPayloadConverterWithProtobufsEs as DefaultPayloadConverterWithProtobufs,
};

function shortName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf(".") + 1);
}
