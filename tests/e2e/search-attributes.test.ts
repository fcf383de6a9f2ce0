/**
 * Search attributes and memo end to end: start options from the client, `workflowInfo()` in the
 * workflow, `upsertSearchAttributes` (typed and legacy forms) and `upsertMemo`, visibility
 * queries (`list` / `count`) on the custom attributes the shared dev server registers
 * (tests/helpers/dev-server.ts), `describe()`, continue-as-new, and replay of every history.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { WorkflowHandle } from "../../src/client/index.js";
import { defineSearchAttributeKey } from "../../src/client/index.js";
import { TestWorkflowEnvironment, searchAttributeArgs } from "../../src/testing/index.js";
import { SearchAttributeType } from "../../src/common/index.js";
import { finishSignal, keys, snapshotsQuery, UPSERT_DATE, type Snapshot } from "./fixtures/search-attributes-workflows.js";
import { DeterminismViolationError } from "../../src/worker/index.js";
import { client, expectReplays, isType, replay, startWorker, uid, waitForEvent, type RunningWorker } from "./helpers.js";

const FILE = "search-attributes-workflows.ts";
let w: RunningWorker;

beforeAll(async () => {
  w = await startWorker(FILE);
});

afterAll(async () => {
  await w?.stop();
});

/** Polls `fn` until it returns a value that `ok` accepts (visibility is eventually consistent). */
async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await Bun.sleep(100);
  }
}

async function listIds(query: string): Promise<string[]> {
  const c = await client();
  const ids: string[] = [];
  for await (const info of c.workflow.list({ query })) ids.push(info.workflowId);
  return ids;
}

async function snapshots(h: WorkflowHandle, n: number): Promise<Snapshot[]> {
  return eventually(() => h.query(snapshotsQuery), (s) => s.length >= n, "the workflow's snapshots");
}

describe("start options and upserts", () => {
  test("workflowInfo() shows the start values and every upsert; visibility queries, describe() and replay agree", async () => {
    const c = await client();
    const workflowId = uid("upsertEverything");
    // A value unique to this run, so that visibility queries find this workflow only.
    const marker = `start-${crypto.randomUUID()}`;
    const h = await c.workflow.start("upsertEverything", {
      taskQueue: w.taskQueue,
      workflowId,
      workflowExecutionTimeout: "60s",
      typedSearchAttributes: [
        { key: keys.keyword, value: marker },
        { key: keys.int, value: 1 },
      ],
      memo: { owner: "alice", drop: "x", nested: { deep: [1, 2] } },
    });

    const s = await snapshots(h, 5);
    expect(s.map((x) => x.label)).toEqual(["start", "typed set", "typed remove", "legacy", "memo"]);

    // Start values from the client.
    expect(sorted(s[0]!.typed)).toEqual([
      { name: "TestInt", type: "INT", value: 1 },
      { name: "TestKeyword", type: "KEYWORD", value: marker },
    ]);
    expect(s[0]!.untyped).toEqual({ TestKeyword: [marker], TestInt: [1] });
    expect(s[0]!.memo).toEqual({ owner: "alice", drop: "x", nested: { deep: [1, 2] } });
    expect(s[0]!.got).toMatchObject({ keyword: marker, int: 1 });

    expect(s[1]!.datesOfThisRealm).toEqual([true, true, true]);
    // Typed upsert: set six attributes (one replaced).
    expect(sorted(s[1]!.typed)).toEqual([
      { name: "TestBool", type: "BOOL", value: true },
      { name: "TestDatetime", type: "DATETIME", value: UPSERT_DATE.toISOString() },
      { name: "TestDouble", type: "DOUBLE", value: 2.5 },
      { name: "TestInt", type: "INT", value: 1 },
      { name: "TestKeyword", type: "KEYWORD", value: "upserted" },
      { name: "TestKeywordList", type: "KEYWORD_LIST", value: ["a", "b"] },
      { name: "TestText", type: "TEXT", value: "some searchable words" },
    ]);
    expect(s[1]!.untyped).toEqual({
      TestKeyword: ["upserted"],
      TestInt: [1],
      TestText: ["some searchable words"],
      TestDouble: [2.5],
      TestBool: [true],
      TestDatetime: [UPSERT_DATE.toISOString()],
      TestKeywordList: ["a", "b"],
    });

    // Typed removal (null).
    expect(sorted(s[2]!.typed).map((p) => p.name)).toEqual(["TestDatetime", "TestDouble", "TestKeyword", "TestKeywordList", "TestText"]);
    expect(Object.keys(s[2]!.untyped).sort()).toEqual(["TestDatetime", "TestDouble", "TestKeyword", "TestKeywordList", "TestText"]);
    expect(s[2]!.got.int).toBeUndefined();
    expect(s[2]!.got.bool).toBeUndefined();
    expect(s[2]!.got.double).toBe(2.5);

    // Legacy form: a string keeps the KEYWORD type the attribute has; an empty list removes.
    expect(sorted(s[3]!.typed)).toEqual([
      { name: "TestDatetime", type: "DATETIME", value: UPSERT_DATE.toISOString() },
      { name: "TestInt", type: "INT", value: 7 },
      { name: "TestKeyword", type: "KEYWORD", value: "legacy" },
      { name: "TestKeywordList", type: "KEYWORD_LIST", value: ["a", "b"] },
      { name: "TestText", type: "TEXT", value: "some searchable words" },
    ]);
    expect(s[3]!.untyped).toMatchObject({ TestKeyword: ["legacy"], TestInt: [7] });
    expect(s[3]!.untyped.TestDouble).toBeUndefined();

    // Memo: keys replaced and added; null removes.
    expect(s[4]!.memo).toEqual({ owner: "bob", nested: { deep: [1, 2] }, added: { n: 1 } });

    // Visibility: the server indexed the upserted values (eventually).
    // (Datetime by range: the dev server's SQLite visibility finds no `=` match on a Datetime.)
    const query = `WorkflowId = '${workflowId}' AND TestKeyword = 'legacy' AND TestInt = 7 AND TestKeywordList = 'a' AND TestText = 'searchable' AND TestDatetime BETWEEN '2026-03-04T05:06:06Z' AND '2026-03-04T05:06:08Z'`;
    expect(await eventually(() => listIds(query), (ids) => ids.length === 1, "list() to find the upserted workflow")).toEqual([workflowId]);
    const counted = await eventually(() => c.workflow.count({ query }), (r) => r.count === 1, "count() to count it");
    expect(counted.count).toBe(1);
    // Removed attributes are gone from the index; the start value is no longer found.
    expect(await listIds(`WorkflowId = '${workflowId}' AND TestBool = true`)).toEqual([]);
    expect(await listIds(`TestKeyword = '${marker}'`)).toEqual([]);
    expect((await c.workflow.count({ query: `WorkflowId = '${workflowId}' AND TestDouble IS NULL AND TestInt IS NOT NULL` })).count).toBe(1);

    // describe(): the same values, typed by the server, and the merged memo.
    const d = await h.describe();
    const sa = d.typedSearchAttributes;
    expect(sa.get(keys.keyword)).toBe("legacy");
    expect(sa.get(keys.int)).toBe(7);
    expect(sa.get(keys.text)).toBe("some searchable words");
    expect(sa.get(keys.keywordList)).toEqual(["a", "b"]);
    expect(sa.get(keys.datetime)?.toISOString()).toBe(UPSERT_DATE.toISOString());
    expect(sa.get(keys.bool)).toBeUndefined();
    expect(sa.get(keys.double)).toBeUndefined();
    expect(d.memo).toEqual({ owner: "bob", nested: { deep: [1, 2] }, added: { n: 1 } });

    await h.signal(finishSignal);
    const result = (await h.result()) as Snapshot[];
    expect(result).toEqual(s);

    const history = await expectReplays(h, FILE);
    expect(history.events.filter(isType(EventType.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)).length).toBe(3);
    expect(history.events.filter(isType(EventType.WORKFLOW_PROPERTIES_MODIFIED)).length).toBe(1);
  });

  test("a start with the legacy searchAttributes form: the workflow and describe() see the values", async () => {
    const c = await client();
    const workflowId = uid("startValues-legacy");
    const marker = `legacy-start-${crypto.randomUUID()}`;
    const h = await c.workflow.start("startValues", {
      taskQueue: w.taskQueue,
      workflowId,
      workflowExecutionTimeout: "60s",
      searchAttributes: { TestKeyword: [marker], TestInt: [3], TestDatetime: [UPSERT_DATE] },
    });
    const s = await snapshots(h, 1);
    expect(s[0]!.untyped).toEqual({ TestKeyword: [marker], TestInt: [3], TestDatetime: [UPSERT_DATE.toISOString()] });
    expect(s[0]!.memo).toEqual({});
    // The server added the type metadata: the typed view has them too.
    expect(s[0]!.got).toMatchObject({ keyword: marker, int: 3, datetime: UPSERT_DATE.toISOString() });
    // Start values decoded by the SDK are Dates of the workflow's realm, as on the official SDK.
    expect(s[0]!.datesOfThisRealm).toEqual([true, true, true]);
    const ids = await eventually(() => listIds(`TestKeyword = '${marker}' AND TestInt = 3`), (x) => x.length === 1, "list() on a legacy start value");
    expect(ids).toEqual([workflowId]);
    const d = await h.describe();
    expect(d.searchAttributes).toMatchObject({ TestKeyword: [marker], TestInt: [3], TestDatetime: [UPSERT_DATE] });
    expect(d.typedSearchAttributes.get(keys.int)).toBe(3);
    await h.signal(finishSignal);
    await h.result();
    await expectReplays(h, FILE);
  });

  test("a bad upsert value fails the workflow task with a ValueError naming the attribute; the workflow stays open", async () => {
    const c = await client();
    const h = await c.workflow.start("badUpsert", { taskQueue: w.taskQueue, workflowId: uid("badUpsert"), workflowExecutionTimeout: "60s" });
    const failed = await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a failed workflow task");
    const failure = failed.attributes.case === "workflowTaskFailedEventAttributes" ? failed.attributes.value.failure : undefined;
    expect(failure?.message).toContain("Invalid search attribute value 'not a number' for given type INT (key 'TestInt')");
    expect((await h.describe()).status.name).toBe("RUNNING");
    await h.terminate("test done");
  });
});

describe("replay with changed code", () => {
  test("upserts with other values replay (core matches upsert commands by kind); a removed upsert is a DeterminismViolationError", async () => {
    const c = await client();
    const h = await c.workflow.start("upsertEverything", { taskQueue: w.taskQueue, workflowId: uid("upsertEverything-replay"), workflowExecutionTimeout: "60s" });
    await snapshots(h, 5);
    await h.signal(finishSignal);
    await h.result();
    await replay(h, "search-attributes-changed.ts", "changed-values");
    const err = await replay(h, "search-attributes-changed.ts", "removed-upsert").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeterminismViolationError);
    expect((err as Error).message).toMatch(/nondetermin/i);
  });
});

describe("continue-as-new", () => {
  test("searchAttributes and typedSearchAttributes options become the new run's (typed wins); without them the new run keeps the old run's", async () => {
    const c = await client();
    const workflowId = uid("continueWithSearchAttributes");
    const h = await c.workflow.start("continueWithSearchAttributes", { taskQueue: w.taskQueue, workflowId, workflowExecutionTimeout: "60s" });
    const s = (await h.result()) as Snapshot;
    expect(s.label).toBe("run 2");
    expect(sorted(s.typed)).toEqual([
      { name: "TestInt", type: "INT", value: 2 },
      { name: "TestKeyword", type: "KEYWORD", value: "second-run" },
      { name: "TestText", type: "TEXT", value: "legacy text" },
    ]);
    expect(s.memo).toEqual({ run: 2 });
    const d = await h.describe();
    expect(d.runId).not.toBe(h.firstExecutionRunId);
    expect(d.typedSearchAttributes.get(keys.keyword)).toBe("second-run");
    expect(d.typedSearchAttributes.get(keys.double)).toBeUndefined();
    await expectReplays(h, FILE);
    const first = c.workflow.getHandle(workflowId, h.firstExecutionRunId);
    const firstHistory = await expectReplays(first, FILE);
    expect(firstHistory.events.filter(isType(EventType.WORKFLOW_EXECUTION_CONTINUED_AS_NEW)).length).toBe(1);

    const kept = await c.workflow.start("continueKeepingSearchAttributes", {
      taskQueue: w.taskQueue,
      workflowId: uid("continueKeepingSearchAttributes"),
      workflowExecutionTimeout: "60s",
      typedSearchAttributes: [{ key: keys.int, value: 5 }],
    });
    const k = (await kept.result()) as Snapshot;
    expect(k.label).toBe("run 2");
    expect(k.got).toMatchObject({ keyword: "kept", int: 5 });
    await expectReplays(kept, FILE);
  });
});

describe("TestWorkflowEnvironment.createLocal searchAttributes", () => {
  test("official form (SearchAttributeKeys) and the record form become --search-attribute arguments; bad entries are TypeErrors", () => {
    expect(
      searchAttributeArgs([defineSearchAttributeKey("A", SearchAttributeType.KEYWORD), defineSearchAttributeKey("B", SearchAttributeType.KEYWORD_LIST)]),
    ).toEqual(["--search-attribute", "A=Keyword", "--search-attribute", "B=KeywordList"]);
    expect(searchAttributeArgs({ A: "Int", B: "DATETIME", C: "keyword" })).toEqual([
      "--search-attribute",
      "A=Int",
      "--search-attribute",
      "B=Datetime",
      "--search-attribute",
      "C=Keyword",
    ]);
    expect(searchAttributeArgs(undefined)).toEqual([]);
    expect(() => searchAttributeArgs([{ name: "A", type: "STRING" } as never])).toThrow(
      new TypeError(
        'LocalServerOptions.searchAttributes[0]: expected a SearchAttributeKey whose type is one of TEXT, KEYWORD, INT, DOUBLE, BOOL, DATETIME, KEYWORD_LIST, got "STRING"',
      ),
    );
    expect(() => searchAttributeArgs(["A"] as never)).toThrow(/searchAttributes\[0\]: expected a SearchAttributeKey/);
    expect(() => searchAttributeArgs({ A: "Integer" })).toThrow(/LocalServerOptions.searchAttributes.A: unknown search attribute type "Integer"/);
    expect(() => searchAttributeArgs([{ name: "A=B", type: "INT" }])).toThrow(/invalid search attribute name "A=B"/);
  });

  test("a dev server started with an official-form key indexes it: a start value is found by a visibility query", async () => {
    const key = defineSearchAttributeKey("OfficialFormKeyword", SearchAttributeType.KEYWORD);
    const env = await TestWorkflowEnvironment.createLocal({ server: { searchAttributes: [key], logLevel: "error" } });
    try {
      // No worker needed: the start value is indexed at start.
      const workflowId = uid("official-form");
      const h = await env.client.workflow.start("upsertEverything", {
        taskQueue: "official-form",
        workflowId,
        workflowExecutionTimeout: "60s",
        typedSearchAttributes: [{ key, value: "found" }],
      });
      const ids = await eventually(
        async () => {
          const out: string[] = [];
          for await (const i of env.client.workflow.list({ query: `OfficialFormKeyword = 'found'` })) out.push(i.workflowId);
          return out;
        },
        (x) => x.length === 1,
        "list() on the registered key",
      );
      expect(ids).toEqual([workflowId]);
      expect((await h.describe()).typedSearchAttributes.get(key)).toBe("found");
      await h.terminate("test done");
    } finally {
      await env.teardown();
    }
  });
});

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function sorted<T extends { name: string }>(pairs: T[]): T[] {
  return [...pairs].sort(byName);
}
