/**
 * Workflow updates on the client, shaped like @temporalio/client 1.24: `handle.startUpdate` /
 * `executeUpdate` / `getUpdateHandle`, `client.workflow.startUpdateWithStart` /
 * `executeUpdateWithStart` with a `WithStartWorkflowOperation`, and the `WorkflowUpdateHandle`
 * they return.
 *
 * The RPC sequence is the official client's:
 *
 *   startUpdate / executeUpdate
 *     UpdateWorkflowExecution(waitPolicy = ACCEPTED or COMPLETED), sent again while the
 *     response's stage is below ACCEPTED (the server answers ADMITTED when its long poll ends
 *     before a worker took the update; the same update id makes the repeat a no-op).
 *   update-with-start
 *     ExecuteMultiOperation([StartWorkflowExecution, UpdateWorkflowExecution]), repeated the
 *     same way; the start response settles `operation.workflowHandle()` the first time.
 *   result()
 *     the outcome the response carried, or PollWorkflowExecutionUpdate(COMPLETED) until one
 *     comes (a poll that ends without an outcome is the server's long-poll timeout: poll again).
 *
 * Errors: an update that failed or was rejected by its validator → WorkflowUpdateFailedError
 * (cause: the failure); an RPC that hit its deadline or was cancelled →
 * WorkflowUpdateRPCTimeoutOrCancelledError; no such workflow → WorkflowNotFoundError.
 */
import { create, createRegistry } from "@bufbuild/protobuf";
import { anyUnpack, type Any } from "@bufbuild/protobuf/wkt";
import type { Outcome } from "../proto/temporal/api/update/v1/message_pb.js";
import type { StartWorkflowExecutionRequest } from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import {
  ExecuteMultiOperationRequestSchema,
  ExecuteMultiOperationResponseSchema,
  PollWorkflowExecutionUpdateResponseSchema,
  UpdateWorkflowExecutionRequestSchema,
  UpdateWorkflowExecutionResponseSchema,
  type UpdateWorkflowExecutionRequest,
} from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { UpdateWorkflowExecutionLifecycleStage as Stage } from "../proto/temporal/api/enums/v1/update_pb.js";
import { file_temporal_api_errordetails_v1_message, type MultiOperationExecutionFailure } from "../proto/temporal/api/errordetails/v1/message_pb.js";
import { checkOptions, composeInterceptors, CancelledFailure, type Headers, type OptionsShape } from "../common/index.js";
import { describeValue, makeEnumCodec, WorkflowUpdateStage, type WorkflowIdConflictPolicy } from "../common/enums.js";
import type { UpdateDefinition } from "../common/interfaces.js";
import { markErrorClass } from "../common/type-helpers.js";
import { GrpcStatus, ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from "./errors.js";
import type { Workflow, WorkflowClientContext, WorkflowHandle, WorkflowStartOptions } from "./workflow-client.js";
import type {
  CompiledWorkflowOptions,
  WorkflowClientInterceptor,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateOutput,
  WorkflowStartUpdateWithStartInput,
  WorkflowStartUpdateWithStartOutput,
} from "./interceptors.js";
import { file_temporal_api_failure_v1_message } from "../proto/temporal/api/failure/v1/message_pb.js";

// ------------------------------------------------------------------------ errors

/** The update failed: its handler threw, or its validator rejected it. `cause` is the failure (an ApplicationFailure, …). */
export class WorkflowUpdateFailedError extends Error {
  constructor(
    message: string,
    override readonly cause: Error | undefined,
  ) {
    super(message, { cause });
  }
}
// name and a marker-based instanceof, as the official SymbolBasedInstanceOfError (one answer across package copies).
markErrorClass(WorkflowUpdateFailedError, "WorkflowUpdateFailedError");

/**
 * The update RPC hit its deadline (`withDeadline`) or was cancelled (`withAbortSignal`). Says
 * nothing about the update itself, which may still be admitted, accepted or completed.
 */
export class WorkflowUpdateRPCTimeoutOrCancelledError extends Error {
  override readonly cause?: Error;
  constructor(message: string, opts?: { cause: Error }) {
    super(message, opts);
    this.cause = opts?.cause;
  }
}
markErrorClass(WorkflowUpdateRPCTimeoutOrCancelledError, "WorkflowUpdateRPCTimeoutOrCancelledError");

// ------------------------------------------------------------------------ options and handle

export interface WorkflowUpdateOptions {
  /**
   * Unique per workflow run (default: a random UUID). A second update with an id the run has
   * already seen is not applied again: the server answers for the first one.
   */
  readonly updateId?: string;
  /** Accepted as in the official SDK (experimental there); has no effect here (warned once). */
  typeInfo?: unknown;
}

export interface GetWorkflowUpdateHandleOptions {
  /** The run the update was sent to (default: the handle's run, else the latest run). */
  workflowRunId?: string;
  /** Accepted as in the official SDK (experimental there); has no effect here (warned once). */
  typeInfo?: unknown;
}

/** A client-side handle to an update. */
export interface WorkflowUpdateHandle<Ret> {
  /** The update's id. */
  updateId: string;
  /** The workflow the update was sent to. */
  workflowId: string;
  /** The run the update was sent to (known once the server accepted the update). */
  workflowRunId?: string;
  /** Waits for the update's outcome; throws WorkflowUpdateFailedError if its handler failed or its validator rejected it. */
  result(): Promise<Ret>;
}

/** The official encoder: stage name → UpdateWorkflowExecutionLifecycleStage. */
const updateStageCodec = makeEnumCodec<NonNullable<WorkflowUpdateStage>>(
  "WorkflowUpdateStage",
  { ADMITTED: Stage.ADMITTED, ACCEPTED: Stage.ACCEPTED, COMPLETED: Stage.COMPLETED },
  "UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_",
  true,
);

const updateOptionsShape: OptionsShape = { name: "WorkflowUpdateOptions", supported: ["args", "updateId"], officialOnly: ["typeInfo"] };
const startUpdateOptionsShape: OptionsShape = { name: "WorkflowUpdateOptions", supported: ["args", "updateId", "waitForStage"], officialOnly: ["typeInfo"] };
const withStartOptionsShape: OptionsShape = {
  name: "WorkflowUpdateOptions",
  supported: ["args", "updateId", "waitForStage", "startWorkflowOperation"],
  officialOnly: ["typeInfo"],
};
const getUpdateHandleOptionsShape: OptionsShape = { name: "GetWorkflowUpdateHandleOptions", supported: ["workflowRunId"], officialOnly: ["typeInfo"] };

type UpdateOptionsIn = WorkflowUpdateOptions & { args?: readonly unknown[]; waitForStage?: WorkflowUpdateStage };

/** Name, args and id of an update call; TypeErrors name the option. */
function compileUpdate(def: UpdateDefinition<unknown, never[]> | string, options: UpdateOptionsIn | undefined, shape: OptionsShape) {
  const name = typeof def === "string" ? def : (def as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name === "") throw new TypeError(`update: expected an update name or a definition from defineUpdate, got ${describeValue(def)}`);
  const o = options ?? {};
  if (o === null || typeof o !== "object") throw new TypeError(`${shape.name}: expected an object`);
  checkOptions(shape, o);
  if (typeof def !== "string" && o.typeInfo !== undefined) {
    // The official client's own refusal, kept so code that fails there fails here too.
    throw new TypeError("Cannot provide call-site Update TypeInfo with an Update definition. Define TypeInfo when creating the Update definition instead.");
  }
  if (o.args !== undefined && !Array.isArray(o.args)) throw new TypeError(`${shape.name}.args: expected an array, got ${describeValue(o.args)}`);
  if (o.updateId !== undefined && (typeof o.updateId !== "string" || o.updateId === "")) {
    throw new TypeError(`${shape.name}.updateId: expected a non-empty string, got ${describeValue(o.updateId)}`);
  }
  // What interceptors see as `options` (as official: the call's options without args, typeInfo).
  const { args: _args, typeInfo: _typeInfo, ...rest } = o;
  return { name, args: [...((o.args ?? []) as unknown[])], options: rest as WorkflowUpdateOptions };
}

/** The wait stage sent to the server: at least ACCEPTED (the official client raises ADMITTED and an unset stage to it). */
function waitStage(stage: unknown, option: string): Stage {
  const n = updateStageCodec.encode(stage, option) ?? Stage.ACCEPTED;
  return n < Stage.ACCEPTED ? Stage.ACCEPTED : n;
}

function updateRequest(
  ctx: WorkflowClientContext,
  execution: { workflowId: string; runId?: string },
  firstExecutionRunId: string | undefined,
  u: { name: string; args: unknown[]; updateId: string; headers: Headers },
  stage: Stage,
): UpdateWorkflowExecutionRequest {
  return create(UpdateWorkflowExecutionRequestSchema, {
    namespace: ctx.namespace,
    workflowExecution: { workflowId: execution.workflowId, runId: execution.runId ?? "" },
    firstExecutionRunId: firstExecutionRunId ?? "",
    waitPolicy: { lifecycleStage: stage },
    request: {
      meta: { updateId: u.updateId, identity: ctx.identity },
      // The interceptors' headers (empty without them, as the official client sends; recorded in
      // the accepted event), never codec-encoded.
      input: { header: { fields: u.headers }, name: u.name, args: { payloads: ctx.converter.toPayloads(u.args, "update argument") } },
    },
  });
}

/** The handle of update `updateId`; `outcome` is what a response already carried. */
export function updateHandle<Ret>(
  ctx: WorkflowClientContext,
  updateId: string,
  workflowId: string,
  workflowRunId: string | undefined,
  outcome: Outcome | undefined,
): WorkflowUpdateHandle<Ret> {
  return {
    updateId,
    workflowId,
    workflowRunId,
    async result(): Promise<Ret> {
      const done = outcome ?? (await pollForOutcome(ctx, updateId, { workflowId, runId: workflowRunId }));
      if (done.value.case === "failure") {
        throw new WorkflowUpdateFailedError("Workflow Update failed", ctx.converter.failureToError(done.value.value));
      }
      return ctx.converter.fromPayload(done.value.case === "success" ? done.value.value.payloads[0] : undefined) as Ret;
    },
  };
}

/**
 * PollWorkflowExecutionUpdate until the update has an outcome. The server holds each poll for
 * its long-poll interval and answers without an outcome when that ends first: poll again, as
 * the official client does, until the outcome or an error (the caller's deadline included).
 */
async function pollForOutcome(ctx: WorkflowClientContext, updateId: string, execution: { workflowId: string; runId?: string }): Promise<Outcome> {
  for (;;) {
    let res;
    try {
      res = await ctx.connection.workflowService.pollWorkflowExecutionUpdate({
        namespace: ctx.namespace,
        updateRef: { workflowExecution: { workflowId: execution.workflowId, runId: execution.runId ?? "" }, updateId },
        identity: ctx.identity,
        waitPolicy: { lifecycleStage: Stage.COMPLETED },
      });
    } catch (err) {
      throw updateRpcError(err, execution.workflowId, execution.runId);
    }
    await ctx.converter.decode(PollWorkflowExecutionUpdateResponseSchema, res);
    if (res.outcome && res.outcome.value.case !== undefined) return res.outcome;
  }
}

/** What a handle's startUpdate / executeUpdate need of it. */
export interface UpdateTarget {
  workflowId: string;
  runId?: string;
  firstExecutionRunId?: string;
}

/**
 * Sends the update (through the interceptors' `startUpdate`) and waits until it reached
 * `waitForStage` (at least ACCEPTED); with COMPLETED, also until its outcome. Used by
 * `handle.startUpdate` and `handle.executeUpdate`.
 */
export async function startUpdate<Ret>(
  ctx: WorkflowClientContext,
  target: UpdateTarget,
  def: UpdateDefinition<Ret, never[]> | string,
  waitForStage: WorkflowUpdateStage,
  options: UpdateOptionsIn | undefined,
  shape: "execute" | "start",
  interceptors: WorkflowClientInterceptor[],
): Promise<WorkflowUpdateHandle<Ret>> {
  const u = compileUpdate(def as UpdateDefinition<unknown, never[]> | string, options, shape === "start" ? startUpdateOptionsShape : updateOptionsShape);
  const stage = waitStage(waitForStage, "WorkflowUpdateOptions.waitForStage");
  const fn = composeInterceptors(interceptors, "startUpdate", (input: WorkflowStartUpdateInput) => startUpdateHandler(ctx, stage, input));
  const execution = { workflowId: target.workflowId, runId: target.runId };
  const out = await fn({
    updateName: u.name,
    args: u.args,
    workflowExecution: execution,
    firstExecutionRunId: target.firstExecutionRunId,
    headers: {},
    options: u.options,
  });
  let outcome = out.outcome;
  if (outcome === undefined && stage === Stage.COMPLETED) {
    outcome = await pollForOutcome(ctx, out.updateId, execution);
  }
  return updateHandle<Ret>(ctx, out.updateId, target.workflowId, out.workflowRunId || undefined, outcome);
}

/** The innermost `startUpdate`: UpdateWorkflowExecution, sent again until the update is at least accepted. */
async function startUpdateHandler(ctx: WorkflowClientContext, stage: Stage, input: WorkflowStartUpdateInput): Promise<WorkflowStartUpdateOutput> {
  const updateId = input.options?.updateId ?? crypto.randomUUID();
  const req = updateRequest(ctx, input.workflowExecution, input.firstExecutionRunId, { name: input.updateName, args: input.args, updateId, headers: input.headers }, stage);
  await ctx.converter.encode(UpdateWorkflowExecutionRequestSchema, req);
  let res;
  try {
    do {
      res = await ctx.connection.workflowService.updateWorkflowExecution(req);
    } while (res.stage < Stage.ACCEPTED);
  } catch (err) {
    throw updateRpcError(err, input.workflowExecution.workflowId, input.workflowExecution.runId);
  }
  await ctx.converter.decode(UpdateWorkflowExecutionResponseSchema, res);
  return {
    updateId,
    workflowRunId: res.updateRef?.workflowExecution?.runId ?? "",
    outcome: res.outcome?.value.case !== undefined ? res.outcome : undefined,
  };
}

/** `handle.getUpdateHandle(updateId, options)`: no RPC until `result()`. */
export function getUpdateHandle<Ret>(ctx: WorkflowClientContext, target: UpdateTarget, updateId: string, options?: GetWorkflowUpdateHandleOptions): WorkflowUpdateHandle<Ret> {
  if (typeof updateId !== "string" || updateId === "") throw new TypeError(`getUpdateHandle: updateId must be a non-empty string, got ${describeValue(updateId)}`);
  const o = options ?? {};
  if (o === null || typeof o !== "object") throw new TypeError("GetWorkflowUpdateHandleOptions: expected an object");
  checkOptions(getUpdateHandleOptionsShape, o);
  if (o.workflowRunId !== undefined && typeof o.workflowRunId !== "string") {
    throw new TypeError(`GetWorkflowUpdateHandleOptions.workflowRunId: expected a string, got ${describeValue(o.workflowRunId)}`);
  }
  return updateHandle<Ret>(ctx, updateId, target.workflowId, o.workflowRunId || target.runId, undefined);
}

// ------------------------------------------------------------------------ update-with-start

/**
 * How to start the workflow in `startUpdateWithStart` / `executeUpdateWithStart`. The
 * `workflowIdConflictPolicy` is required: 'USE_EXISTING' sends the update to a running
 * workflow of that id, 'FAIL' makes the call fail with WorkflowExecutionAlreadyStartedError.
 * One instance serves one call; `workflowHandle()` resolves once the server answered the start
 * (whether or not the update then succeeds) and rejects when the start failed.
 */
export class WithStartWorkflowOperation<T extends Workflow> {
  #used = false;
  #resolve!: (handle: WorkflowHandle<T>) => void;
  #reject!: (err: unknown) => void;
  readonly #handle: Promise<WorkflowHandle<T>>;

  constructor(
    public workflowTypeOrFunc: string | T,
    public options: WorkflowStartOptions<Parameters<T>> & { workflowIdConflictPolicy: WorkflowIdConflictPolicy },
  ) {
    this.#handle = new Promise<WorkflowHandle<T>>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The caller of startUpdateWithStart gets the same error; a handle promise nobody awaits must not be an unhandled rejection.
    this.#handle.catch(() => undefined);
  }

  async workflowHandle(): Promise<WorkflowHandle<T>> {
    return await this.#handle;
  }

  /** @internal Marks the operation used (it serves one call) and returns its settle functions. */
  static claim<T extends Workflow>(op: WithStartWorkflowOperation<T>): { resolve: (h: WorkflowHandle<T>) => void; reject: (err: unknown) => void } {
    if (!(op instanceof WithStartWorkflowOperation)) {
      throw new TypeError("WorkflowUpdateOptions.startWorkflowOperation: expected a WithStartWorkflowOperation (new WithStartWorkflowOperation(workflow, options))");
    }
    if (op.#used) throw new Error("This WithStartWorkflowOperation instance has already been executed.");
    op.#used = true;
    return { resolve: op.#resolve, reject: op.#reject };
  }
}

export type UpdateWithStartOptionsIn<T extends Workflow> = UpdateOptionsIn & { startWorkflowOperation: WithStartWorkflowOperation<T> };

/** How update-with-start starts the workflow: the client's own start path (workflow-client.ts), so both start the same way. */
export interface WithStartPlumbing<T extends Workflow> {
  /** Checks and compiles the operation's start options (before any interceptor runs). */
  compile(workflowTypeOrFunc: string | T, options: WorkflowStartOptions<unknown[]>): { workflowType: string; options: CompiledWorkflowOptions };
  /** The StartWorkflowExecutionRequest of compiled options and headers. */
  request(workflowType: string, options: CompiledWorkflowOptions, headers: Headers): StartWorkflowExecutionRequest;
  /** The workflow handle, from the start response's run id. */
  handle(workflowId: string, runId: string, followRuns: boolean, interceptors: WorkflowClientInterceptor[]): WorkflowHandle<T>;
}

/**
 * Update-with-start through ExecuteMultiOperation, inside the interceptors'
 * `startUpdateWithStart`.
 */
export async function startUpdateWithStart<T extends Workflow, Ret>(
  ctx: WorkflowClientContext,
  def: UpdateDefinition<Ret, never[]> | string,
  options: UpdateWithStartOptionsIn<T>,
  plumbing: WithStartPlumbing<T>,
): Promise<WorkflowUpdateHandle<Ret>> {
  if (options === null || typeof options !== "object") throw new TypeError("WorkflowUpdateOptions: expected an object with startWorkflowOperation");
  const op = options.startWorkflowOperation;
  const { resolve, reject } = WithStartWorkflowOperation.claim(op);
  let seenStart = false;
  try {
    const u = compileUpdate(def as UpdateDefinition<unknown, never[]> | string, options, withStartOptionsShape);
    const stage = waitStage(options.waitForStage, "WorkflowUpdateOptions.waitForStage");
    const { startWorkflowOperation: _op, waitForStage: _stage, ...updateOptions } = u.options as UpdateWithStartOptionsIn<T>;
    const wo = op.options;
    if (wo === null || typeof wo !== "object") throw new TypeError("WithStartWorkflowOperation options: expected an object");
    if (wo.workflowIdConflictPolicy === undefined) {
      // Required by the official option type (and by the server for update-with-start).
      throw new TypeError("WithStartWorkflowOperation options.workflowIdConflictPolicy: required ('USE_EXISTING' or 'FAIL')");
    }
    const start = plumbing.compile(op.workflowTypeOrFunc, wo as WorkflowStartOptions<unknown[]>);
    const interceptors = ctx.interceptors(start.options.workflowId);
    const onStart = (workflowId: string, runId: string) => {
      if (seenStart) return;
      seenStart = true;
      resolve(plumbing.handle(workflowId, runId, op.options.followRuns ?? true, interceptors));
    };
    const fn = composeInterceptors(interceptors, "startUpdateWithStart", (input: WorkflowStartUpdateWithStartInput) =>
      updateWithStartHandler(ctx, stage, plumbing, input, onStart),
    );
    const out = await fn({
      workflowType: start.workflowType,
      workflowStartOptions: start.options,
      workflowStartHeaders: {},
      updateName: u.name,
      updateArgs: u.args,
      updateOptions: updateOptions as WorkflowUpdateOptions,
      updateHeaders: {},
    });
    const wf = out.workflowExecution.workflowId;
    const runId = out.workflowExecution.runId || undefined;
    let outcome = out.updateOutcome;
    if (outcome === undefined && stage === Stage.COMPLETED) outcome = await pollForOutcome(ctx, out.updateId, { workflowId: wf, runId });
    return updateHandle<Ret>(ctx, out.updateId, wf, runId, outcome);
  } catch (err) {
    // The same error for workflowHandle() when the start did not happen (bad options, an
    // interceptor that threw, a failed start). Unlike the official client, whose
    // workflowHandle() then never settles in the first two cases.
    if (!seenStart) reject(err);
    throw err;
  }
}

/** The innermost `startUpdateWithStart`: ExecuteMultiOperation([start, update]), sent again until the update is at least accepted. */
async function updateWithStartHandler<T extends Workflow>(
  ctx: WorkflowClientContext,
  stage: Stage,
  plumbing: WithStartPlumbing<T>,
  input: WorkflowStartUpdateWithStartInput,
  onStart: (workflowId: string, runId: string) => void,
): Promise<WorkflowStartUpdateWithStartOutput> {
  const workflowId = input.workflowStartOptions.workflowId;
  const updateId = input.updateOptions?.updateId ?? crypto.randomUUID();
  const update = { name: input.updateName, args: input.updateArgs, updateId, headers: input.updateHeaders };
  const req = create(ExecuteMultiOperationRequestSchema, {
    namespace: ctx.namespace,
    operations: [
      { operation: { case: "startWorkflow", value: plumbing.request(input.workflowType, input.workflowStartOptions, input.workflowStartHeaders) } },
      { operation: { case: "updateWorkflow", value: updateRequest(ctx, { workflowId }, undefined, update, stage) } },
    ],
  });
  await ctx.converter.encode(ExecuteMultiOperationRequestSchema, req);
  let updateRes;
  try {
    do {
      const res = await ctx.connection.workflowService.executeMultiOperation(req);
      await ctx.converter.decode(ExecuteMultiOperationResponseSchema, res);
      const startRes = res.responses[0]?.response;
      const upd = res.responses[1]?.response;
      if (startRes?.case !== "startWorkflow" || upd?.case !== "updateWorkflow") {
        throw new ServiceError("ExecuteMultiOperation: the response does not hold a start and an update response", GrpcStatus.INTERNAL);
      }
      onStart(workflowId, startRes.value.runId);
      updateRes = upd.value;
    } while (updateRes.stage < Stage.ACCEPTED);
  } catch (thrown) {
    let err = thrown;
    if (err instanceof ServiceError && err.code === GrpcStatus.ALREADY_EXISTS) {
      err = new WorkflowExecutionAlreadyStartedError("Workflow execution already started", workflowId, input.workflowType, { cause: err });
    }
    throw updateRpcError(err, workflowId, undefined);
  }
  return {
    workflowExecution: { workflowId, runId: updateRes.updateRef?.workflowExecution?.runId || undefined },
    updateId,
    updateOutcome: updateRes.outcome?.value.case !== undefined ? updateRes.outcome : undefined,
  };
}

// ------------------------------------------------------------------------ errors of update RPCs

const detailsRegistry = createRegistry(file_temporal_api_errordetails_v1_message, file_temporal_api_failure_v1_message);

/**
 * The official client's mapping of update RPC failures: deadline or cancellation →
 * WorkflowUpdateRPCTimeoutOrCancelledError; a multi-operation failure → the error of the
 * operation that failed (not the ones aborted because of it); NOT_FOUND → WorkflowNotFoundError.
 */
export function updateRpcError(err: unknown, workflowId: string, runId: string | undefined): unknown {
  if (err instanceof CancelledFailure) return new WorkflowUpdateRPCTimeoutOrCancelledError(err.message || "Workflow update call timeout or cancelled", { cause: err });
  if (!(err instanceof ServiceError)) return err;
  if (err.code === GrpcStatus.DEADLINE_EXCEEDED || err.code === GrpcStatus.CANCELLED) {
    return new WorkflowUpdateRPCTimeoutOrCancelledError(grpcMessage(err) || "Workflow update call timeout or cancelled", { cause: err });
  }
  const multi = err.detail("temporal.api.errordetails.v1.MultiOperationExecutionFailure") as MultiOperationExecutionFailure | undefined;
  if (multi) {
    for (const status of multi.statuses) {
      const details = status.details.flatMap((a) => unpack(a));
      if (status.code === GrpcStatus.OK || details.some((d) => d.$typeName === "temporal.api.failure.v1.MultiOperationExecutionAborted")) continue;
      const code = status.code || err.code;
      return new ServiceError(`ExecuteMultiOperation: ${codeName(code)}: ${status.message || grpcMessage(err)}`, code, details, { cause: err });
    }
  }
  if (err.code === GrpcStatus.NOT_FOUND) return new WorkflowNotFoundError(grpcMessage(err) || "Workflow not found", workflowId, runId, { cause: err });
  return err;
}

function unpack(any: Any) {
  try {
    const m = anyUnpack(any, detailsRegistry);
    return m ? [m] : [];
  } catch {
    return [];
  }
}

function codeName(code: number): string {
  return Object.entries(GrpcStatus).find(([, v]) => v === code)?.[0] ?? "UNKNOWN";
}

/** The server's message, without the "Method: CODE: service.Method: " context ServiceError and the bridge add. */
function grpcMessage(err: ServiceError): string {
  return err.message.replace(/^[A-Za-z]+: [A-Z_]+: /, "").replace(/^[a-z]+\.[A-Za-z]+: /, "");
}
