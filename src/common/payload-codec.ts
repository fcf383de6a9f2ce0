/**
 * Payload codecs: async transformations of payloads (compression, encryption) applied after
 * the payload converter on the way out and before it on the way in. Codecs run in list order
 * on encode and in reverse order on decode, as in @temporalio/common.
 */
import { create } from "@bufbuild/protobuf";
import { PayloadSchema, type Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { ValueError } from "./errors.js";
import { isUint8Array } from "./payload-converter.js";

export interface PayloadCodec {
  /** Encode an array of payloads (e.g. compress or encrypt); must return as many payloads as it was given. */
  encode(payloads: Payload[]): Promise<Payload[]>;
  /** Undo `encode`; payloads this codec did not encode must be returned unchanged. */
  decode(payloads: Payload[]): Promise<Payload[]>;
}

/** Runs the codecs' `encode` in order. */
export function encodePayloads(codecs: readonly PayloadCodec[], payloads: Payload[]): Promise<Payload[]> {
  return runCodecs(codecs, payloads, "encode");
}

/** Runs the codecs' `decode` in reverse order. */
export function decodePayloads(codecs: readonly PayloadCodec[], payloads: Payload[]): Promise<Payload[]> {
  return runCodecs(codecs, payloads, "decode");
}

async function runCodecs(codecs: readonly PayloadCodec[], payloads: Payload[], direction: "encode" | "decode"): Promise<Payload[]> {
  let current = payloads;
  const count = payloads.length;
  if (codecs.length === 0 || count === 0) return current;
  for (let i = 0; i < codecs.length; i++) {
    const index = direction === "encode" ? i : codecs.length - 1 - i;
    const codec = codecs[index]!;
    const result: unknown = await codec[direction](current);
    if (!Array.isArray(result) || result.length !== count) {
      throw new ValueError(
        `payload codec ${index} (${codec.constructor?.name ?? "codec"}) ${direction} returned ${Array.isArray(result) ? `${result.length} payloads` : typeof result} for ${count} payloads`,
      );
    }
    current = result.map((p, j) => asPayload(p, `payload codec ${index} ${direction} result ${j}`));
  }
  return current;
}

/** A protobuf-es Payload: codecs may return plain `{ metadata, data }` objects. */
export function asPayload(value: unknown, what = "payload"): Payload {
  if (typeof value !== "object" || value === null) throw new ValueError(`${what}: expected a Payload, got ${value === null ? "null" : typeof value}`);
  const p = value as Partial<Payload>;
  if (p.$typeName === PayloadSchema.typeName) return p as Payload;
  if (p.data !== undefined && !isUint8Array(p.data)) throw new ValueError(`${what}: data must be a Uint8Array`);
  return create(PayloadSchema, { metadata: p.metadata ?? {}, data: p.data ?? new Uint8Array(0), externalPayloads: p.externalPayloads ?? [] });
}
