/**
 * Runs payload codecs over every Payload reachable from a protobuf-es message, in place.
 * Search attributes are skipped: the server indexes them, so they stay readable.
 * Encode applies the codecs in order, decode in reverse (as @temporalio/common does).
 */
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import type { PayloadCodec } from "./common.js";

const PAYLOAD = "temporal.api.common.v1.Payload";
const SEARCH_ATTRIBUTES = "temporal.api.common.v1.SearchAttributes";
const MAX_DEPTH = 100;

function collect(node: unknown, out: Payload[], depth: number): void {
  if (node === null || typeof node !== "object" || node instanceof Uint8Array) return;
  if (depth > MAX_DEPTH) throw new RangeError(`payload visitor: message nested deeper than ${MAX_DEPTH}`);
  if (Array.isArray(node)) {
    for (const item of node) collect(item, out, depth + 1);
    return;
  }
  const m = node as Record<string, unknown>;
  if (m.$typeName === PAYLOAD) {
    out.push(m as unknown as Payload);
    return;
  }
  if (m.$typeName === SEARCH_ATTRIBUTES) return;
  for (const key in m) {
    const v = m[key];
    if (v !== null && typeof v === "object") collect(v, out, depth + 1);
  }
}

async function run<M>(message: M, codecs: readonly PayloadCodec[], direction: "encode" | "decode"): Promise<M> {
  if (codecs.length === 0) return message;
  const found: Payload[] = [];
  collect(message, found, 0);
  if (found.length === 0) return message;
  let current = found.map((p) => ({ ...p })) as Payload[];
  for (const codec of direction === "encode" ? codecs : [...codecs].reverse()) {
    current = (await codec[direction](current as never)) as Payload[];
    if (!Array.isArray(current) || current.length !== found.length) {
      throw new Error(`payload codec ${direction} returned ${Array.isArray(current) ? current.length : typeof current} payloads for ${found.length}`);
    }
  }
  found.forEach((p, i) => {
    const n = current[i]!;
    p.metadata = n.metadata;
    p.data = n.data;
  });
  return message;
}

export function encodePayloadsInMessage<M>(message: M, codecs: readonly PayloadCodec[]): Promise<M> {
  return run(message, codecs, "encode");
}

export function decodePayloadsInMessage<M>(message: M, codecs: readonly PayloadCodec[]): Promise<M> {
  return run(message, codecs, "decode");
}
