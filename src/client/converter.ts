/**
 * The client's data converter: payload converter, failure converter and payload codecs.
 * Requests are built with converted (not yet encoded) payloads; then one pass of the
 * payload visitor runs the codecs over every payload in the message (search attributes
 * excepted: the server must read them). Responses are decoded the same way before the
 * payload converter reads them.
 */
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import type { Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import {
  DefaultFailureConverter,
  defaultPayloadConverter,
  type FailureConverter,
  type PayloadCodec,
  type PayloadConverter,
} from "./common.js";
import { decodePayloadsInMessage, encodePayloadsInMessage } from "./payload-visitor.js";

export interface DataConverter {
  payloadConverter?: PayloadConverter;
  failureConverter?: FailureConverter;
  payloadCodecs?: PayloadCodec[];
}

export interface LoadedDataConverter {
  payloadConverter: PayloadConverter;
  failureConverter: FailureConverter;
  payloadCodecs: PayloadCodec[];
}

export function loadDataConverter(dc: DataConverter = {}): LoadedDataConverter {
  if (dc === null || typeof dc !== "object") throw new TypeError("ClientOptions.dataConverter: expected an object");
  if (dc.payloadCodecs !== undefined && !Array.isArray(dc.payloadCodecs)) {
    throw new TypeError("ClientOptions.dataConverter.payloadCodecs: expected an array of PayloadCodec");
  }
  for (const [i, c] of (dc.payloadCodecs ?? []).entries()) {
    if (typeof c?.encode !== "function" || typeof c?.decode !== "function") {
      throw new TypeError(`ClientOptions.dataConverter.payloadCodecs[${i}]: expected { encode, decode }`);
    }
  }
  return {
    payloadConverter: dc.payloadConverter ?? defaultPayloadConverter,
    failureConverter: dc.failureConverter ?? new DefaultFailureConverter(),
    payloadCodecs: dc.payloadCodecs ?? [],
  };
}

export class ClientConverter {
  constructor(readonly dc: LoadedDataConverter) {}

  /** Values → payloads (converter only; codecs run over the whole request later). */
  toPayloads(values: readonly unknown[], what = "argument"): Payload[] {
    return values.map((v, i) => {
      try {
        return this.dc.payloadConverter.toPayload(v) as Payload;
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
    return this.dc.payloadConverter.fromPayload(payload as never) as T;
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
    return this.dc.failureConverter.failureToError(failure as never, this.dc.payloadConverter) as Error;
  }

  errorToFailure(err: unknown): Failure {
    return this.dc.failureConverter.errorToFailure(err, this.dc.payloadConverter) as Failure;
  }

  /** Runs the codecs' encode over every payload in `message`, in place. */
  encode<M>(message: M): Promise<M> {
    return encodePayloadsInMessage(message, this.dc.payloadCodecs);
  }

  /** Runs the codecs' decode over every payload in `message`, in place. */
  decode<M>(message: M): Promise<M> {
    return decodePayloadsInMessage(message, this.dc.payloadCodecs);
  }
}
