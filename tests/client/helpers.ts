/**
 * Test helpers for the client tests. No Worker exists in these tests: a workflow task is
 * completed by hand through raw RPCs (PollWorkflowTaskQueue + RespondWorkflowTaskCompleted
 * with one command), which is how result(), failures and continue-as-new are exercised
 * against the real server.
 */
import { create } from "@bufbuild/protobuf";
import { CommandType } from "../../src/proto/temporal/api/enums/v1/command_type_pb.js";
import { CommandSchema, type Command } from "../../src/proto/temporal/api/command/v1/message_pb.js";
import type { Client } from "../../src/client/index.js";
import { ClientConverter } from "../../src/client/index.js";
import type { PollWorkflowTaskQueueResponse } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";

export const uid = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

/** Polls one workflow task of `taskQueue` (fails the test after ~10 s). */
export async function pollWorkflowTask(client: Client, taskQueue: string): Promise<PollWorkflowTaskQueueResponse> {
  for (let i = 0; i < 5; i++) {
    const task = await client.connection.withDeadline(Date.now() + 10_000, () =>
      client.workflowService.pollWorkflowTaskQueue({ namespace: client.namespace, taskQueue: { name: taskQueue }, identity: "test-poller" }),
    );
    if (task.taskToken.length > 0) return task;
  }
  throw new Error(`no workflow task on ${taskQueue}`);
}

/** Completes the next workflow task of `taskQueue` with one command; payloads in it go through the client's codecs. */
export async function respondWithCommand(client: Client, taskQueue: string, command: Command): Promise<PollWorkflowTaskQueueResponse> {
  const task = await pollWorkflowTask(client, taskQueue);
  const converter = new ClientConverter(client.dataConverter);
  await converter.encode(CommandSchema, command);
  await client.workflowService.respondWorkflowTaskCompleted({ namespace: client.namespace, taskToken: task.taskToken, commands: [command], identity: "test-poller" });
  return task;
}

export function completeCommand(client: Client, result: unknown): Command {
  const c = new ClientConverter(client.dataConverter);
  return create(CommandSchema, {
    commandType: CommandType.COMPLETE_WORKFLOW_EXECUTION,
    attributes: { case: "completeWorkflowExecutionCommandAttributes", value: { result: { payloads: [c.toPayload(result)] } } },
  });
}

export function failCommand(client: Client, err: unknown): Command {
  const c = new ClientConverter(client.dataConverter);
  return create(CommandSchema, {
    commandType: CommandType.FAIL_WORKFLOW_EXECUTION,
    attributes: { case: "failWorkflowExecutionCommandAttributes", value: { failure: c.errorToFailure(err) } },
  });
}

export function cancelCommand(client: Client, details: unknown): Command {
  const c = new ClientConverter(client.dataConverter);
  return create(CommandSchema, {
    commandType: CommandType.CANCEL_WORKFLOW_EXECUTION,
    attributes: { case: "cancelWorkflowExecutionCommandAttributes", value: { details: { payloads: [c.toPayload(details)] } } },
  });
}

export function continueAsNewCommand(client: Client, workflowType: string, taskQueue: string, args: unknown[]): Command {
  const c = new ClientConverter(client.dataConverter);
  return create(CommandSchema, {
    commandType: CommandType.CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
    attributes: {
      case: "continueAsNewWorkflowExecutionCommandAttributes",
      value: { workflowType: { name: workflowType }, taskQueue: { name: taskQueue }, input: { payloads: c.toPayloads(args) } },
    },
  });
}

/** Retries `fn` until it returns true-ish (visibility is eventually consistent). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(200);
  }
}
