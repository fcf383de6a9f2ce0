// The official documentation's testing examples (docs.temporal.io, TypeScript SDK, "Testing":
// time skipping, skipping time manually, mocking activities, MockActivityEnvironment,
// workflowInterceptorModules), written with Jest globals, with only the import specifiers
// changed ('@temporalio/testing' → 'temporal-bun-sdk/testing', '@jest/globals' → 'bun:test', …).
import { TestWorkflowEnvironment, MockActivityEnvironment, workflowInterceptorModules } from "temporal-bun-sdk/testing";
import { Worker } from "temporal-bun-sdk/worker";
import { WorkflowFailedError } from "temporal-bun-sdk/client";
import { ApplicationFailure, CancelledFailure } from "temporal-bun-sdk/common";
import { afterAll, beforeAll, describe, expect, it, test } from "bun:test";
import assert from "assert";
import { v4 as uuid4 } from "./uuid";
import { httpWorkflow, sleeperWorkflow, daysQuery, failsAnAssertion } from "./workflows";
import { activityFoo, myActivity } from "./activities";

let testEnv: TestWorkflowEnvironment;

beforeAll(async () => {
  testEnv = await TestWorkflowEnvironment.createTimeSkipping();
});

afterAll(async () => {
  await testEnv?.teardown();
});

test("httpWorkflow with mock activity", async () => {
  const { client, nativeConnection } = testEnv;
  const taskQueue = "test";

  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve("./workflows"),
    activities: {
      makeHTTPRequest: async () => "99",
    },
  });

  const result = await worker.runUntil(
    client.workflow.execute(httpWorkflow, {
      workflowId: uuid4(),
      taskQueue,
    }),
  );
  expect(result).toEqual("The answer is 99");
});

test("sleeperWorkflow counts days correctly", async () => {
  const { client, nativeConnection, sleep } = testEnv;

  // If called before `worker.runUntil`, the time-skipping server won't have a workflow task
  // to wait on, and `sleep` will return immediately.
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: "test",
    workflowsPath: require.resolve("./workflows"),
  });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start(sleeperWorkflow, {
      workflowId: uuid4(),
      taskQueue: "test",
    });

    let numDays = await handle.query(daysQuery);
    assert.equal(numDays, 0);

    // Time-skipping server will advance time by 25 hours
    await sleep("25 hours");

    numDays = await handle.query(daysQuery);
    assert.equal(numDays, 1);

    await sleep("25 hours");
    assert.equal(await handle.query(daysQuery), 2);
  });
});

test("workflowInterceptorModules turn an assertion into a workflow failure", async () => {
  const { client, nativeConnection } = testEnv;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: "test-assert",
    workflowsPath: require.resolve("./workflows"),
    interceptors: {
      workflowModules: workflowInterceptorModules,
    },
  });
  const err = await worker
    .runUntil(client.workflow.execute(failsAnAssertion, { workflowId: uuid4(), taskQueue: "test-assert" }))
    .catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(err.cause).toBeInstanceOf(ApplicationFailure);
  expect(err.cause.message).toBe("expected 1 to equal 2");
  expect(err.cause.nonRetryable).toBe(true);
});

describe("MockActivityEnvironment", () => {
  it("activityFoo", async () => {
    const env = new MockActivityEnvironment({ attempt: 2 });
    const result = await env.run(activityFoo, 5, 6);
    assert.equal(result, 11);
    assert.equal(env.context.info.attempt, 2);
  });

  it("heartbeats and cancellation", async () => {
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on("heartbeat", (d: unknown) => {
      heartbeats.push(d);
      assert(d === 6);
    });
    const p = env.run(myActivity);
    env.cancel();
    await assert.rejects(p, (err) => {
      assert.ok(err instanceof CancelledFailure);
      return true;
    });
    assert.deepEqual(heartbeats, [6]);
  });
});
