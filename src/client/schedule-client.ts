/**
 * `client.schedule` (ScheduleClient), as @temporalio/client 1.24's: create schedules, get a
 * ScheduleHandle (describe, update, pause/unpause, trigger, backfill, delete), list them.
 * Every RPC goes through the Connection's workflowService (core's client); payloads of requests
 * run through the data converter's codecs, headers never do (as official).
 */
import { clone, create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import {
  CreateScheduleRequestSchema,
  DescribeScheduleResponseSchema,
  ListSchedulesResponseSchema,
  UpdateScheduleRequestSchema,
  type CreateScheduleRequest,
  type DescribeScheduleResponse,
} from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import type { SchedulePatchSchema } from "../proto/temporal/api/schedule/v1/message_pb.js";
import {
  checkOptions,
  composeInterceptors,
  decodeTypedSearchAttributes,
  decodeUntypedSearchAttributes,
  describeValue,
  encodeUnifiedSearchAttributes,
  NamespaceNotFoundError,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToDate,
  scheduleOverlapPolicyCodec,
  tsToDate,
  ScheduleOverlapPolicy,
  type Next,
  type SearchAttributes,
  type Workflow,
  type OptionsShape,
} from "../common/index.js";
import { markErrorClass } from "../common/type-helpers.js";
import { Connection } from "./connection.js";
import { ClientConverter, loadDataConverter, type DataConverter, type LoadedDataConverter } from "./converter.js";
import { GrpcStatus, ServiceError } from "./errors.js";
import {
  compileScheduleOptions,
  compileUpdatedScheduleOptions,
  decodeScheduleAction,
  decodeScheduleRecentActions,
  decodeScheduleRunningActions,
  decodeScheduleSpec,
  encodeBackfills,
  encodeOverlap,
  encodeScheduleAction,
  encodeSchedulePolicies,
  encodeScheduleSpec,
  encodeScheduleState,
} from "./schedule-helpers.js";
import type {
  Backfill,
  CompiledScheduleOptions,
  ScheduleDescription,
  ScheduleOptions,
  ScheduleOptionsAction,
  ScheduleOptionsStartWorkflowAction,
  ScheduleSummary,
  ScheduleUpdateOptions,
} from "./schedule-types.js";
import { hostname } from "node:os";

/** The schedule already exists (CreateSchedule answered ALREADY_EXISTS). */
export class ScheduleAlreadyRunning extends Error {
  constructor(
    message: string,
    readonly scheduleId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No schedule with this id (the server answered NOT_FOUND). */
export class ScheduleNotFoundError extends Error {
  constructor(
    message: string,
    readonly scheduleId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// `instanceof` across copies of the SDK and with @temporalio/client's classes, as official (Symbol-based).
markErrorClass(ScheduleAlreadyRunning, "ScheduleAlreadyRunning");
markErrorClass(ScheduleNotFoundError, "ScheduleNotFoundError");

/** Input of ScheduleClientInterceptor.create: the compiled options and the headers sent with the action. */
export interface CreateScheduleInput {
  readonly headers: Record<string, Payload>;
  readonly options: CompiledScheduleOptions;
}
export type CreateScheduleOutput = { readonly conflictToken: Uint8Array };

/** Intercepts ScheduleClient calls (the official 1.24 interface has only `create`). */
export interface ScheduleClientInterceptor {
  create?: (input: CreateScheduleInput, next: Next<ScheduleClientInterceptor, "create">) => Promise<CreateScheduleOutput>;
}

export interface ScheduleClientOptions {
  /** A Connection or a NativeConnection (default: a lazy connection to 127.0.0.1:7233). */
  connection?: Connection | { readonly connection: Connection };
  namespace?: string;
  dataConverter?: DataConverter;
  identity?: string;
  interceptors?: ScheduleClientInterceptor[];
}

export interface LoadedScheduleClientOptions {
  connection: Connection;
  namespace: string;
  identity: string;
  dataConverter: DataConverter;
  loadedDataConverter: LoadedDataConverter;
  interceptors: ScheduleClientInterceptor[];
}

export interface ListScheduleOptions {
  /** Results per ListSchedules page (default: the server's, 1000). */
  pageSize?: number;
  /** A visibility query, e.g. `ScheduleId = "x"` or on the schedule's search attributes. */
  query?: string;
}

export interface ScheduleHandle {
  readonly scheduleId: string;
  readonly client: ScheduleClient;
  describe(): Promise<ScheduleDescription>;
  /**
   * Read-modify-write as official: describes the schedule, calls `updateFn` with the
   * description and replaces the schedule with what it returns (memo and the action's headers
   * are kept). No conflict token is sent: a concurrent change in between is overwritten.
   */
  update<W extends Workflow = Workflow>(updateFn: (previous: ScheduleDescription) => ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<W>>): Promise<void>;
  delete(): Promise<void>;
  /** Takes an action now; `overlap` default ALLOW_ALL. */
  trigger(overlap?: ScheduleOverlapPolicy): Promise<void>;
  /** Takes the actions that were due in each range now. */
  backfill(options: Backfill | Backfill[]): Promise<void>;
  pause(note?: string): Promise<void>;
  unpause(note?: string): Promise<void>;
}

const scheduleOptionsShape: OptionsShape = { name: "ScheduleOptions", supported: ["scheduleId", "spec", "action", "policies", "memo", "searchAttributes", "typedSearchAttributes", "state"] };
const updateOptionsShape: OptionsShape = { name: "ScheduleUpdateOptions", supported: ["spec", "action", "policies", "searchAttributes", "typedSearchAttributes", "state"] };
const specShape: OptionsShape = { name: "ScheduleSpec", supported: ["calendars", "intervals", "cronExpressions", "skip", "startAt", "endAt", "jitter", "timezone"] };
const actionShape: OptionsShape = {
  name: "ScheduleOptionsStartWorkflowAction",
  supported: [
    "type",
    "workflowType",
    "taskQueue",
    "args",
    "workflowId",
    "memo",
    "searchAttributes",
    "typedSearchAttributes",
    "retry",
    "workflowExecutionTimeout",
    "workflowRunTimeout",
    "workflowTaskTimeout",
    "staticSummary",
    "staticDetails",
  ],
  // A description's action has `priority`, so `update(d => ({ ...d, ... }))` passes it back (sent as is).
  ignoredByOfficial: [],
};
const updateActionShape: OptionsShape = { ...actionShape, supported: [...actionShape.supported, "priority"] };
const policiesShape: OptionsShape = { name: "ScheduleOptions.policies", supported: ["overlap", "catchupWindow", "pauseOnFailure"] };
const stateShape: OptionsShape = { name: "ScheduleOptions.state", supported: ["paused", "note", "remainingActions", "triggerImmediately", "backfill"] };
const listShape: OptionsShape = { name: "ListScheduleOptions", supported: ["pageSize", "query"] };
const clientShape: OptionsShape = { name: "ScheduleClientOptions", supported: ["connection", "namespace", "dataConverter", "identity", "interceptors"] };
// Keys of a ScheduleDescription that `update(d => ({ ...d, spec }))` passes back: the official
// client lets them through unused, and so must this one (no error and no warning: this is the
// documented way to write an update function).
const DESCRIPTION_KEYS = ["scheduleId", "memo", "info", "raw"];

function withoutKeys(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

function checkObject(value: unknown, where: string): asserts value is Record<string, unknown> {
  isObject(value, where);
}

function isObject(value: unknown, where: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError(`${where}: expected an object, got ${describeValue(value)}`);
}

/** Checks the options of create (`update` false) or what an update function returned (`update` true). */
function checkScheduleOptions(o: unknown, update: boolean): void {
  const name = update ? "ScheduleUpdateOptions" : "ScheduleOptions";
  checkObject(o, name);
  checkOptions(update ? updateOptionsShape : scheduleOptionsShape, update ? withoutKeys(o, DESCRIPTION_KEYS) : o);
  if (!update && (typeof o.scheduleId !== "string" || o.scheduleId === "")) throw new TypeError(`Missing ScheduleOptions.scheduleId (got ${describeValue(o.scheduleId)})`);
  checkObject(o.spec, `${name}.spec`);
  checkOptions({ ...specShape, name: `${name}.spec` }, o.spec);
  checkObject(o.action, `${name}.action`);
  checkOptions({ ...(update ? updateActionShape : actionShape), name: `${name}.action` }, o.action);
  if (o.action.type !== "startWorkflow") throw new TypeError(`${name}.action.type: expected 'startWorkflow', got ${describeValue(o.action.type)}`);
  if (!o.action.taskQueue) throw new TypeError(`Missing ${name}.action.taskQueue for 'startWorkflow' action`);
  if (typeof o.action.taskQueue !== "string") throw new TypeError(`${name}.action.taskQueue: expected a string, got ${describeValue(o.action.taskQueue)}`);
  if (!o.action.workflowType) throw new TypeError(`Missing ${name}.action.workflowType for 'startWorkflow' action`);
  if (o.action.workflowId !== undefined && typeof o.action.workflowId !== "string") throw new TypeError(`${name}.action.workflowId: expected a string, got ${describeValue(o.action.workflowId)}`);
  if (o.policies !== undefined) {
    checkObject(o.policies, `${name}.policies`);
    checkOptions({ ...policiesShape, name: `${name}.policies` }, o.policies);
  }
  if (o.state !== undefined) {
    checkObject(o.state, `${name}.state`);
    checkOptions(update ? { name: `${name}.state`, supported: ["paused", "note", "remainingActions"] } : stateShape, o.state);
    if (o.state.note !== undefined && typeof o.state.note !== "string") throw new TypeError(`${name}.state.note: expected a string, got ${describeValue(o.state.note)}`);
    if (!update && o.state.backfill !== undefined && !Array.isArray(o.state.backfill)) throw new TypeError(`${name}.state.backfill: expected an array of Backfill, got ${describeValue(o.state.backfill)}`);
  }
  if (o.memo !== undefined && !update && (o.memo === null || typeof o.memo !== "object")) throw new TypeError(`${name}.memo: expected an object, got ${describeValue(o.memo)}`);
}

export class ScheduleClient {
  readonly options: LoadedScheduleClientOptions;
  readonly connection: Connection;
  private readonly converter: ClientConverter;

  constructor(options: ScheduleClientOptions = {}) {
    isObject(options, "ScheduleClientOptions");
    checkOptions(clientShape, options);
    // A NativeConnection wraps a Connection (as Client accepts it; matched by shape, the client does not import the worker).
    const inner = (options.connection as { connection?: unknown } | undefined)?.connection;
    const connection = options.connection instanceof Connection ? options.connection : inner instanceof Connection ? inner : undefined;
    if (options.connection !== undefined && connection === undefined) {
      throw new TypeError("ScheduleClientOptions.connection: expected a Connection (Connection.connect()) or a NativeConnection (NativeConnection.connect())");
    }
    if (options.interceptors !== undefined && !Array.isArray(options.interceptors)) {
      throw new TypeError(`ScheduleClientOptions.interceptors: expected an array of ScheduleClientInterceptor, got ${describeValue(options.interceptors)}`);
    }
    (options.interceptors ?? []).forEach((i, n) => {
      if (i === null || typeof i !== "object") throw new TypeError(`ScheduleClientOptions.interceptors[${n}]: expected a ScheduleClientInterceptor object, got ${describeValue(i)}`);
      if (i.create !== undefined && typeof i.create !== "function") throw new TypeError(`ScheduleClientOptions.interceptors[${n}].create: expected a function, got ${describeValue(i.create)}`);
    });
    this.connection = connection ?? Connection.lazy();
    const loaded = loadDataConverter(options.dataConverter);
    this.options = {
      connection: this.connection,
      namespace: options.namespace ?? "default",
      identity: options.identity ?? `${process.pid}@${hostname()}`,
      dataConverter: options.dataConverter ?? {},
      loadedDataConverter: loaded,
      interceptors: [...(options.interceptors ?? [])],
    };
    this.converter = new ClientConverter(loaded);
  }

  /** The raw typed WorkflowService RPCs of this client's connection. */
  get workflowService() {
    return this.connection.workflowService;
  }

  /** Creates a schedule; ScheduleAlreadyRunning if one with this id exists. */
  async create<W extends Workflow = Workflow>(options: ScheduleOptions<ScheduleOptionsStartWorkflowAction<W>>): Promise<ScheduleHandle>;
  async create<A extends ScheduleOptionsAction>(options: ScheduleOptions<A>): Promise<ScheduleHandle> {
    checkScheduleOptions(options, false);
    const compiled = compileScheduleOptions(options);
    const createSchedule = composeInterceptors(this.options.interceptors, "create", (input: CreateScheduleInput) => this.createHandler(input));
    await createSchedule({ options: compiled, headers: {} });
    return this.getHandle(options.scheduleId);
  }

  private async createHandler(input: CreateScheduleInput): Promise<CreateScheduleOutput> {
    const req = await this.createScheduleRequest(input);
    try {
      const res = await this.workflowService.createSchedule(req);
      return { conflictToken: res.conflictToken };
    } catch (err) {
      if (err instanceof ServiceError && err.code === GrpcStatus.ALREADY_EXISTS) {
        throw new ScheduleAlreadyRunning("Schedule already exists and is running", input.options.scheduleId, { cause: err });
      }
      throw this.rpcError(err, input.options.scheduleId);
    }
  }

  /** @internal The CreateSchedule request of `input`, codecs applied (tests/compat/schedules.test.ts compares it with the official client's). */
  async createScheduleRequest(input: CreateScheduleInput): Promise<CreateScheduleRequest> {
    const o = input.options;
    const state = o.state;
    const req = create(CreateScheduleRequestSchema, {
      namespace: this.options.namespace,
      identity: this.options.identity,
      requestId: crypto.randomUUID(),
      scheduleId: o.scheduleId,
      schedule: {
        spec: encodeScheduleSpec(o.spec),
        action: encodeScheduleAction(this.converter, o.action, input.headers, "ScheduleOptions.action"),
        policies: encodeSchedulePolicies(o.policies, "ScheduleOptions.policies"),
        state: encodeScheduleState(state, "ScheduleOptions.state"),
      },
      memo: o.memo ? { fields: this.converter.toMap(o.memo, "ScheduleOptions.memo") } : undefined,
      searchAttributes: o.searchAttributes || o.typedSearchAttributes ? { indexedFields: encodeUnifiedSearchAttributes(o.searchAttributes, o.typedSearchAttributes) } : undefined,
      // Always sent (possibly empty), as official.
      initialPatch: {
        triggerImmediately: state?.triggerImmediately ? { overlapPolicy: scheduleOverlapPolicyCodec.encode(ScheduleOverlapPolicy.ALLOW_ALL) } : undefined,
        backfillRequest: state?.backfill ? encodeBackfills(state.backfill, "ScheduleOptions.state.backfill") : undefined,
      },
    } as never);
    return this.converter.encode(CreateScheduleRequestSchema, req);
  }

  /** NOT_FOUND → ScheduleNotFoundError; an invalid spec → TypeError with the server's reason (as official). */
  private rpcError(err: unknown, scheduleId: string): unknown {
    if (!(err instanceof ServiceError)) return err;
    // Checked first, as official: a missing namespace also answers NOT_FOUND.
    const nsDetail = err.detail("temporal.api.errordetails.v1.NamespaceNotFoundFailure") as { namespace?: string } | undefined;
    if (nsDetail) return new NamespaceNotFoundError(nsDetail.namespace || this.options.namespace, { cause: err });
    if (err.code === GrpcStatus.NOT_FOUND) {
      return new ScheduleNotFoundError(err.message.replace(/^[A-Za-z]+: NOT_FOUND: /, "") || "Schedule not found", scheduleId, { cause: err });
    }
    const invalidSpec = /Invalid schedule spec: (.*)$/s.exec(err.message);
    if (err.code === GrpcStatus.INVALID_ARGUMENT && invalidSpec) return new TypeError(invalidSpec[1], { cause: err });
    return err;
  }

  /** @internal DescribeSchedule, undecoded. */
  async describeRaw(scheduleId: string): Promise<DescribeScheduleResponse> {
    try {
      return await this.workflowService.describeSchedule({ namespace: this.options.namespace, scheduleId });
    } catch (err) {
      throw this.rpcError(err, scheduleId);
    }
  }

  /** @internal */
  async updateSchedule(scheduleId: string, updated: ScheduleUpdateOptions, headers: Record<string, Payload>): Promise<void> {
    checkScheduleOptions(updated, true);
    const o = compileUpdatedScheduleOptions(scheduleId, updated);
    const req = create(UpdateScheduleRequestSchema, {
      namespace: this.options.namespace,
      scheduleId,
      schedule: {
        spec: encodeScheduleSpec(o.spec, "ScheduleUpdateOptions.spec"),
        action: encodeScheduleAction(this.converter, o.action, headers, "ScheduleUpdateOptions.action"),
        policies: encodeSchedulePolicies(o.policies, "ScheduleUpdateOptions.policies"),
        state: encodeScheduleState(o.state, "ScheduleUpdateOptions.state"),
      },
      identity: this.options.identity,
      requestId: crypto.randomUUID(),
      searchAttributes: o.searchAttributes || o.typedSearchAttributes ? { indexedFields: encodeUnifiedSearchAttributes(o.searchAttributes, o.typedSearchAttributes) } : undefined,
    } as never);
    await this.converter.encode(UpdateScheduleRequestSchema, req);
    try {
      await this.workflowService.updateSchedule(req);
    } catch (err) {
      throw this.rpcError(err, scheduleId);
    }
  }

  /** @internal */
  async patchSchedule(scheduleId: string, patch: MessageInitShape<typeof SchedulePatchSchema>): Promise<void> {
    try {
      await this.workflowService.patchSchedule({ namespace: this.options.namespace, scheduleId, identity: this.options.identity, requestId: crypto.randomUUID(), patch });
    } catch (err) {
      throw this.rpcError(err, scheduleId);
    }
  }

  /** @internal */
  async deleteSchedule(scheduleId: string): Promise<void> {
    try {
      await this.workflowService.deleteSchedule({ namespace: this.options.namespace, identity: this.options.identity, scheduleId });
    } catch (err) {
      throw this.rpcError(err, scheduleId);
    }
  }

  /** @internal */
  async decodeDescription(scheduleId: string, raw: DescribeScheduleResponse): Promise<ScheduleDescription> {
    // Decode a copy: `raw` stays as the server sent it (payloads codec-encoded, as official).
    const res = await this.converter.decode(DescribeScheduleResponseSchema, clone(DescribeScheduleResponseSchema, raw));
    const schedule = res.schedule;
    if (!schedule?.spec || !schedule.action) throw new Error("Received invalid Schedule description from server");
    const state = schedule.state;
    const info = res.info;
    return {
      scheduleId,
      spec: decodeScheduleSpec(schedule.spec),
      action: decodeScheduleAction(this.converter, schedule.action),
      memo: this.converter.fromMap(res.memo?.fields),
      searchAttributes: decodeUntypedSearchAttributes(res.searchAttributes) as SearchAttributes,
      typedSearchAttributes: decodeTypedSearchAttributes(res.searchAttributes),
      policies: {
        // The server replaces UNSPECIFIED by the policy in force; SKIP is its default.
        overlap: scheduleOverlapPolicyCodec.decode(schedule.policies?.overlapPolicy) ?? ScheduleOverlapPolicy.SKIP,
        catchupWindow: optionalTsToMs(schedule.policies?.catchupWindow) ?? 60_000,
        pauseOnFailure: schedule.policies?.pauseOnFailure === true,
      },
      state: {
        paused: state?.paused === true,
        // proto3: "" when there is no note (the official client reads it the same way).
        note: state?.notes,
        remainingActions: state?.limitedActions ? Number(state.remainingActions) || 0 : undefined,
      },
      info: {
        recentActions: decodeScheduleRecentActions(info?.recentActions),
        nextActionTimes: (info?.futureActionTimes ?? []).map((t) => tsToDate(t)),
        createdAt: requiredTsToDate(info?.createTime, "createTime"),
        lastUpdatedAt: optionalTsToDate(info?.updateTime),
        runningActions: decodeScheduleRunningActions(info?.runningWorkflows),
        numActionsMissedCatchupWindow: Number(info?.missedCatchupWindow ?? 0),
        numActionsSkippedOverlap: Number(info?.overlapSkipped ?? 0),
        numActionsTaken: Number(info?.actionCount ?? 0),
      },
      raw,
    };
  }

  /** Every schedule (of `query`, if given), page by page, from visibility (eventually consistent). */
  async *list(options: ListScheduleOptions = {}): AsyncIterable<ScheduleSummary> {
    isObject(options, "ListScheduleOptions");
    checkOptions(listShape, options);
    if (options.pageSize !== undefined && (!Number.isSafeInteger(options.pageSize) || options.pageSize < 0)) {
      throw new TypeError(`ListScheduleOptions.pageSize: expected a non-negative integer, got ${describeValue(options.pageSize)}`);
    }
    if (options.query !== undefined && typeof options.query !== "string") throw new TypeError(`ListScheduleOptions.query: expected a string, got ${describeValue(options.query)}`);
    let nextPageToken: Uint8Array | undefined;
    for (;;) {
      const res = await this.workflowService.listSchedules({ namespace: this.options.namespace, maximumPageSize: options.pageSize, query: options.query, nextPageToken });
      await this.converter.decode(ListSchedulesResponseSchema, res);
      for (const raw of res.schedules) {
        yield {
          scheduleId: raw.scheduleId,
          spec: decodeScheduleSpec(raw.info?.spec),
          action: raw.info?.workflowType ? { type: "startWorkflow", workflowType: raw.info.workflowType.name } : undefined,
          memo: this.converter.fromMap(raw.memo?.fields),
          searchAttributes: decodeUntypedSearchAttributes(raw.searchAttributes) as SearchAttributes,
          typedSearchAttributes: decodeTypedSearchAttributes(raw.searchAttributes),
          state: { paused: raw.info?.paused === true, note: raw.info?.notes },
          info: { recentActions: decodeScheduleRecentActions(raw.info?.recentActions), nextActionTimes: (raw.info?.futureActionTimes ?? []).map((t) => tsToDate(t)) },
        };
      }
      if (res.nextPageToken.length === 0) break;
      nextPageToken = res.nextPageToken;
    }
  }

  /** A handle to the schedule `scheduleId` (no RPC: a missing schedule shows at the first call). */
  getHandle(scheduleId: string): ScheduleHandle {
    if (typeof scheduleId !== "string" || scheduleId === "") throw new TypeError(`scheduleId: expected a non-empty string, got ${describeValue(scheduleId)}`);
    const client = this;
    return {
      client,
      scheduleId,
      async describe() {
        return client.decodeDescription(scheduleId, await client.describeRaw(scheduleId));
      },
      async update(updateFn) {
        if (typeof updateFn !== "function") throw new TypeError(`ScheduleHandle.update: expected a function, got ${describeValue(updateFn)}`);
        const current = await this.describe();
        // The action's headers (set by interceptors at create) are kept, as official.
        const action = current.raw.schedule?.action?.action;
        const headers = action?.case === "startWorkflow" ? (action.value.header?.fields ?? {}) : {};
        await client.updateSchedule(scheduleId, updateFn(current) as ScheduleUpdateOptions, headers);
      },
      async delete() {
        await client.deleteSchedule(scheduleId);
      },
      async pause(note) {
        // The official default notes, stray quote included (they show in the UI and CLI).
        await client.patchSchedule(scheduleId, { pause: note ?? 'Paused via TypeScript SDK"' });
      },
      async unpause(note) {
        await client.patchSchedule(scheduleId, { unpause: note ?? 'Unpaused via TypeScript SDK"' });
      },
      async trigger(overlap) {
        const policy = overlap ? encodeOverlap(overlap, "ScheduleHandle.trigger overlap") : scheduleOverlapPolicyCodec.encode(ScheduleOverlapPolicy.ALLOW_ALL);
        await client.patchSchedule(scheduleId, { triggerImmediately: { overlapPolicy: policy } });
      },
      async backfill(options) {
        const list = Array.isArray(options) ? options : [options];
        await client.patchSchedule(scheduleId, { backfillRequest: encodeBackfills(list, "ScheduleHandle.backfill") });
      },
    };
  }
}

export type { Next };
