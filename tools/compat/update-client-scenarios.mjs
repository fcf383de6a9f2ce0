// Update scenarios run through a client — ours (in bun) or the official @temporalio/client (in
// node, tools/compat/node-update-client.mjs) — against a worker serving
// tests/e2e/fixtures/update-workflows.ts. Plain JS so that both runtimes load this one file;
// tests/compat/update-client-official.test.ts compares what the two clients return and throw.
// Every workflow id starts with `prefix`, so the caller can normalize ids in messages.

/** What a test can compare of an error: class name, message, gRPC code, the workflow fields; the cause only for update failures. */
export function describeError(e) {
  if (!(e instanceof Error)) return { notAnError: String(e) };
  const d = { name: e.name, message: e.message, hasCause: e.cause !== undefined };
  if (typeof e.code === "number") d.code = e.code;
  if ("workflowId" in e) d.workflowId = e.workflowId;
  if ("runId" in e && e.runId !== undefined) d.runId = e.runId;
  if ("workflowType" in e) d.workflowType = e.workflowType;
  if (e.name === "WorkflowUpdateFailedError") {
    const c = e.cause;
    d.cause = { name: c?.name, message: c?.message, type: c?.type, nonRetryable: c?.nonRetryable, details: c?.details };
  }
  return d;
}

const settle = (p) => p.then((value) => ({ value }), (e) => ({ error: describeError(e) }));

export async function runUpdateScenarios({ client, WithStartWorkflowOperation, taskQueue, prefix }) {
  const out = {};
  const h = await client.workflow.start("counter", { workflowId: `${prefix}-counter`, taskQueue, args: [0] });
  out.result = await settle(h.executeUpdate("increment", { args: [2] }));
  out.validatorRejects = await settle(h.executeUpdate("increment", { args: [-1] }));
  out.startUpdateOfRejected = await settle(
    h.startUpdate("increment", { args: [-1], waitForStage: "ACCEPTED", updateId: "rejected" }).then(async (u) => ({
      keys: Object.keys(u).sort(),
      updateId: u.updateId,
      runIdIsSet: typeof u.workflowRunId === "string" && u.workflowRunId !== "",
      result: await settle(u.result()),
    })),
  );
  out.noHandler = await settle(h.executeUpdate("noSuchUpdate"));
  out.handlerThrows = await settle(h.executeUpdate("fail", { args: ["boom"] }));
  out.sameIdTwice = [await settle(h.executeUpdate("increment", { args: [5], updateId: "same" })), await settle(h.executeUpdate("increment", { args: [7], updateId: "same" }))];
  out.updateHandleById = await settle(h.getUpdateHandle("same").result());
  out.updateHandleOfUnknownId = await settle(h.getUpdateHandle("never-sent").result());
  await h.signal("done");
  out.workflowResult = await settle(h.result());
  out.updateOfClosed = await settle(h.executeUpdate("increment", { args: [1] }));
  out.updateOfMissing = await settle(client.workflow.getHandle(`${prefix}-missing`).executeUpdate("increment", { args: [1] }));

  const op = new WithStartWorkflowOperation("counter", { workflowId: `${prefix}-with-start`, taskQueue, args: [1], workflowIdConflictPolicy: "USE_EXISTING" });
  out.withStartNew = await settle(client.workflow.executeUpdateWithStart("increment", { args: [1], startWorkflowOperation: op }));
  const wh = await op.workflowHandle();
  out.withStartHandle = { workflowId: wh.workflowId, runId: wh.runId };
  const op2 = new WithStartWorkflowOperation("counter", { workflowId: `${prefix}-with-start`, taskQueue, args: [1], workflowIdConflictPolicy: "USE_EXISTING" });
  out.withStartExisting = await settle(
    client.workflow.startUpdateWithStart("increment", { args: [10], waitForStage: "ACCEPTED", startWorkflowOperation: op2 }).then((u) => u.result()),
  );
  const op3 = new WithStartWorkflowOperation("counter", { workflowId: `${prefix}-with-start`, taskQueue, args: [1], workflowIdConflictPolicy: "FAIL" });
  out.withStartFail = await settle(client.workflow.executeUpdateWithStart("increment", { args: [1], startWorkflowOperation: op3 }));
  out.withStartFailHandle = await settle(op3.workflowHandle().then(() => "resolved"));
  out.withStartReused = await settle(client.workflow.executeUpdateWithStart("increment", { args: [1], startWorkflowOperation: op }));
  const op4 = new WithStartWorkflowOperation("counter", { workflowId: `${prefix}-cron`, taskQueue, workflowIdConflictPolicy: "FAIL", cronSchedule: "* * * * *" });
  out.withStartServerRefuses = await settle(client.workflow.executeUpdateWithStart("increment", { args: [1], startWorkflowOperation: op4 }));
  await wh.signal("done");
  out.withStartWorkflowResult = await settle(wh.result());
  return out;
}
