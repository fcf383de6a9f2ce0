/**
 * A payload codec that tags what it encodes and refuses to decode anything else, so a header
 * (or any payload) that reaches it without having been encoded by it fails loudly. Used by
 * tests/e2e/behaviour.test.ts and tools/compat-headers.ts to prove codecs skip headers.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { makePayload, payloadEncoding, type PayloadCodec } from "../../src/common/index.js";
import { PayloadSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";

export const STRICT = "binary/strict-test";

export const strictCodec: PayloadCodec = {
  async encode(payloads) {
    return payloads.map((p) => makePayload(STRICT, toBinary(PayloadSchema, p)));
  },
  async decode(payloads) {
    return payloads.map((p) => {
      if (payloadEncoding(p) !== STRICT) throw new Error(`strict codec: asked to decode a payload it did not encode (${payloadEncoding(p)})`);
      return fromBinary(PayloadSchema, p.data);
    });
  },
};
