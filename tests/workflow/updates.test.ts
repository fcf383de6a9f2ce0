/**
 * Workflow updates at the activation level: what each DoUpdate job produces (accepted,
 * completed, rejected update responses), validators, buffering, default handler,
 * currentUpdateInfo, unfinished-handler warnings. End to end: tests/e2e/updates*.test.ts.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, failureOf, fromPayload, jobs, kinds, resultOf, toPayload } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/update-workflows.ts") });
});

function runtime() {
  const { lines, logger } = capturingLogger();
  return Object.assign(createWorkflowRuntime({ bundle, namespace: "ns", taskQueue: "tq", logger }), { lines });
}

const doUpdate = (id: string, name: string, args: unknown[] = [], runValidator = true) =>
  ({ case: "doUpdate", value: { id, protocolInstanceId: `p-${id}`, name, input: args.map(toPayload), headers: {}, runValidator } }) as never;

/** The update responses of a completion: [protocolInstanceId, kind, value]. */
function responses(c: Parameters<typeof commands>[0]): [string, string, unknown][] {
  return commands(c)
    .filter((v) => v.case === "updateResponse")
    .map((v) => {
      if (v.case !== "updateResponse") throw new Error();
      const r = v.value.response;
      const value = r.case === "completed" ? fromPayload(r.value) : r.case === "rejected" ? r.value.message : undefined;
      return [v.value.protocolInstanceId, String(r.case), value];
    });
}

describe("updates", () => {
  test("accepted, then completed with the handler's result; the handler runs as a coroutine", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("counter"), doUpdate("u1", "add", [5])]));
    expect(responses(c1)).toEqual([["p-u1", "accepted", undefined]]);
    expect(kinds(c1)).toEqual(["updateResponse", "startTimer"]);
    const c2 = await rt.activate(activation("r1", [jobs.fireTimer(1)]));
    expect(responses(c2)).toEqual([["p-u1", "completed", 5]]);
    const added = rt.lines.find((l) => l.message === "added 5");
    // currentUpdateInfo() holds across the handler's await.
    expect(added?.meta).toMatchObject({ before: { id: "u1", name: "add" }, after: { id: "u1", name: "add" } });
  });

  test("a validator that throws rejects the update before it is accepted; the handler does not run", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("counter")]));
    const c = await rt.activate(activation("r1", [doUpdate("u1", "add", [-1])]));
    expect(responses(c)).toEqual([["p-u1", "rejected", "negative: -1"]]);
    expect(kinds(c)).toEqual(["updateResponse"]);
  });

  test("runValidator false (replay of an accepted update): the validator is not run", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("counter")]));
    const c = await rt.activate(activation("r1", [doUpdate("u1", "add", [-1], false)], { isReplaying: true }));
    expect(responses(c)).toEqual([["p-u1", "accepted", undefined]]);
  });

  test("the validator may log while replaying (logs are otherwise suppressed on replay)", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("counter")], { isReplaying: true }));
    await rt.activate(activation("r1", [doUpdate("u1", "add", [3])], { isReplaying: true }));
    expect(rt.lines.map((l) => l.message)).toContain("validating 3");
  });

  test("a handler that throws a TemporalFailure rejects the update; the workflow goes on", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("counter")]));
    const c = await rt.activate(activation("r1", [doUpdate("u1", "fail", ["application"])]));
    expect(responses(c)).toEqual([
      ["p-u1", "accepted", undefined],
      ["p-u1", "rejected", "update says no"],
    ]);
    const c2 = await rt.activate(activation("r1", [jobs.signal("done")]));
    expect(resultOf(c2)).toBe(0);
  });

  test("a handler that throws another error fails the workflow task", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("counter")]));
    const c = await rt.activate(activation("r1", [doUpdate("u1", "fail", ["bug"])]));
    expect(failureOf(c).message).toBe("a bug in the handler");
  });

  test("an update with no handler at the end of its activation is rejected, as official", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("lateHandler"), doUpdate("u1", "late", ["x"])]));
    expect(responses(c)).toEqual([["p-u1", "rejected", "No registered handler for update: late"]]);
  });

  test("an update delivered with the init job reaches a handler set after an await in the same activation", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("handlerAfterAwait"), doUpdate("u1", "early", ["hi"])]));
    expect(responses(c)).toEqual([
      ["p-u1", "accepted", undefined],
      ["p-u1", "completed", "hi"],
    ]);
    expect(resultOf(c)).toBe("hi");
  });

  test("the default update handler gets the name first; currentUpdateInfo names the update", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("defaultHandler"), doUpdate("u1", "one", [1]), doUpdate("u2", "two", [2, 3])]));
    expect(responses(c)).toEqual([
      ["p-u1", "accepted", undefined],
      ["p-u2", "accepted", undefined],
      ["p-u1", "completed", 1],
      ["p-u2", "completed", 2],
    ]);
    expect(resultOf(c)).toEqual([
      ["one", 1, "one"],
      ["two", 2, 3, "two"],
    ]);
  });

  test("a reserved update name never reaches the default handler: the task fails", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("defaultHandler")]));
    const c = await rt.activate(activation("r1", [doUpdate("u1", "__temporal_x")]));
    expect(failureOf(c).message).toBe("Cannot use update name: '__temporal_x', with reserved prefix: '__temporal_'");
  });

  test("completing while an update handler runs logs the official [TMPRL1102] update warning (not with ABANDON)", async () => {
    for (const abandon of [false, true]) {
      const rt = runtime();
      const c = await rt.activate(activation("r1", [jobs.init("unfinished", [abandon]), doUpdate("u1", "slow")]));
      expect(resultOf(c)).toEqual({ finishedBefore: false });
      const warning = rt.lines.find((l) => l.level === "warn" && l.message.startsWith("[TMPRL1102] Workflow finished while an update handler was still running."));
      if (abandon) expect(warning).toBeUndefined();
      else expect(warning?.message).toEndWith('The following updates were unfinished (and warnings were not disabled for their handler): [{"name":"slow","id":"u1"}]');
    }
  });

  test("__temporal_workflow_metadata lists update definitions with their descriptions", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("counter")]));
    const c = await rt.activate(activation("r1", [jobs.query("q1", "__temporal_workflow_metadata")]));
    const [answer] = commands(c);
    if (answer?.case !== "respondToQuery" || answer.value.variant.case !== "succeeded") throw new Error(kinds(c).join());
    const metadata = fromPayload(answer.value.variant.value.response) as { definition: { updateDefinitions: unknown[] } };
    expect(metadata.definition.updateDefinitions).toEqual([{ name: "add", description: "Adds to the total" }, { name: "fail" }]);
  });

  test("currentUpdateInfo() is undefined outside an update", async () => {
    const rt = runtime();
    expect(resultOf(await rt.activate(activation("r1", [jobs.init("outsideUpdate")])))).toBeNull();
  });
});
