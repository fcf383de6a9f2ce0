import { describe, expect, test } from "bun:test";
import {
  DefaultFailureConverter,
  defaultPayloadConverter,
  decodePayloads,
  encodePayloads,
  loadDataConverter,
  makePayload,
  payloadEncoding,
  type PayloadCodec,
} from "../../src/common/index.js";

describe("loadDataConverter", () => {
  test("defaults", () => {
    const dc = loadDataConverter();
    expect(dc.payloadConverter).toBe(defaultPayloadConverter);
    expect(dc.failureConverter).toBeInstanceOf(DefaultFailureConverter);
    expect(dc.payloadCodecs).toEqual([]);
  });

  test("bad shapes name the option", () => {
    expect(() => loadDataConverter({ payloadCodecs: [{ encode: async (p: unknown) => p } as never] })).toThrow(/payloadCodecs\[0\]: expected an object with encode and decode/);
    expect(() => loadDataConverter({ payloadConverter: {} as never })).toThrow(/dataConverter.payloadConverter/);
    expect(() => loadDataConverter({ failureConverter: 1 as never })).toThrow(/dataConverter.failureConverter/);
    expect(() => loadDataConverter({ payloadCodecs: {} as never })).toThrow(/expected an array/);
  });
});

describe("codec chains", () => {
  const suffix = (s: string): PayloadCodec => ({
    encode: async (ps) => ps.map((p) => makePayload(`${payloadEncoding(p)}+${s}`, p.data)),
    decode: async (ps) => ps.map((p) => makePayload(payloadEncoding(p).replace(new RegExp(`\\+${s}$`), ""), p.data)),
  });

  test("encode in order, decode in reverse", async () => {
    const codecs = [suffix("a"), suffix("b")];
    const [enc] = await encodePayloads(codecs, [defaultPayloadConverter.toPayload(1)]);
    expect(payloadEncoding(enc!)).toBe("json/plain+a+b");
    const [dec] = await decodePayloads(codecs, [enc!]);
    expect(payloadEncoding(dec!)).toBe("json/plain");
    expect(defaultPayloadConverter.fromPayload(dec!)).toBe(1);
  });

  test("a codec returning the wrong number of payloads is caught", async () => {
    const dropper: PayloadCodec = { encode: async () => [], decode: async (p) => p };
    await expect(encodePayloads([dropper], [defaultPayloadConverter.toPayload(1)])).rejects.toThrow(/encode returned 0 payloads for 1 payloads/);
  });
});
