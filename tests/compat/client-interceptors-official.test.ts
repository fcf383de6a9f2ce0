/**
 * Headers written by our client's interceptors reach the workflow unchanged, on the official
 * SDK 1.24's worker on Node and on ours: a workflow interceptor module
 * (tests/e2e/fixtures/client-header-interceptors.ts, in the official shape) records the headers
 * that `execute`, each signal, query and update arrived with, and the test compares them with
 * what the client interceptor wrote — start, signal, query, update, signal-with-start and
 * update-with-start.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client, WithStartWorkflowOperation, type WorkflowClientInterceptor } from "../../src/client/index.js";
import { defaultPayloadConverter, type Payload } from "../../src/common/index.js";
import { bundleWorkflowCode } from "../../src/worker/index.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { env, fixture, startWorker, uid } from "../e2e/helpers.js";
import { addNote, finish, headerEcho, note, notes } from "../e2e/fixtures/client-header-workflows.js";
import type { Seen } from "../e2e/fixtures/client-header-interceptors.js";
import { startOfficialWorker } from "./official-worker.js";

const WORKFLOWS = fixture("client-header-workflows.ts");
const INTERCEPTORS = fixture("client-header-interceptors.ts");

const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v) as Payload;

/** Adds `tenant` and `hook` (the hook's name) to every header map it is given. */
const tagger: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => next({ ...input, headers: { ...input.headers, tenant: toPayload("acme"), hook: toPayload("startWithDetails") } }),
  signal: (input, next) => next({ ...input, headers: { ...input.headers, tenant: toPayload("acme"), hook: toPayload("signal") } }),
  query: (input, next) => next({ ...input, headers: { ...input.headers, tenant: toPayload("acme"), hook: toPayload("query") } }),
  startUpdate: (input, next) => next({ ...input, headers: { ...input.headers, tenant: toPayload("acme"), hook: toPayload("startUpdate") } }),
  signalWithStart: (input, next) => next({ ...input, headers: { ...input.headers, tenant: toPayload("acme"), hook: toPayload("signalWithStart") } }),
  startUpdateWithStart: (input, next) =>
    next({
      ...input,
      workflowStartHeaders: { ...input.workflowStartHeaders, tenant: toPayload("acme"), hook: toPayload("uws:start") },
      updateHeaders: { ...input.updateHeaders, tenant: toPayload("acme"), hook: toPayload("uws:update") },
    }),
};

const tagged = (hook: string) => ({ tenant: "acme", hook });

function headerScenario(label: string, start: () => Promise<{ taskQueue: string; stop(): Promise<void> }>): void {
  describe(`our client's interceptor headers on ${label}`, () => {
    let w: { taskQueue: string; stop(): Promise<void> };
    let c: Client;
    beforeAll(async () => {
      w = await start();
      const e = await env();
      c = new Client({ connection: e.connection, namespace: e.namespace, interceptors: { workflow: [tagger] } });
    }, 120_000);
    afterAll(async () => {
      await w?.stop();
    });

    test("start, signal, query and update: the workflow sees each call's headers as written", async () => {
      const h = await c.workflow.start(headerEcho, { workflowId: uid("hdr"), taskQueue: w.taskQueue, args: ["start"] });
      await h.signal(note, "signal");
      expect(await h.query(notes)).toEqual(["start", "signal"]);
      expect(await h.executeUpdate(addNote, { args: ["update"] })).toBe(3);
      const seen = await h.query<Seen[]>("headersSeen");
      expect(seen).toHaveLength(4);
      expect(seen).toContainEqual({ call: "execute", headers: tagged("startWithDetails") });
      expect(seen).toContainEqual({ call: "signal:note", headers: tagged("signal") });
      expect(seen).toContainEqual({ call: "query:notes", headers: tagged("query") });
      expect(seen).toContainEqual({ call: "update:addNote", headers: tagged("startUpdate") });
      await h.signal(finish);
      expect(await h.result()).toEqual(["start", "signal", "update"]);
    }, 60_000);

    test("signal-with-start and update-with-start: start and signal/update headers as written", async () => {
      const s = await c.workflow.signalWithStart(headerEcho, { workflowId: uid("hdr-sws"), taskQueue: w.taskQueue, args: ["start"], signal: note, signalArgs: ["sws"] });
      expect(await s.query(notes)).toEqual(["start", "sws"]);
      const sSeen = await s.query<Seen[]>("headersSeen");
      expect(sSeen).toContainEqual({ call: "execute", headers: tagged("signalWithStart") });
      expect(sSeen).toContainEqual({ call: "signal:note", headers: tagged("signalWithStart") });
      await s.signal(finish);
      await s.result();

      const op = new WithStartWorkflowOperation(headerEcho, { workflowId: uid("hdr-uws"), taskQueue: w.taskQueue, args: ["start"], workflowIdConflictPolicy: "FAIL" });
      expect(await c.workflow.executeUpdateWithStart(addNote, { args: ["uws"], startWorkflowOperation: op })).toBe(2);
      const u = await op.workflowHandle();
      const uSeen = await u.query<Seen[]>("headersSeen");
      expect(uSeen).toContainEqual({ call: "execute", headers: tagged("uws:start") });
      expect(uSeen).toContainEqual({ call: "update:addNote", headers: tagged("uws:update") });
      await u.signal(finish);
      expect(await u.result()).toEqual(["start", "uws"]);
    }, 60_000);
  });
}

headerScenario("the official worker", async () =>
  startOfficialWorker(await ensureOfficialSdk(), WORKFLOWS, "client-headers", { COMPAT_WORKFLOW_INTERCEPTOR_MODULES: INTERCEPTORS }),
);
// The module is bundled with the workflows (as official: a prebuilt bundle carries its interceptor modules).
headerScenario("our worker", async () =>
  startWorker("client-header-workflows.ts", { workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS, workflowInterceptorModules: [INTERCEPTORS] }) }),
);
