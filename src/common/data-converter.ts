/**
 * The data converter: how values become payloads (payload converter), errors become
 * Failures (failure converter), and payloads are transformed on the wire (codecs).
 * Same shape as @temporalio/common's DataConverter.
 */
import { DefaultFailureConverter, type FailureConverter } from "./failure-converter.js";
import type { PayloadCodec } from "./payload-codec.js";
import { defaultPayloadConverter, type PayloadConverter } from "./payload-converter.js";

export interface DataConverter {
  /** Default: defaultPayloadConverter (undefined → binary → JSON). */
  payloadConverter?: PayloadConverter;
  /** Default: new DefaultFailureConverter(). */
  failureConverter?: FailureConverter;
  /** Applied to every payload on the wire (search attributes excepted); default none. */
  payloadCodecs?: PayloadCodec[];
}

export interface LoadedDataConverter {
  payloadConverter: PayloadConverter;
  failureConverter: FailureConverter;
  payloadCodecs: PayloadCodec[];
}

export const defaultFailureConverter: FailureConverter = new DefaultFailureConverter();

/** Fills in defaults and checks the shape; errors name the offending option. */
export function loadDataConverter(dataConverter?: DataConverter | null): LoadedDataConverter {
  const dc = dataConverter ?? {};
  if (typeof dc !== "object") throw new TypeError(`dataConverter: expected an object, got ${typeof dc}`);
  const { payloadConverter, failureConverter, payloadCodecs } = dc;
  if (payloadConverter !== undefined && (typeof payloadConverter?.toPayload !== "function" || typeof payloadConverter.fromPayload !== "function")) {
    throw new TypeError("dataConverter.payloadConverter: expected an object with toPayload and fromPayload");
  }
  if (failureConverter !== undefined && (typeof failureConverter?.errorToFailure !== "function" || typeof failureConverter.failureToError !== "function")) {
    throw new TypeError("dataConverter.failureConverter: expected an object with errorToFailure and failureToError");
  }
  if (payloadCodecs !== undefined && !Array.isArray(payloadCodecs)) throw new TypeError("dataConverter.payloadCodecs: expected an array of PayloadCodec");
  (payloadCodecs ?? []).forEach((codec, i) => {
    if (typeof codec?.encode !== "function" || typeof codec?.decode !== "function") {
      throw new TypeError(`dataConverter.payloadCodecs[${i}]: expected an object with encode and decode`);
    }
  });
  return {
    payloadConverter: payloadConverter ?? defaultPayloadConverter,
    failureConverter: failureConverter ?? defaultFailureConverter,
    payloadCodecs: payloadCodecs ? [...payloadCodecs] : [],
  };
}
