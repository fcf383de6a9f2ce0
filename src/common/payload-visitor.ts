/**
 * One payload visitor for every protobuf-es message: client requests and responses, history
 * events, Failures, core activations and completions.
 *
 * It walks the message by its schema (descriptors, not guesswork on object shapes) and finds
 * every `temporal.api.common.v1.Payload`: singular fields, repeated fields, map values and
 * oneof cases, at any depth (`Payloads.payloads`, `Failure.encoded_attributes`, failure
 * details, heartbeat details, memo, headers, …). All payloads found are handed to `fn` in ONE
 * call (so a codec sees one batch per message) and the results are written back IN PLACE:
 * the message is mutated and returned.
 *
 * Not visited by default: search attributes (`temporal.api.common.v1.SearchAttributes`),
 * because the server must read them to index them. Memo is visited (encoded), as in the
 * official SDKs. Headers (`Header.fields`, and core's bare `headers` / `headerFields` maps)
 * are visited by `visitPayloads` / `collectPayloads` unless `skipHeaders` is set, but the codec
 * runners (`encodePayloadsInMessage` / `decodePayloadsInMessage`) skip them by default: the
 * official SDK never runs codecs over headers (its WorkflowCodecRunner passes skipHeaders, its
 * activity worker decodes only the input and heartbeat details, its client sends interceptor
 * headers as they are), so a header written by an official client or worker must reach ours,
 * and history, byte for byte, and vice versa.
 *
 * For speed, each message type gets a plan once (cached): the list of its fields that can
 * lead to a Payload. Subtrees that cannot contain a payload are never entered.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { ValueError } from "./errors.js";
import { asPayload, decodePayloads, encodePayloads, type PayloadCodec } from "./payload-codec.js";

const PAYLOAD = "temporal.api.common.v1.Payload";
const SEARCH_ATTRIBUTES = "temporal.api.common.v1.SearchAttributes";
const HEADER = "temporal.api.common.v1.Header";
/** Fields of core messages that hold headers as a bare map<string, Payload>. */
const HEADER_MAP_FIELDS = new Set(["headers", "headerFields"]);
/** Fields that hold search attributes as a bare map<string, Payload>. */
const SEARCH_ATTRIBUTE_MAP_FIELDS = new Set(["searchAttributes", "indexedFields"]);
const MAX_DEPTH = 200;

export interface VisitPayloadsOptions {
  /** Leave search attribute values alone (default true: the server indexes them). */
  skipSearchAttributes?: boolean;
  /**
   * Leave headers alone. Default false for `visitPayloads` / `collectPayloads`, true for the
   * codec runners (`encodePayloadsInMessage` / `decodePayloadsInMessage`), as in the official SDK.
   */
  skipHeaders?: boolean;
}

type Kind = "payload" | "payloadList" | "payloadMap" | "message" | "messageList" | "messageMap";
interface Step {
  kind: Kind;
  /** Property of the message (or of the oneof object, then it is always "value"). */
  key: string;
  /** Set for oneof members: the oneof's property, and the case this field is. */
  oneof?: string;
  case?: string;
  sub?: DescMessage;
}

/** The fields of one message type that can lead to a payload. */
type Plan = readonly Step[];

const planCaches = new Map<string, Map<string, Plan>>();

function cacheFor(o: Required<VisitPayloadsOptions>): Map<string, Plan> {
  const key = `${o.skipSearchAttributes ? 1 : 0}${o.skipHeaders ? 1 : 0}`;
  let cache = planCaches.get(key);
  if (!cache) planCaches.set(key, (cache = new Map()));
  return cache;
}

function skipType(desc: DescMessage, o: Required<VisitPayloadsOptions>): boolean {
  return (o.skipSearchAttributes && desc.typeName === SEARCH_ATTRIBUTES) || (o.skipHeaders && desc.typeName === HEADER);
}

function skipField(field: DescField, o: Required<VisitPayloadsOptions>): boolean {
  if (field.fieldKind !== "map") return false;
  return (o.skipSearchAttributes && SEARCH_ATTRIBUTE_MAP_FIELDS.has(field.localName)) || (o.skipHeaders && HEADER_MAP_FIELDS.has(field.localName));
}

/** Whether a message of this type can (transitively) hold a payload. Breadth-first over the type graph; memoised per type. */
function canHoldPayload(root: DescMessage, o: Required<VisitPayloadsOptions>, memo: Map<string, boolean>): boolean {
  const known = memo.get(root.typeName);
  if (known !== undefined) return known;
  if (root.typeName === PAYLOAD) return true;
  const seen = new Set<string>([root.typeName]);
  const queue: DescMessage[] = [root];
  let found = false;
  while (queue.length > 0 && !found) {
    const desc = queue.shift()!;
    if (skipType(desc, o)) continue;
    for (const field of desc.fields) {
      const sub = field.message;
      if (!sub || skipField(field, o)) continue;
      if (sub.typeName === PAYLOAD || memo.get(sub.typeName) === true) {
        found = true;
        break;
      }
      if (!seen.has(sub.typeName) && memo.get(sub.typeName) !== false) {
        seen.add(sub.typeName);
        queue.push(sub);
      }
    }
  }
  // Without a payload anywhere, nothing reachable from here can hold one either.
  if (!found) for (const name of seen) memo.set(name, false);
  memo.set(root.typeName, found);
  return found;
}

const reachMemos = new Map<Map<string, Plan>, Map<string, boolean>>();

function planFor(desc: DescMessage, o: Required<VisitPayloadsOptions>): Plan {
  const cache = cacheFor(o);
  const cached = cache.get(desc.typeName);
  if (cached) return cached;
  let memo = reachMemos.get(cache);
  if (!memo) reachMemos.set(cache, (memo = new Map()));
  const steps: Step[] = [];
  if (!skipType(desc, o)) {
    for (const field of desc.fields) {
      const sub = field.message;
      if (!sub || skipField(field, o)) continue;
      const isPayload = sub.typeName === PAYLOAD;
      if (!isPayload && !canHoldPayload(sub, o, memo)) continue;
      const base = { key: field.localName, sub };
      if (field.fieldKind === "list") steps.push({ ...base, kind: isPayload ? "payloadList" : "messageList" });
      else if (field.fieldKind === "map") steps.push({ ...base, kind: isPayload ? "payloadMap" : "messageMap" });
      else if (field.oneof) steps.push({ ...base, kind: isPayload ? "payload" : "message", oneof: field.oneof.localName, case: field.localName, key: "value" });
      else steps.push({ ...base, kind: isPayload ? "payload" : "message" });
    }
  }
  cache.set(desc.typeName, steps);
  return steps;
}

/** Where each found payload lives: holder[key]. */
interface Slots {
  holders: Record<string | number, unknown>[];
  keys: (string | number)[];
  payloads: Payload[];
}

function collect(desc: DescMessage, message: Record<string, unknown>, o: Required<VisitPayloadsOptions>, slots: Slots, depth: number): void {
  if (depth > MAX_DEPTH) throw new ValueError(`payload visitor: message nested deeper than ${MAX_DEPTH} levels`);
  for (const step of planFor(desc, o)) {
    let holder: Record<string, unknown> = message;
    if (step.oneof !== undefined) {
      const oneof = message[step.oneof] as { case?: string } | undefined;
      if (!oneof || oneof.case !== step.case) continue;
      holder = oneof as Record<string, unknown>;
    }
    const value = holder[step.key];
    if (value === undefined || value === null) continue;
    switch (step.kind) {
      case "payload":
        add(slots, holder, step.key, value);
        break;
      case "payloadList": {
        const list = value as unknown[];
        for (let i = 0; i < list.length; i++) add(slots, list as never, i, list[i]);
        break;
      }
      case "payloadMap": {
        const map = value as Record<string, unknown>;
        for (const k of Object.keys(map)) add(slots, map, k, map[k]);
        break;
      }
      case "message":
        collect(step.sub!, value as Record<string, unknown>, o, slots, depth + 1);
        break;
      case "messageList":
        for (const item of value as Record<string, unknown>[]) if (item) collect(step.sub!, item, o, slots, depth + 1);
        break;
      case "messageMap": {
        const map = value as Record<string, Record<string, unknown>>;
        for (const k of Object.keys(map)) if (map[k]) collect(step.sub!, map[k]!, o, slots, depth + 1);
        break;
      }
    }
  }
}

function add(slots: Slots, holder: Record<string | number, unknown>, key: string | number, value: unknown): void {
  if (value === undefined || value === null) return;
  slots.holders.push(holder);
  slots.keys.push(key);
  slots.payloads.push(value as Payload);
}

/** Every payload in `message` (in walk order), without changing anything. */
export function collectPayloads(schema: DescMessage, message: object, options: VisitPayloadsOptions = {}): Payload[] {
  const slots: Slots = { holders: [], keys: [], payloads: [] };
  collect(schema, message as Record<string, unknown>, resolve(options), slots, 0);
  return slots.payloads;
}

/**
 * Replaces every payload in `message` (of type `schema`) with `fn`'s result, in place, and
 * returns the message. `fn` is called once with all payloads and must return as many.
 * `fn` is not called when the message holds no payload.
 */
export async function visitPayloads<M extends object>(
  schema: DescMessage,
  message: M,
  fn: (payloads: Payload[]) => Promise<Payload[]>,
  options: VisitPayloadsOptions = {},
): Promise<M> {
  if (!message || (message as { $typeName?: unknown }).$typeName !== schema.typeName) {
    throw new ValueError(`payload visitor: expected a '${schema.typeName}' message, got ${describe(message)}`);
  }
  const slots: Slots = { holders: [], keys: [], payloads: [] };
  collect(schema, message as Record<string, unknown>, resolve(options), slots, 0);
  const count = slots.payloads.length;
  if (count === 0) return message;
  const result: unknown = await fn(slots.payloads);
  if (!Array.isArray(result) || result.length !== count) {
    throw new ValueError(`payload visitor: expected ${count} payloads back, got ${Array.isArray(result) ? result.length : typeof result}`);
  }
  for (let i = 0; i < count; i++) slots.holders[i]![slots.keys[i]!] = asPayload(result[i], `payload ${i}`);
  return message;
}

/** Runs the codecs' encode (in order) over every payload in `message` except headers (unless `skipHeaders: false`), in place. No codecs: no walk. */
export function encodePayloadsInMessage<M extends object>(codecs: readonly PayloadCodec[], schema: DescMessage, message: M, options?: VisitPayloadsOptions): Promise<M> {
  if (codecs.length === 0) return Promise.resolve(message);
  return visitPayloads(schema, message, (payloads) => encodePayloads(codecs, payloads), codecOptions(options));
}

/** Runs the codecs' decode (in reverse order) over every payload in `message` except headers (unless `skipHeaders: false`), in place. No codecs: no walk. */
export function decodePayloadsInMessage<M extends object>(codecs: readonly PayloadCodec[], schema: DescMessage, message: M, options?: VisitPayloadsOptions): Promise<M> {
  if (codecs.length === 0) return Promise.resolve(message);
  return visitPayloads(schema, message, (payloads) => decodePayloads(codecs, payloads), codecOptions(options));
}

/** Codecs never see headers unless asked to (see the header comment). */
function codecOptions(o: VisitPayloadsOptions | undefined): VisitPayloadsOptions {
  return { ...o, skipHeaders: o?.skipHeaders ?? true };
}

function resolve(o: VisitPayloadsOptions): Required<VisitPayloadsOptions> {
  return { skipSearchAttributes: o.skipSearchAttributes ?? true, skipHeaders: o.skipHeaders ?? false };
}

function describe(value: unknown): string {
  if (value && typeof value === "object" && typeof (value as { $typeName?: unknown }).$typeName === "string") return `'${(value as { $typeName: string }).$typeName}'`;
  return value === null ? "null" : typeof value;
}
