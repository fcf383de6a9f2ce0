/**
 * `AsyncCompletionClient` (`client.activity`): completes, fails, heartbeats or reports the
 * cancellation of an activity from outside the worker, by task token or by
 * `{ workflowId, runId?, activityId }`, as in @temporalio/client.
 */
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import {
  RecordActivityTaskHeartbeatByIdRequestSchema,
  RecordActivityTaskHeartbeatRequestSchema,
  RespondActivityTaskCanceledByIdRequestSchema,
  RespondActivityTaskCanceledRequestSchema,
  RespondActivityTaskCompletedByIdRequestSchema,
  RespondActivityTaskCompletedRequestSchema,
  RespondActivityTaskFailedByIdRequestSchema,
  RespondActivityTaskFailedRequestSchema,
} from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { ensureTemporalFailure } from "../common/index.js";
import { GrpcStatus, ServiceError } from "./errors.js";
import type { WorkflowClientContext } from "./workflow-client.js";

export interface FullActivityId {
  workflowId: string;
  runId?: string;
  activityId: string;
}

/** The activity is no longer known to the server (completed, timed out, or never existed). */
export class ActivityNotFoundError extends Error {
  override readonly name: string = "ActivityNotFoundError";
}

/**
 * Completing, failing, heartbeating or cancelling failed for any reason other than
 * ActivityNotFoundError (e.g. a task token the server cannot decode: INVALID_ARGUMENT);
 * `cause` is the ServiceError with the gRPC status.
 */
export class ActivityCompletionError extends Error {
  override readonly name: string = "ActivityCompletionError";
}

/** The server asked the activity to stop (cancellation requested); returned by heartbeat(). */
export class ActivityCancelledError extends Error {
  override readonly name: string = "ActivityCancelledError";
}

/** The activity was paused on the server. */
export class ActivityPausedError extends Error {
  override readonly name: string = "ActivityPausedError";
}

/** The activity was reset on the server. */
export class ActivityResetError extends Error {
  override readonly name: string = "ActivityResetError";
}

type Target = Uint8Array | FullActivityId;

function isToken(t: Target): t is Uint8Array {
  return t instanceof Uint8Array;
}

function checkTarget(t: Target, what: string): void {
  if (isToken(t)) {
    if (t.length === 0) throw new TypeError(`${what}: task token is empty`);
    return;
  }
  if (!t || typeof t !== "object" || typeof t.workflowId !== "string" || typeof t.activityId !== "string") {
    throw new TypeError(`${what}: expected a task token (Uint8Array) or { workflowId, runId?, activityId }`);
  }
}

const byId = (t: FullActivityId) => ({ workflowId: t.workflowId, runId: t.runId ?? "", activityId: t.activityId });

export class AsyncCompletionClient {
  constructor(private readonly ctx: WorkflowClientContext) {}

  private payloads(values: unknown[], what: string) {
    return { payloads: this.ctx.converter.toPayloads(values, what) };
  }

  /** The request message, its payloads run through the codecs. */
  private async request<D extends DescMessage>(schema: D, init: object): Promise<MessageShape<D>> {
    const req = create(schema, init as never);
    return this.ctx.converter.encode(schema, req as MessageShape<D> & object);
  }

  private async call(what: string, fn: () => Promise<unknown>): Promise<unknown> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ServiceError && err.code === GrpcStatus.NOT_FOUND) throw new ActivityNotFoundError(`${what}: ${err.message}`, { cause: err });
      if (err instanceof ServiceError) throw new ActivityCompletionError(`${what}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Completes the activity with `result`. */
  async complete(target: Target, result?: unknown): Promise<void> {
    checkTarget(target, "complete");
    const ws = this.ctx.connection.workflowService;
    const base = { namespace: this.ctx.namespace, identity: this.ctx.identity, result: this.payloads([result], "activity result") };
    await this.call("complete", async () =>
      isToken(target)
        ? ws.respondActivityTaskCompleted(await this.request(RespondActivityTaskCompletedRequestSchema, { ...base, taskToken: target }))
        : ws.respondActivityTaskCompletedById(await this.request(RespondActivityTaskCompletedByIdRequestSchema, { ...base, ...byId(target) })),
    );
  }

  /** Fails the activity with `err` (made a TemporalFailure by `ensureTemporalFailure`, as official, then converted by the failure converter). */
  async fail(target: Target, err: unknown): Promise<void> {
    checkTarget(target, "fail");
    const ws = this.ctx.connection.workflowService;
    const base = { namespace: this.ctx.namespace, identity: this.ctx.identity, failure: this.ctx.converter.errorToFailure(ensureTemporalFailure(err)) };
    await this.call("fail", async () =>
      isToken(target)
        ? ws.respondActivityTaskFailed(await this.request(RespondActivityTaskFailedRequestSchema, { ...base, taskToken: target }))
        : ws.respondActivityTaskFailedById(await this.request(RespondActivityTaskFailedByIdRequestSchema, { ...base, ...byId(target) })),
    );
  }

  /** Reports that the activity accepted its cancellation. */
  async reportCancellation(target: Target, details?: unknown): Promise<void> {
    checkTarget(target, "reportCancellation");
    const ws = this.ctx.connection.workflowService;
    const base = {
      namespace: this.ctx.namespace,
      identity: this.ctx.identity,
      details: details === undefined ? undefined : this.payloads([details], "cancellation details"),
    };
    await this.call("reportCancellation", async () =>
      isToken(target)
        ? ws.respondActivityTaskCanceled(await this.request(RespondActivityTaskCanceledRequestSchema, { ...base, taskToken: target }))
        : ws.respondActivityTaskCanceledById(await this.request(RespondActivityTaskCanceledByIdRequestSchema, { ...base, ...byId(target) })),
    );
  }

  /**
   * Records a heartbeat. Throws ActivityCancelledError when the server asks the activity
   * to cancel, else ActivityResetError when it was reset, else ActivityPausedError when it
   * was paused (the order of @temporalio/client; a response may set several).
   */
  async heartbeat(target: Target, details?: unknown): Promise<void> {
    checkTarget(target, "heartbeat");
    const ws = this.ctx.connection.workflowService;
    const base = {
      namespace: this.ctx.namespace,
      identity: this.ctx.identity,
      details: details === undefined ? undefined : this.payloads([details], "heartbeat details"),
    };
    const res = (await this.call("heartbeat", async () =>
      isToken(target)
        ? ws.recordActivityTaskHeartbeat(await this.request(RecordActivityTaskHeartbeatRequestSchema, { ...base, taskToken: target }))
        : ws.recordActivityTaskHeartbeatById(await this.request(RecordActivityTaskHeartbeatByIdRequestSchema, { ...base, ...byId(target) })),
    )) as { cancelRequested: boolean; activityPaused?: boolean; activityReset?: boolean };
    if (res.cancelRequested) throw new ActivityCancelledError("cancellation requested");
    if (res.activityReset) throw new ActivityResetError("activity reset");
    if (res.activityPaused) throw new ActivityPausedError("activity paused");
  }
}
