/**
 * Search attributes and memo compared with the official SDK 1.24: the same workflow
 * (tests/compat/fixtures/search-attributes-workflows.ts: typed upserts, typed removals, a legacy
 * upsert, a memo upsert) started with the same options on an official Worker on Node
 * (tests/compat/official-worker.ts) and on ours. What workflowInfo() showed after each step
 * must be equal, and so must the payloads of the upsert events in the two histories; each SDK
 * replays the other's history.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import type { Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { Worker, bundleWorkflowCode } from "../../src/worker/index.js";
import { defineSearchAttributeKey } from "../../src/client/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { client, env, uid } from "../e2e/helpers.js";
import { replayOnOfficial, startOfficialWorker, type OfficialWorker } from "./official-worker.js";

const WORKFLOWS = new URL("./fixtures/search-attributes-workflows.ts", import.meta.url).pathname;

let sdkDir: string;
let ours: { taskQueue: string; stop(): Promise<void> } | undefined;

/** Our Worker for WORKFLOWS on a fresh task queue (the e2e helper's startWorker bundles files of tests/e2e/fixtures only). */
async function startOurWorker() {
  const e = await env();
  const taskQueue = uid("search-attributes-ours");
  const worker = await Worker.create({ connection: e.connection, taskQueue, workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS }), shutdownSignals: [] });
  const running = worker.run();
  running.catch(() => undefined); // observed by stop()
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
let official: OfficialWorker | undefined;

beforeAll(async () => {
  sdkDir = await ensureOfficialSdk();
  [ours, official] = await Promise.all([
    startOurWorker(),
    startOfficialWorker(sdkDir, WORKFLOWS, "search-attributes"),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([ours?.stop(), official?.stop()]);
});

async function run(taskQueue: string) {
  const c = await client();
  const h = await c.workflow.start("searchAttributeUpserts", {
    taskQueue,
    workflowId: uid("searchAttributeUpserts"),
    workflowExecutionTimeout: "20s",
    typedSearchAttributes: [
      { key: defineSearchAttributeKey("TestKeyword", "KEYWORD"), value: "start" },
      { key: defineSearchAttributeKey("TestInt", "INT"), value: 1 },
    ],
    searchAttributes: { TestDatetime: [new Date("2025-01-01T00:00:00.000Z")] },
    memo: { owner: "alice", keep: { x: 1 } },
  });
  const seen = await h.result().catch(async (err) => {
    // A workflow task that keeps failing shows only as a timeout: say why.
    const failures = (await h.fetchHistory()).events.flatMap((e) => (e.attributes.case === "workflowTaskFailedEventAttributes" ? [e.attributes.value.failure?.message] : []));
    throw new Error(`${taskQueue}: ${(err as Error).message}; workflow task failures: ${JSON.stringify([...new Set(failures)])}`, { cause: err });
  });
  return { workflowId: h.workflowId, seen, history: await h.fetchHistory() };
}

/** The views with their typed pairs sorted by name. */
function byName(seen: unknown): unknown {
  return (seen as { typed: { key: { name: string } }[] }[]).map((v) => ({ ...v, typed: [...v.typed].sort((a, b) => a.key.name.localeCompare(b.key.name)) }));
}

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const showFields = (fields: Record<string, Payload> | undefined) =>
  Object.fromEntries(Object.entries(fields ?? {}).map(([k, p]) => [k, { ...Object.fromEntries(Object.entries(p.metadata).map(([m, v]) => [m, text(v)])), data: text(p.data) }]));

/** The search attribute and memo payloads of the history's upsert events, in order. */
function upsertEvents(history: History): unknown[] {
  return history.events.flatMap((e): unknown[] => {
    if (e.eventType === EventType.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES && e.attributes.case === "upsertWorkflowSearchAttributesEventAttributes") {
      return [{ upsert: showFields(e.attributes.value.searchAttributes?.indexedFields) }];
    }
    if (e.eventType === EventType.WORKFLOW_PROPERTIES_MODIFIED && e.attributes.case === "workflowPropertiesModifiedEventAttributes") {
      return [{ memo: showFields(e.attributes.value.upsertedMemo?.fields) }];
    }
    return [];
  });
}

test("workflowInfo() after each upsert and the upsert events are the official SDK's; each SDK replays the other's history", async () => {
  const [o, b] = await Promise.all([run(official!.taskQueue), run(ours!.taskQueue)]);
  const seen = o.seen as { label: string; typed: unknown[] }[];
  expect(seen.map((s) => s.label)).toEqual(["start", "typed", "typed removals", "legacy", "memo"]);
  expect(seen[1]!.typed.length).toBe(7);
  // Substance of the official run (so that an empty comparison cannot pass): the untyped view
  // loses an attribute removed by a key of another type, the typed view keeps it, as official.
  const removals = seen[2] as unknown as { typed: { key: { name: string } }[]; untyped: Record<string, unknown> };
  expect(removals.typed.map((p) => p.key.name)).toContain("TestKeyword");
  expect(Object.keys(removals.untyped)).not.toContain("TestKeyword");
  expect((seen[4] as unknown as { memo: unknown }).memo).toEqual({ keep: "replaced", added: { n: [1, 2] } });
  // The server sends search attributes in a random order (a Go map): compare typed pairs by name.
  expect(byName(b.seen)).toEqual(byName(o.seen));

  const events = upsertEvents(o.history);
  expect(events.length).toBe(4);
  expect(upsertEvents(b.history)).toEqual(events);

  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS });
  await Worker.runReplayHistory({ workflowBundle: bundle }, o.history, o.workflowId);
  const verdicts = await replayOnOfficial(sdkDir, WORKFLOWS, [{ workflowId: b.workflowId, history: b.history }]);
  expect(verdicts).toEqual([{ workflowId: b.workflowId }]);
}, 120_000);
