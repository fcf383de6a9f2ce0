/**
 * Runs the data converter's payload codecs over every Payload inside a core message
 * (activation, completion, activity task, heartbeat), in place.
 *
 * Encode applies the codecs in order; decode in reverse (as @temporalio/common does). A
 * message without codecs is left untouched at no cost.
 */
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";

export interface PayloadCodec {
  encode(payloads: Payload[]): Promise<Payload[]>;
  decode(payloads: Payload[]): Promise<Payload[]>;
}

const PAYLOAD_TYPE = "temporal.api.common.v1.Payload";

/** Every Payload object reachable from `message` (protobuf-es plain objects). */
export function collectPayloads(message: unknown, out: Payload[] = [], depth = 0): Payload[] {
  if (depth > 64 || message === null || typeof message !== "object") return out;
  if (message instanceof Uint8Array) return out;
  if (Array.isArray(message)) {
    for (const item of message) collectPayloads(item, out, depth + 1);
    return out;
  }
  const m = message as Record<string, unknown>;
  if (m.$typeName === PAYLOAD_TYPE) {
    out.push(m as unknown as Payload);
    return out;
  }
  for (const key in m) {
    if (key === "$typeName") continue;
    const v = m[key];
    if (v !== null && typeof v === "object") collectPayloads(v, out, depth + 1);
  }
  return out;
}

async function transform(message: unknown, codecs: readonly PayloadCodec[], direction: "encode" | "decode"): Promise<void> {
  if (codecs.length === 0) return;
  const payloads = collectPayloads(message);
  if (payloads.length === 0) return;
  let current: Payload[] = payloads.map((p) => ({ ...p }));
  const ordered = direction === "encode" ? codecs : [...codecs].reverse();
  for (const codec of ordered) current = await codec[direction](current);
  if (current.length !== payloads.length) {
    throw new Error(`Payload codec ${direction} returned ${current.length} payloads for ${payloads.length}`);
  }
  payloads.forEach((p, i) => {
    const n = current[i]!;
    p.metadata = n.metadata;
    p.data = n.data;
  });
}

export function encodeMessage(message: unknown, codecs: readonly PayloadCodec[]): Promise<void> {
  return transform(message, codecs, "encode");
}

export function decodeMessage(message: unknown, codecs: readonly PayloadCodec[]): Promise<void> {
  return transform(message, codecs, "decode");
}
