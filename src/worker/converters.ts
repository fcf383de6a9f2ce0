/**
 * The worker's view of the data converter: the payload converter, the failure converter
 * and the payload codecs, from `WorkerOptions.dataConverter` (src/common's DataConverter).
 */
import * as common from "../common/index.js";
import type { Converters } from "./activity.js";
import type { PayloadCodec } from "./payload-codecs.js";

export async function loadConverters(dataConverter: Record<string, unknown> | undefined): Promise<Converters> {
  const loaded = (common as { loadDataConverter?: (dc?: unknown) => unknown }).loadDataConverter;
  if (typeof loaded === "function") {
    const l = (await loaded(dataConverter)) as Partial<Converters> & { payloadCodecs?: PayloadCodec[] };
    return {
      payloadConverter: l.payloadConverter ?? common.defaultPayloadConverter,
      failureConverter: l.failureConverter ?? new common.DefaultFailureConverter(),
      payloadCodecs: l.payloadCodecs ?? [],
    };
  }
  const dc = (dataConverter ?? {}) as Partial<Converters>;
  return {
    payloadConverter: dc.payloadConverter ?? common.defaultPayloadConverter,
    failureConverter: dc.failureConverter ?? new common.DefaultFailureConverter(),
    payloadCodecs: dc.payloadCodecs ?? [],
  };
}
