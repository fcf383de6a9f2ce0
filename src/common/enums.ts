/**
 * Every enum-like constant of the official SDK 1.24, with its official values, defined once
 * here and re-exported from the same subpaths as the official packages export it
 * (`/common`, `/workflow`, `/client`). tests/compat/constants.test.ts compares each with the
 * values recorded from the official packages (tests/compat/fixtures/official-constants.json).
 *
 * The official constants are objects of strings (`ActivityCancellationType.TRY_CANCEL ===
 * 'TRY_CANCEL'`); some keep legacy aliases with the protobuf prefix
 * (`WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE: 'REJECT_DUPLICATE'`, `..._UNSPECIFIED: undefined`).
 * `makeEnumCodec` turns them into the protobuf enum numbers and back, accepting what the
 * official encoders accept: the short name, the prefixed name, or the proto number.
 *
 * Pure (no node:*, no generated protobuf code: the numbers are literals), because workflow
 * code reaches this module.
 */
import { ValueError } from "./errors.js";

export interface EnumCodec<T extends string> {
  /** The short names, in proto number order (for messages). */
  readonly names: readonly T[];
  /**
   * Name (short or prefixed) or proto number → proto number; `undefined`/`null` → undefined.
   * Throws ValueError naming `where` and the accepted names for anything else — including a
   * number that is not a value of the proto enum, or NaN.
   */
  encode(value: unknown, where?: string): number | undefined;
  /** Proto number → short name; 0 (UNSPECIFIED, when the enum has it) → undefined; unknown n → `unknown_<n>`. */
  decode(value: number | null | undefined): T | undefined;
}

/**
 * A codec between short names and proto numbers. `numbers` maps each short name to its proto
 * number; `prefix` is the proto's repeated prefix (`'WORKFLOW_ID_REUSE_POLICY_'`, or `''`);
 * `hasUnspecified` says whether 0 means "unset" (and so is accepted and decoded as undefined).
 */
export function makeEnumCodec<T extends string>(name: string, numbers: Record<T, number>, prefix: string, hasUnspecified: boolean): EnumCodec<T> {
  const entries = (Object.entries(numbers) as [T, number][]).sort((a, b) => a[1] - b[1]);
  const names = entries.map(([k]) => k);
  const byNumber = new Map<number, T>(entries.map(([k, v]) => [v, k]));
  const expected = () => `expected one of ${names.join(", ")}`;
  return {
    names,
    encode(value, where = name) {
      if (value === undefined || value === null) return undefined;
      if (typeof value === "string") {
        const short = prefix !== "" && value.startsWith(prefix) ? value.slice(prefix.length) : value;
        if (Object.hasOwn(numbers, short)) return numbers[short as T];
        if (hasUnspecified && short === "UNSPECIFIED") return 0;
        throw new ValueError(`${where}: ${expected()}, got ${JSON.stringify(value)}`);
      }
      if (typeof value === "number") {
        // The official encoders pass any number through; a number that is no value of the
        // proto enum (NaN, 7) would only fail later, in encoding or in core, far from the cause.
        if (byNumber.has(value) || (hasUnspecified && value === 0)) return value;
        throw new ValueError(`${where}: ${expected()} (or its proto number), got ${String(value)}`);
      }
      throw new ValueError(`${where}: ${expected()}, got ${describeValue(value)}`);
    },
    decode(value) {
      if (value === undefined || value === null) return undefined;
      if (hasUnspecified && value === 0) return undefined;
      return byNumber.get(value) ?? (`unknown_${value}` as T);
    },
  };
}

/** A short description of a value of the wrong type, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof value} ${String(value)}`;
    case "function":
      return "a function";
    case "symbol":
      return String(value);
    case "undefined":
      return "undefined";
    default:
      return "an object";
  }
}

// ── @temporalio/common ───────────────────────────────────────────────────────────────────

/**
 * What a workflow's `await` of an activity does when its scope is cancelled
 * (coresdk.workflow_commands.ActivityCancellationType; unset means TRY_CANCEL, as in the official SDK).
 */
export const ActivityCancellationType = {
  /** Do not ask the server to cancel; fail the `await` with a cancellation right away. */
  ABANDON: "ABANDON",
  /** Ask the server to cancel and fail the `await` right away. */
  TRY_CANCEL: "TRY_CANCEL",
  /** Ask the server to cancel and wait until the activity finishes (it must heartbeat to learn of it). */
  WAIT_CANCELLATION_COMPLETED: "WAIT_CANCELLATION_COMPLETED",
} as const;
export type ActivityCancellationType = (typeof ActivityCancellationType)[keyof typeof ActivityCancellationType];
export const activityCancellationTypeCodec = makeEnumCodec<ActivityCancellationType>(
  "ActivityCancellationType",
  { TRY_CANCEL: 0, WAIT_CANCELLATION_COMPLETED: 1, ABANDON: 2 },
  "",
  false,
);

/** What to do when a workflow id is already used by a closed run (temporal.api.enums.v1.WorkflowIdReusePolicy). */
export const WorkflowIdReusePolicy = {
  ALLOW_DUPLICATE: "ALLOW_DUPLICATE",
  ALLOW_DUPLICATE_FAILED_ONLY: "ALLOW_DUPLICATE_FAILED_ONLY",
  REJECT_DUPLICATE: "REJECT_DUPLICATE",
  /** @deprecated use workflowIdConflictPolicy: 'TERMINATE_EXISTING' */
  TERMINATE_IF_RUNNING: "TERMINATE_IF_RUNNING",
  /** @deprecated legacy aliases, as in the official SDK */
  WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED: undefined,
  WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE: "ALLOW_DUPLICATE",
  WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY: "ALLOW_DUPLICATE_FAILED_ONLY",
  WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE: "REJECT_DUPLICATE",
  WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING: "TERMINATE_IF_RUNNING",
} as const;
export type WorkflowIdReusePolicy = (typeof WorkflowIdReusePolicy)[keyof typeof WorkflowIdReusePolicy];
export const workflowIdReusePolicyCodec = makeEnumCodec<NonNullable<WorkflowIdReusePolicy>>(
  "WorkflowIdReusePolicy",
  { ALLOW_DUPLICATE: 1, ALLOW_DUPLICATE_FAILED_ONLY: 2, REJECT_DUPLICATE: 3, TERMINATE_IF_RUNNING: 4 },
  "WORKFLOW_ID_REUSE_POLICY_",
  true,
);

/** What to do when a workflow id is used by a running workflow (temporal.api.enums.v1.WorkflowIdConflictPolicy). */
export const WorkflowIdConflictPolicy = {
  FAIL: "FAIL",
  USE_EXISTING: "USE_EXISTING",
  TERMINATE_EXISTING: "TERMINATE_EXISTING",
} as const;
export type WorkflowIdConflictPolicy = (typeof WorkflowIdConflictPolicy)[keyof typeof WorkflowIdConflictPolicy];
export const workflowIdConflictPolicyCodec = makeEnumCodec<WorkflowIdConflictPolicy>(
  "WorkflowIdConflictPolicy",
  { FAIL: 1, USE_EXISTING: 2, TERMINATE_EXISTING: 3 },
  "WORKFLOW_ID_CONFLICT_POLICY_",
  true,
);

/** What happens to signal and update handlers still running when the workflow exits. */
export const HandlerUnfinishedPolicy = {
  /** Log a warning (not when the workflow fails) and abandon the handler. */
  WARN_AND_ABANDON: "WARN_AND_ABANDON",
  /** Abandon the handler silently. */
  ABANDON: "ABANDON",
} as const;
export type HandlerUnfinishedPolicy = (typeof HandlerUnfinishedPolicy)[keyof typeof HandlerUnfinishedPolicy];

/** The type of a search attribute (temporal.api.enums.v1.IndexedValueType). */
export const SearchAttributeType = {
  TEXT: "TEXT",
  KEYWORD: "KEYWORD",
  INT: "INT",
  DOUBLE: "DOUBLE",
  BOOL: "BOOL",
  DATETIME: "DATETIME",
  KEYWORD_LIST: "KEYWORD_LIST",
} as const;
export type SearchAttributeType = (typeof SearchAttributeType)[keyof typeof SearchAttributeType];
export const searchAttributeTypeCodec = makeEnumCodec<SearchAttributeType>(
  "SearchAttributeType",
  { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 },
  "INDEXED_VALUE_TYPE_",
  true,
);

/** The `sdkComponent` attribute of log records: which part of the SDK emitted them. */
export const SdkComponent = {
  workflow: "workflow",
  activity: "activity",
  nexus: "nexus",
  worker: "worker",
  core: "core",
} as const;
export type SdkComponent = (typeof SdkComponent)[keyof typeof SdkComponent];

/** Worker Deployment versioning behaviour of a workflow (temporal.api.enums.v1.VersioningBehavior). */
export const VersioningBehavior = {
  PINNED: "PINNED",
  AUTO_UPGRADE: "AUTO_UPGRADE",
} as const;
export type VersioningBehavior = (typeof VersioningBehavior)[keyof typeof VersioningBehavior];
export const versioningBehaviorCodec = makeEnumCodec<VersioningBehavior>("VersioningBehavior", { PINNED: 1, AUTO_UPGRADE: 2 }, "VERSIONING_BEHAVIOR_", true);

/** Versioning behaviour of the run a continue-as-new starts (temporal.api.enums.v1.ContinueAsNewVersioningBehavior). */
export const InitialVersioningBehavior = {
  AUTO_UPGRADE: "AUTO_UPGRADE",
  USE_RAMPING_VERSION: "USE_RAMPING_VERSION",
} as const;
export type InitialVersioningBehavior = (typeof InitialVersioningBehavior)[keyof typeof InitialVersioningBehavior];
export const initialVersioningBehaviorCodec = makeEnumCodec<InitialVersioningBehavior>(
  "InitialVersioningBehavior",
  { AUTO_UPGRADE: 1, USE_RAMPING_VERSION: 2 },
  "CONTINUE_AS_NEW_VERSIONING_BEHAVIOR_",
  true,
);

/** Why the server suggests continue-as-new (temporal.api.enums.v1.SuggestContinueAsNewReason). */
export const SuggestContinueAsNewReason = {
  HISTORY_SIZE_TOO_LARGE: "HISTORY_SIZE_TOO_LARGE",
  TOO_MANY_HISTORY_EVENTS: "TOO_MANY_HISTORY_EVENTS",
  TOO_MANY_UPDATES: "TOO_MANY_UPDATES",
} as const;
export type SuggestContinueAsNewReason = (typeof SuggestContinueAsNewReason)[keyof typeof SuggestContinueAsNewReason];
export const suggestContinueAsNewReasonCodec = makeEnumCodec<SuggestContinueAsNewReason>(
  "SuggestContinueAsNewReason",
  { HISTORY_SIZE_TOO_LARGE: 1, TOO_MANY_HISTORY_EVENTS: 2, TOO_MANY_UPDATES: 3 },
  "SUGGEST_CONTINUE_AS_NEW_REASON_",
  true,
);

/** Whether the activity should run on a compatible or the default Build Id (deprecated worker versioning). */
export type VersioningIntent = "COMPATIBLE" | "DEFAULT";
export const versioningIntentCodec = makeEnumCodec<VersioningIntent>("VersioningIntent", { COMPATIBLE: 1, DEFAULT: 2 }, "", true);

// ── @temporalio/workflow ─────────────────────────────────────────────────────────────────
// (child workflows: issue 10; Nexus operations are not implemented — the values exist so code
// that names them compiles and compares as with the official SDK)

/** How a child workflow's cancellation is reported to the parent (coresdk.child_workflow.ChildWorkflowCancellationType). */
export const ChildWorkflowCancellationType = {
  ABANDON: "ABANDON",
  TRY_CANCEL: "TRY_CANCEL",
  WAIT_CANCELLATION_REQUESTED: "WAIT_CANCELLATION_REQUESTED",
  WAIT_CANCELLATION_COMPLETED: "WAIT_CANCELLATION_COMPLETED",
} as const;
export type ChildWorkflowCancellationType = (typeof ChildWorkflowCancellationType)[keyof typeof ChildWorkflowCancellationType];
export const childWorkflowCancellationTypeCodec = makeEnumCodec<ChildWorkflowCancellationType>(
  "ChildWorkflowCancellationType",
  { ABANDON: 0, TRY_CANCEL: 1, WAIT_CANCELLATION_COMPLETED: 2, WAIT_CANCELLATION_REQUESTED: 3 },
  "",
  false,
);

/** What happens to a child workflow when its parent closes (coresdk.child_workflow.ParentClosePolicy). */
export const ParentClosePolicy = {
  TERMINATE: "TERMINATE",
  ABANDON: "ABANDON",
  REQUEST_CANCEL: "REQUEST_CANCEL",
  /** @deprecated legacy aliases, as in the official SDK */
  PARENT_CLOSE_POLICY_UNSPECIFIED: undefined,
  PARENT_CLOSE_POLICY_TERMINATE: "TERMINATE",
  PARENT_CLOSE_POLICY_ABANDON: "ABANDON",
  PARENT_CLOSE_POLICY_REQUEST_CANCEL: "REQUEST_CANCEL",
} as const;
export type ParentClosePolicy = (typeof ParentClosePolicy)[keyof typeof ParentClosePolicy];
export const parentClosePolicyCodec = makeEnumCodec<NonNullable<ParentClosePolicy>>(
  "ParentClosePolicy",
  { TERMINATE: 1, ABANDON: 2, REQUEST_CANCEL: 3 },
  "PARENT_CLOSE_POLICY_",
  true,
);

/** How a Nexus operation's cancellation is reported (not implemented by this SDK yet). */
export const NexusOperationCancellationType = {
  ABANDON: "ABANDON",
  TRY_CANCEL: "TRY_CANCEL",
  WAIT_CANCELLATION_REQUESTED: "WAIT_CANCELLATION_REQUESTED",
  WAIT_CANCELLATION_COMPLETED: "WAIT_CANCELLATION_COMPLETED",
} as const;
export type NexusOperationCancellationType = (typeof NexusOperationCancellationType)[keyof typeof NexusOperationCancellationType];

// ── @temporalio/client ───────────────────────────────────────────────────────────────────
// (updates: issue 11; schedules: issue 14; standalone activities, task-queue reachability and
// Nexus operations are not implemented — their values exist for the same reason as above)

/** When the server refuses a query, by the workflow's state (temporal.api.enums.v1.QueryRejectCondition). */
export const QueryRejectCondition = {
  NONE: "NONE",
  NOT_OPEN: "NOT_OPEN",
  NOT_COMPLETED_CLEANLY: "NOT_COMPLETED_CLEANLY",
  /** @deprecated legacy aliases, as in the official SDK */
  QUERY_REJECT_CONDITION_NONE: "NONE",
  QUERY_REJECT_CONDITION_NOT_OPEN: "NOT_OPEN",
  QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY: "NOT_COMPLETED_CLEANLY",
  QUERY_REJECT_CONDITION_UNSPECIFIED: undefined,
} as const;
export type QueryRejectCondition = (typeof QueryRejectCondition)[keyof typeof QueryRejectCondition];
export const queryRejectConditionCodec = makeEnumCodec<NonNullable<QueryRejectCondition>>(
  "QueryRejectCondition",
  { NONE: 1, NOT_OPEN: 2, NOT_COMPLETED_CLEANLY: 3 },
  "QUERY_REJECT_CONDITION_",
  true,
);

/** How far an update must have progressed before the client call returns (temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage). */
export const WorkflowUpdateStage = {
  ADMITTED: "ADMITTED",
  ACCEPTED: "ACCEPTED",
  COMPLETED: "COMPLETED",
  UNSPECIFIED: undefined,
} as const;
export type WorkflowUpdateStage = (typeof WorkflowUpdateStage)[keyof typeof WorkflowUpdateStage];

/** What a schedule does when an action is due while the previous one still runs (temporal.api.enums.v1.ScheduleOverlapPolicy). */
export const ScheduleOverlapPolicy = {
  SKIP: "SKIP",
  BUFFER_ONE: "BUFFER_ONE",
  BUFFER_ALL: "BUFFER_ALL",
  CANCEL_OTHER: "CANCEL_OTHER",
  TERMINATE_OTHER: "TERMINATE_OTHER",
  ALLOW_ALL: "ALLOW_ALL",
  /** @deprecated as in the official SDK */
  UNSPECIFIED: undefined,
} as const;
export type ScheduleOverlapPolicy = (typeof ScheduleOverlapPolicy)[keyof typeof ScheduleOverlapPolicy];

/** Month and day names of schedule calendar specs, as in the official client. */
export const MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"] as const;
export type Month = (typeof MONTHS)[number];
export const DAYS_OF_WEEK = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Task-queue reachability of a Build Id (deprecated worker versioning). */
export const ReachabilityType = {
  NEW_WORKFLOWS: "NEW_WORKFLOWS",
  EXISTING_WORKFLOWS: "EXISTING_WORKFLOWS",
  OPEN_WORKFLOWS: "OPEN_WORKFLOWS",
  CLOSED_WORKFLOWS: "CLOSED_WORKFLOWS",
} as const;
export type ReachabilityType = (typeof ReachabilityType)[keyof typeof ReachabilityType];

/** Standalone activities (started by the client). */
export const ActivityIdReusePolicy = {
  ALLOW_DUPLICATE: "ALLOW_DUPLICATE",
  ALLOW_DUPLICATE_FAILED_ONLY: "ALLOW_DUPLICATE_FAILED_ONLY",
  REJECT_DUPLICATE: "REJECT_DUPLICATE",
} as const;
export type ActivityIdReusePolicy = (typeof ActivityIdReusePolicy)[keyof typeof ActivityIdReusePolicy];
export const ActivityIdConflictPolicy = {
  FAIL: "FAIL",
  USE_EXISTING: "USE_EXISTING",
} as const;
export type ActivityIdConflictPolicy = (typeof ActivityIdConflictPolicy)[keyof typeof ActivityIdConflictPolicy];
export const ActivityExecutionStatus = {
  RUNNING: "RUNNING",
  COMPLETED: "COMPLETED",
  FAILED: "FAILED",
  CANCELED: "CANCELED",
  TERMINATED: "TERMINATED",
  TIMED_OUT: "TIMED_OUT",
  PAUSED: "PAUSED",
} as const;
export type ActivityExecutionStatus = (typeof ActivityExecutionStatus)[keyof typeof ActivityExecutionStatus];
/** The state of a pending activity in a workflow description (temporal.api.enums.v1.PendingActivityState). */
export const PendingActivityState = {
  SCHEDULED: "SCHEDULED",
  STARTED: "STARTED",
  CANCEL_REQUESTED: "CANCEL_REQUESTED",
  PAUSED: "PAUSED",
  PAUSE_REQUESTED: "PAUSE_REQUESTED",
} as const;
export type PendingActivityState = (typeof PendingActivityState)[keyof typeof PendingActivityState];

/** Nexus operations started by the client (not implemented by this SDK yet). */
export const NexusOperationIdReusePolicy = {
  ALLOW_DUPLICATE: "ALLOW_DUPLICATE",
  ALLOW_DUPLICATE_FAILED_ONLY: "ALLOW_DUPLICATE_FAILED_ONLY",
  REJECT_DUPLICATE: "REJECT_DUPLICATE",
} as const;
export type NexusOperationIdReusePolicy = (typeof NexusOperationIdReusePolicy)[keyof typeof NexusOperationIdReusePolicy];
export const NexusOperationIdConflictPolicy = {
  FAIL: "FAIL",
  USE_EXISTING: "USE_EXISTING",
} as const;
export type NexusOperationIdConflictPolicy = (typeof NexusOperationIdConflictPolicy)[keyof typeof NexusOperationIdConflictPolicy];
export const NexusOperationExecutionStatus = {
  RUNNING: "RUNNING",
  COMPLETED: "COMPLETED",
  FAILED: "FAILED",
  CANCELED: "CANCELED",
  TERMINATED: "TERMINATED",
  TIMED_OUT: "TIMED_OUT",
} as const;
export type NexusOperationExecutionStatus = (typeof NexusOperationExecutionStatus)[keyof typeof NexusOperationExecutionStatus];
export const PendingNexusOperationState = {
  SCHEDULED: "SCHEDULED",
  BACKING_OFF: "BACKING_OFF",
  STARTED: "STARTED",
  BLOCKED: "BLOCKED",
} as const;
export type PendingNexusOperationState = (typeof PendingNexusOperationState)[keyof typeof PendingNexusOperationState];
export const NexusOperationCancellationState = {
  SCHEDULED: "SCHEDULED",
  BACKING_OFF: "BACKING_OFF",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  TIMED_OUT: "TIMED_OUT",
  BLOCKED: "BLOCKED",
} as const;
export type NexusOperationCancellationState = (typeof NexusOperationCancellationState)[keyof typeof NexusOperationCancellationState];

// ── Codecs under the official names ──────────────────────────────────────────────────────
// Codecs of the constants above that have no codec yet (all but ScheduleOverlapPolicy's are
// only used through the official-named functions below).
export const scheduleOverlapPolicyCodec = makeEnumCodec<NonNullable<ScheduleOverlapPolicy>>(
  "ScheduleOverlapPolicy",
  { SKIP: 1, BUFFER_ONE: 2, BUFFER_ALL: 3, CANCEL_OTHER: 4, TERMINATE_OTHER: 5, ALLOW_ALL: 6 },
  "SCHEDULE_OVERLAP_POLICY_",
  true,
);
const taskReachabilityCodec = makeEnumCodec<ReachabilityType>(
  "TaskReachability",
  { NEW_WORKFLOWS: 1, EXISTING_WORKFLOWS: 2, OPEN_WORKFLOWS: 3, CLOSED_WORKFLOWS: 4 },
  "TASK_REACHABILITY_",
  true,
);
const activityIdReusePolicyCodec = makeEnumCodec<ActivityIdReusePolicy>(
  "ActivityIdReusePolicy",
  { ALLOW_DUPLICATE: 1, ALLOW_DUPLICATE_FAILED_ONLY: 2, REJECT_DUPLICATE: 3 },
  "ACTIVITY_ID_REUSE_POLICY_",
  true,
);
const activityIdConflictPolicyCodec = makeEnumCodec<ActivityIdConflictPolicy>(
  "ActivityIdConflictPolicy",
  { FAIL: 1, USE_EXISTING: 2 },
  "ACTIVITY_ID_CONFLICT_POLICY_",
  true,
);
const activityExecutionStatusCodec = makeEnumCodec<ActivityExecutionStatus>(
  "ActivityExecutionStatus",
  { RUNNING: 1, COMPLETED: 2, FAILED: 3, CANCELED: 4, TERMINATED: 5, TIMED_OUT: 6, PAUSED: 7 },
  "ACTIVITY_EXECUTION_STATUS_",
  true,
);
const pendingActivityStateCodec = makeEnumCodec<PendingActivityState>(
  "PendingActivityState",
  { SCHEDULED: 1, STARTED: 2, CANCEL_REQUESTED: 3, PAUSED: 4, PAUSE_REQUESTED: 5 },
  "PENDING_ACTIVITY_STATE_",
  true,
);
const nexusOperationIdReusePolicyCodec = makeEnumCodec<NexusOperationIdReusePolicy>(
  "NexusOperationIdReusePolicy",
  { ALLOW_DUPLICATE: 1, ALLOW_DUPLICATE_FAILED_ONLY: 2, REJECT_DUPLICATE: 3 },
  "NEXUS_OPERATION_ID_REUSE_POLICY_",
  true,
);
const nexusOperationIdConflictPolicyCodec = makeEnumCodec<NexusOperationIdConflictPolicy>(
  "NexusOperationIdConflictPolicy",
  { FAIL: 1, USE_EXISTING: 2 },
  "NEXUS_OPERATION_ID_CONFLICT_POLICY_",
  true,
);
const nexusOperationExecutionStatusCodec = makeEnumCodec<NexusOperationExecutionStatus>(
  "NexusOperationExecutionStatus",
  { RUNNING: 1, COMPLETED: 2, FAILED: 3, CANCELED: 4, TERMINATED: 5, TIMED_OUT: 6 },
  "NEXUS_OPERATION_EXECUTION_STATUS_",
  true,
);
const pendingNexusOperationStateCodec = makeEnumCodec<PendingNexusOperationState>(
  "PendingNexusOperationState",
  { SCHEDULED: 1, BACKING_OFF: 2, STARTED: 3, BLOCKED: 4 },
  "PENDING_NEXUS_OPERATION_STATE_",
  true,
);
const nexusOperationCancellationStateCodec = makeEnumCodec<NexusOperationCancellationState>(
  "NexusOperationCancellationState",
  { SCHEDULED: 1, BACKING_OFF: 2, SUCCEEDED: 3, FAILED: 4, TIMED_OUT: 5, BLOCKED: 6 },
  "NEXUS_OPERATION_CANCELLATION_STATE_",
  true,
);

/**
 * The official `encodeX`/`decodeX` pair of a codec. They answer as the official ones do, which
 * is looser than the codec where this SDK compiles options itself: any number encodes as
 * itself (the official encoders pass numbers through unchecked), `undefined`/`null` encode and
 * decode to undefined, a name that is not a value (or any other type) throws ValueError, 0
 * decodes to undefined where the proto enum has UNSPECIFIED, an unknown number to `unknown_<n>`,
 * and decoding anything but a number or null/undefined throws ValueError.
 */
export function officialCodecFunctions<T extends string>(
  codec: EnumCodec<T>,
): [encode: (input: T | `${string}${T}` | number | null | undefined) => number | undefined, decode: (input: number | null | undefined) => T | undefined] {
  return [
    (input) => (typeof input === "number" ? input : codec.encode(input)),
    (input) => {
      if (input === undefined || input === null || typeof input === "number") return codec.decode(input);
      throw new ValueError(`Invalid proto enum value: ${describeValue(input)}`);
    },
  ];
}

export const [encodeWorkflowIdReusePolicy, decodeWorkflowIdReusePolicy] = officialCodecFunctions(workflowIdReusePolicyCodec);
export const [encodeWorkflowIdConflictPolicy, decodeWorkflowIdConflictPolicy] = officialCodecFunctions(workflowIdConflictPolicyCodec);
export const [encodeVersioningBehavior, decodeVersioningBehavior] = officialCodecFunctions(versioningBehaviorCodec);
export const [encodeInitialVersioningBehavior, decodeInitialVersioningBehavior] = officialCodecFunctions(initialVersioningBehaviorCodec);
export const [encodeQueryRejectCondition, decodeQueryRejectCondition] = officialCodecFunctions(queryRejectConditionCodec);
export const [encodeScheduleOverlapPolicy, decodeScheduleOverlapPolicy] = officialCodecFunctions(scheduleOverlapPolicyCodec);
export const [encodeTaskReachability, decodeTaskReachability] = officialCodecFunctions(taskReachabilityCodec);
export const [encodeActivityIdReusePolicy, decodeActivityIdReusePolicy] = officialCodecFunctions(activityIdReusePolicyCodec);
export const [encodeActivityIdConflictPolicy, decodeActivityIdConflictPolicy] = officialCodecFunctions(activityIdConflictPolicyCodec);
export const [encodeActivityExecutionStatus, decodeActivityExecutionStatus] = officialCodecFunctions(activityExecutionStatusCodec);
export const [encodePendingActivityState, decodePendingActivityState] = officialCodecFunctions(pendingActivityStateCodec);
export const [encodeNexusOperationIdReusePolicy, decodeNexusOperationIdReusePolicy] = officialCodecFunctions(nexusOperationIdReusePolicyCodec);
export const [encodeNexusOperationIdConflictPolicy, decodeNexusOperationIdConflictPolicy] = officialCodecFunctions(nexusOperationIdConflictPolicyCodec);
export const [encodeNexusOperationExecutionStatus, decodeNexusOperationExecutionStatus] = officialCodecFunctions(nexusOperationExecutionStatusCodec);
export const [encodePendingNexusOperationState, decodePendingNexusOperationState] = officialCodecFunctions(pendingNexusOperationStateCodec);
export const [encodeNexusOperationCancellationState, decodeNexusOperationCancellationState] = officialCodecFunctions(nexusOperationCancellationStateCodec);
