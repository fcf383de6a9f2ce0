/**
 * A real payload codec: gzip. Not exported from index.ts (it uses node:zlib, which workflow
 * code must not reach); import it from `temporal-bun-sdk/common/gzip-codec`
 * (src/common/gzip-codec.ts).
 *
 * Format: an encoded payload has metadata `encoding: binary/gzip` and, as data, the gzip of
 * the ORIGINAL payload serialized as a `temporal.api.common.v1.Payload` protobuf (so its
 * metadata — encoding, messageType, … — is compressed and restored with it). By default a
 * payload is only replaced when the gzip is smaller than that serialization (and the
 * serialization is at least `minBytes`); otherwise it passes through unchanged.
 * `alwaysCompress: true` compresses every payload (useful to prove a codec ran everywhere). Decoding touches only `binary/gzip` payloads and leaves all others
 * untouched, so it is safe to add this codec to a namespace that already holds plain payloads.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { PayloadSchema, type Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { decode } from "./encoding.js";
import { ValueError } from "./errors.js";
import { makePayload, METADATA_ENCODING_KEY } from "./payload-converter.js";
import type { PayloadCodec } from "./payload-codec.js";

export const GZIP_ENCODING = "binary/gzip";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface GzipPayloadCodecOptions {
  /** zlib level 1 (fastest) … 9 (smallest); default 6. */
  level?: number;
  /** Payloads whose serialization is smaller than this many bytes are not compressed; default 64. */
  minBytes?: number;
  /** Compress every payload, even when that makes it larger; default false. */
  alwaysCompress?: boolean;
  /** Refuse to inflate a payload beyond this many bytes (guards against gzip bombs); default 128 MiB. */
  maxDecodedBytes?: number;
}

export class GzipPayloadCodec implements PayloadCodec {
  readonly level: number;
  readonly minBytes: number;
  readonly maxDecodedBytes: number;
  readonly alwaysCompress: boolean;

  constructor(options: GzipPayloadCodecOptions = {}) {
    const { level = 6, minBytes = 64, maxDecodedBytes = 128 * 1024 * 1024, alwaysCompress = false } = options;
    if (!Number.isInteger(level) || level < 1 || level > 9) throw new ValueError(`GzipPayloadCodec: level must be an integer 1-9, got ${level}`);
    if (!Number.isFinite(minBytes) || minBytes < 0) throw new ValueError(`GzipPayloadCodec: minBytes must be >= 0, got ${minBytes}`);
    if (!Number.isFinite(maxDecodedBytes) || maxDecodedBytes < 1) throw new ValueError(`GzipPayloadCodec: maxDecodedBytes must be >= 1, got ${maxDecodedBytes}`);
    this.level = level;
    this.minBytes = minBytes;
    this.maxDecodedBytes = maxDecodedBytes;
    this.alwaysCompress = alwaysCompress;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.encodeOne(p)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.decodeOne(p)));
  }

  private async encodeOne(payload: Payload): Promise<Payload> {
    const raw = toBinary(PayloadSchema, payload);
    if (!this.alwaysCompress && raw.byteLength < this.minBytes) return payload;
    const compressed = new Uint8Array(await gzipAsync(raw, { level: this.level }));
    return this.alwaysCompress || compressed.byteLength < raw.byteLength ? makePayload(GZIP_ENCODING, compressed) : payload;
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const encoding = payload.metadata[METADATA_ENCODING_KEY];
    if (encoding === undefined || decode(encoding) !== GZIP_ENCODING) return payload;
    let raw: Uint8Array;
    try {
      raw = new Uint8Array(await gunzipAsync(payload.data, { maxOutputLength: this.maxDecodedBytes }));
    } catch (err) {
      throw new ValueError(`GzipPayloadCodec: cannot decompress a ${GZIP_ENCODING} payload: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    try {
      return fromBinary(PayloadSchema, raw);
    } catch (err) {
      throw new ValueError(`GzipPayloadCodec: the ${GZIP_ENCODING} payload does not hold a serialized Payload: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

/** For tests and tools: whether a payload was written by this codec. */
export function isGzipPayload(payload: Payload): boolean {
  const encoding = payload.metadata[METADATA_ENCODING_KEY];
  return encoding !== undefined && decode(encoding) === GZIP_ENCODING;
}


