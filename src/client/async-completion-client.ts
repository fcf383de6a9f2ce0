/**
 * `AsyncCompletionClient` (`client.activity`): completes, fails, heartbeats or reports the
 * cancellation of an activity from outside the worker, by task token or by
 * `{ workflowId, runId?, activityId }`, as in @temporalio/client.
 */
import { create } from "@bufbuild/protobuf";
import { PayloadsSchema } from "../proto/temporal/api/common/v1/message_pb.js";
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

/** The server asked the activity to stop (cancellation requested); returned by heartbeat(). */
export class ActivityCancelledError extends Error {
  override readonly name: string = "ActivityCancelledError";
}

/** The activity was paused on the server. */
export class ActivityPausedError extends Error {
  override readonly name: string = "ActivityPausedError";
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

export class AsyncCompletionClient {
  constructor(private readonly ctx: WorkflowClientContext) {}

  private payloads(values: unknown[], what: string) {
    return create(PayloadsSchema, { payloads: this.ctx.converter.toPayloads(values, what) });
  }

  private async call(what: string, fn: () => Promise<unknown>): Promise<unknown> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ServiceError && err.code === GrpcStatus.NOT_FOUND) throw new ActivityNotFoundError(`${what}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Completes the activity with `result`. */
  async complete(target: Target, result?: unknown): Promise<void> {
    checkTarget(target, "complete");
    const ws = this.ctx.connection.workflowService;
    const base = { namespace: this.ctx.namespace, identity: this.ctx.identity, result: this.payloads([result], "activity result") };
    await this.ctx.converter.encode(base);
    await this.call("complete", () =>
      isToken(target)
        ? ws.respondActivityTaskCompleted({ ...base, taskToken: target })
        : ws.respondActivityTaskCompletedById({ ...base, workflowId: target.workflowId, runId: target.runId ?? "", activityId: target.activityId }),
    );
  }

  /** Fails the activity with `err` (converted by the failure converter). */
  async fail(target: Target, err: unknown): Promise<void> {
    checkTarget(target, "fail");
    const ws = this.ctx.connection.workflowService;
    const base = { namespace: this.ctx.namespace, identity: this.ctx.identity, failure: this.ctx.converter.errorToFailure(err) };
    await this.ctx.converter.encode(base);
    await this.call("fail", () =>
      isToken(target)
        ? ws.respondActivityTaskFailed({ ...base, taskToken: target })
        : ws.respondActivityTaskFailedById({ ...base, workflowId: target.workflowId, runId: target.runId ?? "", activityId: target.activityId }),
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
    await this.ctx.converter.encode(base);
    await this.call("reportCancellation", () =>
      isToken(target)
        ? ws.respondActivityTaskCanceled({ ...base, taskToken: target })
        : ws.respondActivityTaskCanceledById({ ...base, workflowId: target.workflowId, runId: target.runId ?? "", activityId: target.activityId }),
    );
  }

  /**
   * Records a heartbeat. Throws ActivityCancelledError when the server asks the activity
   * to cancel, ActivityPausedError when it was paused.
   */
  async heartbeat(target: Target, details?: unknown): Promise<void> {
    checkTarget(target, "heartbeat");
    const ws = this.ctx.connection.workflowService;
    const base = {
      namespace: this.ctx.namespace,
      identity: this.ctx.identity,
      details: details === undefined ? undefined : this.payloads([details], "heartbeat details"),
    };
    await this.ctx.converter.encode(base);
    const res = (await this.call("heartbeat", () =>
      isToken(target)
        ? ws.recordActivityTaskHeartbeat({ ...base, taskToken: target })
        : ws.recordActivityTaskHeartbeatById({ ...base, workflowId: target.workflowId, runId: target.runId ?? "", activityId: target.activityId }),
    )) as { cancelRequested: boolean; activityPaused?: boolean };
    if (res.cancelRequested) throw new ActivityCancelledError("cancellation requested");
    if (res.activityPaused) throw new ActivityPausedError("activity paused");
  }
}
