/**
 * Helpers for worker tests: a connection to the test dev server and a minimal client that
 * starts workflows and waits for their result through raw gRPC (so these tests do not
 * depend on the client package).
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  GetWorkflowExecutionHistoryRequestSchema,
  GetWorkflowExecutionHistoryResponseSchema,
  SignalWorkflowExecutionRequestSchema,
  StartWorkflowExecutionRequestSchema,
  StartWorkflowExecutionResponseSchema,
} from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { HistoryEventFilterType } from "../../src/proto/temporal/api/enums/v1/workflow_pb.js";
import type { HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import type { Failure } from "../../src/proto/temporal/api/failure/v1/message_pb.js";
import type { Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { defaultPayloadConverter } from "../../src/common/index.js";
import { NativeConnection } from "../../src/worker/index.js";
import { testServer } from "../helpers/dev-server.js";

export const samplesDir = new URL("../../samples/", import.meta.url).pathname;
export const fixturesDir = new URL("./fixtures/", import.meta.url).pathname;

let shared: Promise<NativeConnection> | undefined;

/** One connection (default Runtime) shared by the worker tests of this process. */
export function connection(): Promise<NativeConnection> {
  shared ??= testServer().then(({ address }) => NativeConnection.connect({ address }));
  return shared;
}

export function taskQueue(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v) as Payload;

export interface StartOptions {
  taskQueue: string;
  args?: unknown[];
  workflowId?: string;
  executionTimeoutMs?: number;
  /** Workflow task timeout; short makes a lost worker's task retry sooner. */
  taskTimeoutMs?: number;
}

const ms = (v: number) => ({ seconds: BigInt(Math.floor(v / 1000)), nanos: (v % 1000) * 1_000_000 });

export async function startWorkflow(workflowType: string, o: StartOptions): Promise<{ workflowId: string; runId: string }> {
  const conn = await connection();
  const workflowId = o.workflowId ?? `${workflowType}-${crypto.randomUUID()}`;
  const req = create(StartWorkflowExecutionRequestSchema, {
    namespace: "default",
    workflowId,
    workflowType: { name: workflowType },
    taskQueue: { name: o.taskQueue },
    input: { payloads: (o.args ?? []).map(toPayload) },
    requestId: crypto.randomUUID(),
    identity: "worker-tests",
    workflowExecutionTimeout: ms(o.executionTimeoutMs ?? 60_000),
    workflowTaskTimeout: ms(o.taskTimeoutMs ?? 10_000),
  });
  const res = fromBinary(
    StartWorkflowExecutionResponseSchema,
    await conn.nativeClient.rpc("workflow", "StartWorkflowExecution", toBinary(StartWorkflowExecutionRequestSchema, req), { retry: true }),
  );
  return { workflowId, runId: res.runId };
}

export async function signalWorkflow(workflowId: string, signalName: string, args: unknown[] = []): Promise<void> {
  const conn = await connection();
  const req = create(SignalWorkflowExecutionRequestSchema, {
    namespace: "default",
    workflowExecution: { workflowId },
    signalName,
    input: { payloads: args.map(toPayload) },
    identity: "worker-tests",
    requestId: crypto.randomUUID(),
  });
  await conn.nativeClient.rpc("workflow", "SignalWorkflowExecution", toBinary(SignalWorkflowExecutionRequestSchema, req), { retry: true });
}

export type Outcome =
  | { status: "completed"; result: unknown }
  | { status: "failed"; failure: Failure | undefined }
  | { status: "other"; event: HistoryEvent };

/** Waits (long-polling the history for its close event) until the workflow closes. */
export async function workflowOutcome(workflowId: string, timeoutMs = 30_000): Promise<Outcome> {
  const conn = await connection();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const req = create(GetWorkflowExecutionHistoryRequestSchema, {
      namespace: "default",
      execution: { workflowId },
      waitNewEvent: true,
      historyEventFilterType: HistoryEventFilterType.CLOSE_EVENT,
    });
    const res = fromBinary(
      GetWorkflowExecutionHistoryResponseSchema,
      await conn.nativeClient.rpc("workflow", "GetWorkflowExecutionHistory", toBinary(GetWorkflowExecutionHistoryRequestSchema, req), {
        retry: true,
        timeoutMs: Math.max(1, Math.min(10_000, deadline - Date.now())),
      }).catch((err: unknown) => {
        if (Date.now() >= deadline) throw err;
        return undefined;
      }) ?? new Uint8Array(),
    );
    const event = res.history?.events.at(-1);
    if (event === undefined) continue;
    const a = event.attributes;
    if (a.case === "workflowExecutionCompletedEventAttributes") {
      const p = a.value.result?.payloads[0];
      return { status: "completed", result: p ? defaultPayloadConverter.fromPayload(p) : undefined };
    }
    if (a.case === "workflowExecutionFailedEventAttributes") return { status: "failed", failure: a.value.failure };
    return { status: "other", event };
  }
  throw new Error(`workflow ${workflowId} did not close within ${timeoutMs} ms`);
}

/** Starts a workflow and returns its result; throws with the failure message if it failed. */
export async function executeWorkflow(workflowType: string, o: StartOptions, timeoutMs = 30_000): Promise<unknown> {
  const { workflowId } = await startWorkflow(workflowType, o);
  const outcome = await workflowOutcome(workflowId, timeoutMs);
  if (outcome.status === "completed") return outcome.result;
  if (outcome.status === "failed") throw new Error(`workflow failed: ${outcome.failure?.message} (cause: ${outcome.failure?.cause?.message})`);
  throw new Error(`workflow closed with ${outcome.event.eventType}`);
}
