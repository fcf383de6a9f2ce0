/** Hand-built activations for driving the workflow runtime without core or a server. */
import { create } from "@bufbuild/protobuf";
import {
  WorkflowActivationSchema,
  type WorkflowActivationJob,
} from "../../src/proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import type { WorkflowActivationCompletion } from "../../src/proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import type { WorkflowCommand } from "../../src/proto/temporal/sdk/core/workflow_commands/workflow_commands_pb.js";
import type { Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import type { Failure } from "../../src/proto/temporal/api/failure/v1/message_pb.js";
import {
  defaultPayloadConverter,
  DefaultFailureConverter,
  ApplicationFailure,
  CancelledFailure,
  ActivityFailure,
  RetryState,
} from "../../src/common/index.js";

type JobInit = WorkflowActivationJob["variant"];
export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

export const toPayload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v) as Payload;
export const fromPayload = (p: Payload | undefined): unknown => (p ? defaultPayloadConverter.fromPayload(p) : undefined);
const failureConverter = new DefaultFailureConverter();
export const toFailure = (err: unknown): Failure => failureConverter.errorToFailure(err, defaultPayloadConverter) as Failure;

export function activation(runId: string, jobs: JobInit[], opts: { timeMs?: number; isReplaying?: boolean } = {}) {
  const ms = opts.timeMs ?? T0;
  return create(WorkflowActivationSchema, {
    runId,
    timestamp: { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 },
    isReplaying: opts.isReplaying ?? false,
    jobs: jobs.map((variant) => ({ variant })),
  });
}

export const jobs = {
  init: (workflowType: string, args: unknown[] = [], seed = 42n, workflowId = "wf-1"): JobInit => ({
    case: "initializeWorkflow",
    value: {
      workflowType,
      workflowId,
      arguments: args.map(toPayload),
      randomnessSeed: seed,
      attempt: 1,
      firstExecutionRunId: "first",
      startTime: { seconds: BigInt(Math.floor(T0 / 1000)), nanos: 0 },
    } as never,
  }),
  fireTimer: (seq: number): JobInit => ({ case: "fireTimer", value: { seq } as never }),
  activityCompleted: (seq: number, value: unknown): JobInit => ({
    case: "resolveActivity",
    value: { seq, result: { status: { case: "completed", value: { result: toPayload(value) } } } } as never,
  }),
  activityFailed: (seq: number, message: string): JobInit => ({
    case: "resolveActivity",
    value: {
      seq,
      result: {
        status: {
          case: "failed",
          value: { failure: toFailure(new ActivityFailure("Activity task failed", "greet", String(seq), RetryState.NON_RETRYABLE_FAILURE, "test-worker", ApplicationFailure.create({ message }))) },
        },
      },
    } as never,
  }),
  activityCancelled: (seq: number): JobInit => ({
    case: "resolveActivity",
    value: {
      seq,
      result: {
        status: {
          case: "cancelled",
          value: { failure: toFailure(new ActivityFailure("Activity cancelled", "slow", String(seq), RetryState.CANCEL_REQUESTED, "test-worker", new CancelledFailure("cancelled"))) },
        },
      },
    } as never,
  }),
  activityBackoff: (seq: number, attempt: number, backoffMs: number): JobInit => ({
    case: "resolveActivity",
    value: {
      seq,
      isLocal: true,
      result: { status: { case: "backoff", value: { attempt, backoffDuration: { seconds: BigInt(Math.floor(backoffMs / 1000)), nanos: 0 } } } },
    } as never,
  }),
  signal: (signalName: string, args: unknown[] = []): JobInit => ({ case: "signalWorkflow", value: { signalName, input: args.map(toPayload) } as never }),
  query: (queryId: string, queryType: string, args: unknown[] = []): JobInit => ({
    case: "queryWorkflow",
    value: { queryId, queryType, arguments: args.map(toPayload) } as never,
  }),
  cancel: (): JobInit => ({ case: "cancelWorkflow", value: { reason: "test" } as never }),
  updateRandomSeed: (seed: bigint): JobInit => ({ case: "updateRandomSeed", value: { randomnessSeed: seed } as never }),
  notifyHasPatch: (patchId: string): JobInit => ({ case: "notifyHasPatch", value: { patchId } as never }),
  evict: (): JobInit => ({ case: "removeFromCache", value: { message: "test", reason: 0 } as never }),
};

export type Cmd = WorkflowCommand["variant"];

export function commands(c: WorkflowActivationCompletion): Cmd[] {
  if (c.status.case !== "successful") {
    throw new Error(`expected a successful completion, got failure: ${c.status.value?.failure?.message}`);
  }
  return c.status.value.commands.map((cmd) => cmd.variant);
}

export function kinds(c: WorkflowActivationCompletion): string[] {
  return commands(c).map((v) => String(v.case));
}

export function failureOf(c: WorkflowActivationCompletion): Failure {
  if (c.status.case !== "failed") throw new Error(`expected a failed completion, got ${kinds(c).join(",")}`);
  return c.status.value.failure!;
}

/** The result of a completeWorkflowExecution command, decoded. */
export function resultOf(c: WorkflowActivationCompletion): unknown {
  const last = commands(c).at(-1);
  if (last?.case !== "completeWorkflowExecution") throw new Error(`expected completion, got ${kinds(c).join(",")}`);
  return fromPayload(last.value.result);
}

export function capturingLogger() {
  const lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => void lines.push({ level, message, meta });
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}
