/**
 * `upsertSearchAttributes` and `upsertMemo`: each pushes one command (core's
 * UpsertWorkflowSearchAttributes / ModifyWorkflowProperties, which become the history events
 * of the same names) and replaces the run's WorkflowInfo so that `workflowInfo()` shows the
 * merged values at once. Replay runs the same code, so the info is rebuilt the same way; core
 * matches each command with its recorded event.
 *
 * Encoding, validation, error messages and the info merge follow @temporalio/workflow 1.24's
 * functions of the same names.
 */
import {
  IllegalStateError,
  TypedSearchAttributes,
  encodeUnifiedSearchAttributes,
  type SearchAttributes,
  type SearchAttributeUpdatePair,
} from "../common/index.js";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { maybeGetActivator, type Activator } from "./activator.js";
import type { WorkflowInfo } from "./interfaces.js";

function activatorFor(api: string): Activator {
  const a = maybeGetActivator();
  if (a === undefined) throw new IllegalStateError(`Workflow.${api}(...) may only be used from a Workflow Execution.`);
  return a;
}

/**
 * Merges `searchAttributes` into this workflow's search attributes.
 *
 * - Typed pairs (`[{ key: defineSearchAttributeKey(name, type), value }]`, preferred): a `null`
 *   value removes the attribute.
 * - The untyped record (deprecated) `{ Name: [values] }`: an empty array removes the attribute;
 *   a value that is not an array (`undefined` included, as in the official SDK's encoder) is a
 *   ValueError. `workflowInfo().typedSearchAttributes` gets the type the values imply (strings are
 *   TEXT unless the attribute is already a KEYWORD, ISO date strings and Dates DATETIME, …).
 */
export function upsertSearchAttributes(searchAttributes: SearchAttributes | SearchAttributeUpdatePair[]): void {
  const a = activatorFor("upsertSearchAttributes");
  if (searchAttributes === null || searchAttributes === undefined) {
    throw new TypeError("searchAttributes must be a non-null SearchAttributes");
  }
  if (Array.isArray(searchAttributes)) {
    const updates = searchAttributes;
    // Encoded before anything changes: a bad pair throws (ValueError) with no command pushed.
    const indexedFields = encodeUnifiedSearchAttributes(undefined, updates);
    a.pushCommand({ variant: { case: "upsertWorkflowSearchAttributes", value: { searchAttributes: { indexedFields } } } });
    a.mutateInfo((info): WorkflowInfo => {
      const untyped: SearchAttributes = { ...info.searchAttributes };
      for (const pair of updates) {
        if (pair.value === null || pair.value === undefined) delete untyped[pair.key.name];
        else untyped[pair.key.name] = (Array.isArray(pair.value) ? pair.value : [pair.value]) as SearchAttributes[string];
      }
      return { ...info, searchAttributes: untyped, typedSearchAttributes: info.typedSearchAttributes.updateCopy(updates) };
    });
    return;
  }
  if (typeof searchAttributes !== "object") {
    throw new TypeError(`searchAttributes must be a SearchAttributes record or an array of SearchAttributeUpdatePair, got ${typeof searchAttributes}`);
  }
  const record = searchAttributes;
  const indexedFields = encodeUnifiedSearchAttributes(record);
  a.pushCommand({ variant: { case: "upsertWorkflowSearchAttributes", value: { searchAttributes: { indexedFields } } } });
  a.mutateInfo((info): WorkflowInfo => {
    let typed = info.typedSearchAttributes.copy();
    const untyped: SearchAttributes = { ...info.searchAttributes };
    for (const [name, values] of Object.entries(record)) {
      // The encoder above accepted only arrays; an empty one removes the attribute. Its type
      // cannot be told from no values, so the typed pair of that name goes whatever its type.
      if (values === undefined || values.length === 0) {
        const existing = typed.getAll().find((p) => p.key.name === name);
        if (existing) typed = typed.updateCopy([{ key: existing.key, value: null }]);
        delete untyped[name];
        continue;
      }
      const key = TypedSearchAttributes.getKeyFromUntyped(name, values);
      // Values of no search attribute type (e.g. a list of numbers): the command carries them,
      // the info does not change, as official.
      if (key === undefined) continue;
      if (key.type === "TEXT") {
        // A string may as well be a KEYWORD: keep the type the attribute already has.
        const existing = typed.getAll().find((p) => p.key.name === name);
        if (existing) key.type = existing.key.type;
      }
      let value: unknown = values;
      if (values.length === 1) {
        value = values[0];
        if (key.type === "DATETIME") value = new Date(value as string | Date);
      }
      typed = typed.updateCopy([{ key, value } as SearchAttributeUpdatePair]);
      untyped[name] = values;
    }
    return { ...info, searchAttributes: untyped, typedSearchAttributes: typed };
  });
}

/**
 * Merges `memo` into this workflow's memo: each key replaces the value of that key (objects are
 * not merged deeply); a `null` or `undefined` value removes the key. The values go through the
 * worker's payload converter (and its codec, with the rest of the completion).
 */
export function upsertMemo(memo: Record<string, unknown>): void {
  const a = activatorFor("upsertMemo");
  if (memo === null || memo === undefined) throw new TypeError("memo must be a non-null Record");
  if (typeof memo !== "object" || Array.isArray(memo)) throw new TypeError(`memo must be a Record of values, got ${Array.isArray(memo) ? "an array" : typeof memo}`);
  // null becomes undefined, whose payload (binary/null) is how the server is told to remove a key.
  const fields: Record<string, Payload> = {};
  for (const [k, v] of Object.entries(memo)) fields[k] = a.toPayload(v ?? undefined);
  a.pushCommand({ variant: { case: "modifyWorkflowProperties", value: { upsertedMemo: { fields } } } });
  a.mutateInfo((info): WorkflowInfo => ({
    ...info,
    memo: Object.fromEntries(Object.entries({ ...info.memo, ...memo }).filter(([, v]) => v !== null && v !== undefined)),
  }));
}
