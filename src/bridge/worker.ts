/** Native worker and replayer: poll and complete through core. */
import { bytesArg, check, finalizer, jsonArg, type Native } from "./native.js";
import { NativeBridgeError, NativeErrorCode } from "./errors.js";
import type { NativeClient } from "./client.js";
import { defaultIdentity, type NativeRuntime } from "./runtime.js";

export interface NativeWorkerOptions {
  namespace: string;
  taskQueue: string;
  identity?: string;
  buildId?: string;
  maxCachedWorkflows?: number;
  workflowSlots?: number;
  activitySlots?: number;
  localActivitySlots?: number;
  enableWorkflows?: boolean;
  enableActivities?: boolean;
  enableLocalActivities?: boolean;
  workflowPollers?: { maximum: number } | { autoscaling: { minimum: number; maximum: number; initial: number } };
  activityPollers?: { maximum: number } | { autoscaling: { minimum: number; maximum: number; initial: number } };
  nonstickyToStickyPollRatio?: number;
  stickyQueueScheduleToStartTimeoutMs?: number;
  maxHeartbeatThrottleIntervalMs?: number;
  defaultHeartbeatThrottleIntervalMs?: number;
  maxActivitiesPerSecond?: number;
  maxTaskQueueActivitiesPerSecond?: number;
  gracefulShutdownPeriodMs?: number;
  nondeterminismAsWorkflowFail?: boolean;
  nondeterminismAsWorkflowFailForTypes?: string[];
  maxEagerActivityReservations?: number;
}

/** A poll's outcome: the serialized activation/task, or the end of polling at shutdown. */
export type PollResult = { kind: "task"; bytes: Uint8Array } | { kind: "shutdown" };

export class NativeWorker {
  private freed = false;
  private readonly token = {};

  constructor(
    readonly n: Native,
    readonly id: number,
    /** What keeps this worker's core objects alive (client, or runtime for a replayer). */
    readonly owner: NativeClient | NativeRuntime,
  ) {
    finalizer.register(this, { free: n.s.temporal_bun_worker_free, id }, this.token);
  }

  static create(client: NativeClient, options: NativeWorkerOptions): NativeWorker {
    const [p, l, k] = jsonArg({ ...options, identity: options.identity || defaultIdentity() });
    const id = check(client.n.s, client.n.s.temporal_bun_worker_new(client.id, p, l), `create worker for task queue '${options.taskQueue}'`);
    void k;
    return new NativeWorker(client.n, id, client);
  }

  /** Checks the worker against the server (namespace exists, ...). */
  async validate(): Promise<void> {
    await this.n.awaitPending(this.n.s.temporal_bun_worker_validate(this.id), "validate worker");
  }

  private async poll(id: number, what: string): Promise<PollResult> {
    const result = await this.n.awaitPending(id, what);
    if (result.kind === "shutdown") return result;
    if (result.kind !== "bytes") throw new NativeBridgeError(NativeErrorCode.core, `${what}: unexpected result ${result.kind}`);
    return { kind: "task", bytes: result.bytes };
  }

  pollWorkflowActivation(): Promise<PollResult> {
    return this.poll(this.n.s.temporal_bun_worker_poll_workflow_activation(this.id), "poll workflow activation");
  }

  pollActivityTask(): Promise<PollResult> {
    return this.poll(this.n.s.temporal_bun_worker_poll_activity_task(this.id), "poll activity task");
  }

  async completeWorkflowActivation(completion: Uint8Array): Promise<void> {
    const [p, l, k] = bytesArg(completion);
    const id = this.n.s.temporal_bun_worker_complete_workflow_activation(this.id, p, l);
    void k;
    await this.n.awaitPending(id, "complete workflow activation");
  }

  async completeActivityTask(completion: Uint8Array): Promise<void> {
    const [p, l, k] = bytesArg(completion);
    const id = this.n.s.temporal_bun_worker_complete_activity_task(this.id, p, l);
    void k;
    await this.n.awaitPending(id, "complete activity task");
  }

  /** Queues a heartbeat (serialized coresdk.ActivityHeartbeat); core throttles and sends it. */
  recordActivityHeartbeat(heartbeat: Uint8Array): void {
    const [p, l, k] = bytesArg(heartbeat);
    check(this.n.s, this.n.s.temporal_bun_worker_record_activity_heartbeat(this.id, p, l), "record activity heartbeat");
    void k;
  }

  requestWorkflowEviction(runId: string): void {
    const [p, l, k] = bytesArg(runId);
    check(this.n.s, this.n.s.temporal_bun_worker_request_workflow_eviction(this.id, p, l), "request workflow eviction");
    void k;
  }

  /** Phase 1 of shutdown: polls drain and then end with `{ kind: "shutdown" }`. */
  initiateShutdown(): void {
    check(this.n.s, this.n.s.temporal_bun_worker_initiate_shutdown(this.id), "initiate shutdown");
  }

  /** Phase 2: only after every poll has returned shutdown. */
  async finalizeShutdown(): Promise<void> {
    await this.n.awaitPending(this.n.s.temporal_bun_worker_finalize_shutdown(this.id), "finalize shutdown");
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    check(this.n.s, this.n.s.temporal_bun_worker_free(this.id), "worker free");
  }
}

/** A replayer: a worker fed with histories. Push histories, then `finishPushing()`. */
export class NativeReplayer {
  private freed = false;
  private readonly token = {};
  readonly worker: NativeWorker;

  private constructor(
    readonly n: Native,
    readonly id: number,
    workerId: number,
    runtime: NativeRuntime,
  ) {
    finalizer.register(this, { free: n.s.temporal_bun_replayer_free, id }, this.token);
    this.worker = new NativeWorker(n, workerId, runtime);
  }

  static create(runtime: NativeRuntime, options: NativeWorkerOptions): NativeReplayer {
    const n = runtime.n;
    // A replayer never runs activities: with them disabled, finalize waits only for the
    // workflow poller.
    const [p, l, k] = jsonArg({ ...options, enableActivities: false, identity: options.identity || defaultIdentity() });
    const id = check(n.s, n.s.temporal_bun_replayer_new(runtime.id, p, l), "create replayer");
    void k;
    const workerId = check(n.s, n.s.temporal_bun_replayer_worker(id), "replayer worker");
    return new NativeReplayer(n, id, workerId, runtime);
  }

  /** Pushes a serialized temporal.api.history.v1.History for `workflowId`. */
  push(workflowId: string, history: Uint8Array): void {
    const [wp, wl, wk] = bytesArg(workflowId);
    const [hp, hl, hk] = bytesArg(history);
    check(this.n.s, this.n.s.temporal_bun_replayer_push(this.id, wp, wl, hp, hl), `replay push ${workflowId}`);
    void wk, hk;
  }

  /** Closes the history stream: the worker's polls end with shutdown after the last history. */
  finishPushing(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    check(this.n.s, this.n.s.temporal_bun_replayer_free(this.id), "replayer free");
  }
}
