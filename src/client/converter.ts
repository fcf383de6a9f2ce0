/**
 * The client's data converter: src/common's payload converter, failure converter and codecs.
 * Requests are built with converted (not yet encoded) payloads; then one pass of the shared
 * payload visitor (src/common/payload-visitor.ts) runs the codecs over every payload in the
 * message, found by the message's schema (search attributes excepted: the server must read
 * them). Responses are decoded the same way before the payload converter reads them.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import type { Duration as ProtoDuration } from "@bufbuild/protobuf/wkt";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import type { Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import {
  decodePayloadsInMessage,
  encodePayloadsInMessage,
  msNumberToTs,
  msToNumber,
  type DataConverter,
  type Duration,
  type LoadedDataConverter,
  ValueError,
} from "../common/index.js";
import { loadDataConverterWithModules } from "../common/converter-module.js";

export type { DataConverter, LoadedDataConverter } from "../common/index.js";

/**
 * src/common's loadDataConverter, converter module paths loaded in this realm (as the official
 * client `require`s them); errors name `ClientOptions.dataConverter…` and keep their class
 * (TypeError for a bad shape, ValueError for a converter module that is missing or malformed).
 */
export function loadDataConverter(dc?: DataConverter): LoadedDataConverter {
  try {
    return loadDataConverterWithModules(dc);
  } catch (err) {
    if (err instanceof TypeError) throw new TypeError(`ClientOptions.${err.message}`, { cause: err });
    if (err instanceof ValueError) throw new ValueError(`ClientOptions.${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * Milliseconds of a `Duration` option (ms or a string like '30s'); errors are TypeErrors that
 * name the option. Negative durations are refused (Temporal has none).
 */
export function durationOptionMs(value: Duration, option: string): number {
  let ms: number;
  try {
    ms = msToNumber(value);
  } catch (err) {
    throw new TypeError(`${option}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (ms < 0) throw new TypeError(`${option}: must not be negative, got ${JSON.stringify(value)}`);
  return ms;
}

/** `google.protobuf.Duration` of a `Duration` option (undefined stays undefined). */
export function durationOptionTs(value: Duration | undefined, option: string): ProtoDuration | undefined {
  return value === undefined ? undefined : msNumberToTs(durationOptionMs(value, option));
}

export class ClientConverter {
  constructor(readonly dc: LoadedDataConverter) {}

  /** Values → payloads (converter only; codecs run over the whole request later). */
  toPayloads(values: readonly unknown[], what = "argument"): Payload[] {
    return values.map((v, i) => {
      try {
        return this.dc.payloadConverter.toPayload(v);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new TypeError(`${what} ${i}: cannot convert to a payload: ${why}`, { cause: err });
      }
    });
  }

  toPayload(value: unknown, what = "value"): Payload {
    return this.toPayloads([value], what)[0]!;
  }

  fromPayload<T = unknown>(payload: Payload | undefined): T {
    if (payload === undefined) return undefined as T;
    return this.dc.payloadConverter.fromPayload<T>(payload);
  }

  fromPayloads(payloads: readonly Payload[] | undefined): unknown[] {
    return (payloads ?? []).map((p) => this.fromPayload(p));
  }

  toMap(values: Record<string, unknown>, what: string): Record<string, Payload> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, this.toPayload(v, `${what}['${k}']`)]));
  }

  fromMap(fields: Record<string, Payload> | undefined): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields ?? {}).map(([k, p]) => [k, this.fromPayload(p)]));
  }

  failureToError(failure: Failure): Error {
    return this.dc.failureConverter.failureToError(failure, this.dc.payloadConverter);
  }

  errorToFailure(err: unknown): Failure {
    return this.dc.failureConverter.errorToFailure(err, this.dc.payloadConverter);
  }

  /** Runs the codecs' encode over every payload in `message` (of type `schema`), in place. */
  encode<M extends object>(schema: DescMessage, message: M): Promise<M> {
    return encodePayloadsInMessage(this.dc.payloadCodecs, schema, message);
  }

  /** Runs the codecs' decode over every payload in `message` (of type `schema`), in place. */
  decode<M extends object>(schema: DescMessage, message: M): Promise<M> {
    return decodePayloadsInMessage(this.dc.payloadCodecs, schema, message);
  }
}
