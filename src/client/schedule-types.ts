/**
 * The types of `client.schedule`, shaped as @temporalio/client 1.24's schedule-types: what
 * `create` takes (ScheduleOptions), what `describe` / `list` return, calendar specs with
 * ranges. Durations are `Duration` (ms or a string like '1m') on input and milliseconds on output.
 */
import type { Duration, Priority, RetryPolicy, SearchAttributePair, SearchAttributes, TypedSearchAttributes, Workflow } from "../common/index.js";
import type { DayOfWeek, Month, ScheduleOverlapPolicy } from "../common/index.js";
import type { DescribeScheduleResponse } from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";

export { ScheduleOverlapPolicy, MONTHS, DAYS_OF_WEEK, type Month, type DayOfWeek } from "../common/index.js";

/** Time range to backfill: every action due in [start, end] is taken now. */
export interface Backfill {
  start: Date;
  end: Date;
  /** Default: the schedule's `policies.overlap`. */
  overlap?: ScheduleOverlapPolicy;
}

export interface Range<Unit> {
  start: Unit;
  end: Unit;
  step: number;
}

/** A single value, a range with defaults (`end` = `start`, `step` = 1), or a full range. */
export type LooseRange<Unit> = Range<Unit> | { start: Range<Unit>["start"]; end?: Range<Unit>["end"]; step?: never } | Unit;

/** Matches times whose every field matches; an omitted field is 0 for second/minute/hour and `*` otherwise. */
export interface CalendarSpec {
  second?: LooseRange<number> | LooseRange<number>[] | "*";
  minute?: LooseRange<number> | LooseRange<number>[] | "*";
  hour?: LooseRange<number> | LooseRange<number>[] | "*";
  dayOfMonth?: LooseRange<number> | LooseRange<number>[] | "*";
  month?: LooseRange<Month> | LooseRange<Month>[] | "*";
  year?: LooseRange<number> | LooseRange<number>[] | "*";
  dayOfWeek?: LooseRange<DayOfWeek> | LooseRange<DayOfWeek>[] | "*";
  comment?: string;
}

/** A CalendarSpec as the server returns it: every field a list of full ranges (`[]` for a `*` year). */
export interface CalendarSpecDescription {
  second: Range<number>[];
  minute: Range<number>[];
  hour: Range<number>[];
  dayOfMonth: Range<number>[];
  month: Range<Month>[];
  year: Range<number>[];
  dayOfWeek: Range<DayOfWeek>[];
  comment?: string;
}

/** Every `every` since the epoch, shifted by `offset`. */
export interface IntervalSpec {
  every: Duration;
  offset?: Duration;
}

export interface IntervalSpecDescription {
  every: number;
  offset: number;
}

/** When actions are taken: the union of calendars, intervals and cron expressions, minus `skip`. */
export interface ScheduleSpec {
  calendars?: CalendarSpec[];
  intervals?: IntervalSpec[];
  /** Cron strings (5 to 7 fields, `@every`, `@hourly`…, a leading `CRON_TZ=`); the server compiles them into calendars. */
  cronExpressions?: string[];
  skip?: CalendarSpec[];
  startAt?: Date;
  endAt?: Date;
  /** Random delay up to this much for each action. */
  jitter?: Duration;
  /** IANA time zone of the calendars and cron expressions (default UTC). */
  timezone?: string;
}

export type ScheduleSpecDescription = Omit<ScheduleSpec, "calendars" | "intervals" | "cronExpressions" | "skip" | "jitter"> & {
  calendars?: CalendarSpecDescription[];
  intervals?: IntervalSpecDescription[];
  skip?: CalendarSpecDescription[];
  jitter?: number;
};

/** The `startWorkflow` action: the workflow and the start options of each run. */
export type ScheduleOptionsStartWorkflowAction<W extends Workflow> = {
  type: "startWorkflow";
  workflowType: string | W;
  taskQueue: string;
  args?: W extends (...args: infer A) => unknown ? A | unknown[] : unknown[];
  /** Default `${scheduleId}-workflow`; the server appends the scheduled time to it. */
  workflowId?: string;
  memo?: Record<string, unknown>;
  /** @deprecated use typedSearchAttributes */
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  retry?: RetryPolicy;
  workflowExecutionTimeout?: Duration;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  staticSummary?: string;
  staticDetails?: string;
};

export type ScheduleOptionsAction = ScheduleOptionsStartWorkflowAction<Workflow>;

export interface ScheduleOptions<A extends ScheduleOptionsAction = ScheduleOptionsAction> {
  scheduleId: string;
  spec: ScheduleSpec;
  action: A;
  policies?: {
    /** Default SKIP (the server's). */
    overlap?: ScheduleOverlapPolicy;
    /** Default 1 year (the server's): how late a missed action may still be taken. */
    catchupWindow?: Duration;
    pauseOnFailure?: boolean;
  };
  memo?: Record<string, unknown>;
  /** @deprecated use typedSearchAttributes */
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  state?: {
    paused?: boolean;
    note?: string;
    /** Take at most this many actions, then stop (absent: unlimited). */
    remainingActions?: number;
    /** Take one action as soon as the schedule is created. */
    triggerImmediately?: boolean;
    backfill?: Backfill[];
  };
}

export type ScheduleSummaryStartWorkflowAction = { type: "startWorkflow"; workflowType: string };
export type ScheduleSummaryAction = ScheduleSummaryStartWorkflowAction;

export type ScheduleDescriptionStartWorkflowAction = ScheduleSummaryStartWorkflowAction & {
  taskQueue: string;
  workflowId: string;
  args?: unknown[];
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  retry?: RetryPolicy;
  workflowExecutionTimeout?: Duration;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  staticSummary?: string;
  staticDetails?: string;
  priority?: Priority;
};
export type ScheduleDescriptionAction = ScheduleDescriptionStartWorkflowAction;

/** The action after `create` / `update` compiled it: type name, args and workflow id filled in. */
export type CompiledScheduleAction = Omit<ScheduleDescriptionAction, "workflowType" | "args"> & { workflowType: string; args: unknown[] };

export type CompiledScheduleOptions = Omit<ScheduleOptions, "action"> & { action: CompiledScheduleAction };

/** What `handle.update(fn)`'s `fn` returns: a whole schedule without id and memo (unchangeable), state without the one-shot fields. */
export type ScheduleUpdateOptions<A extends ScheduleOptionsAction = ScheduleOptionsAction> = Omit<ScheduleOptions, "scheduleId" | "memo" | "action" | "state"> & {
  action: A;
  state: Omit<NonNullable<ScheduleOptions["state"]>, "triggerImmediately" | "backfill">;
};

export type CompiledScheduleUpdateOptions = Omit<ScheduleUpdateOptions, "action"> & { action: CompiledScheduleAction };

export interface ScheduleExecutionStartWorkflowActionResult {
  type: "startWorkflow";
  workflow: { workflowId: string; firstExecutionRunId: string };
}
export type ScheduleExecutionActionResult = ScheduleExecutionStartWorkflowActionResult;

export interface ScheduleExecutionResult {
  scheduledAt: Date;
  takenAt: Date;
  action: ScheduleExecutionActionResult;
}

/** One entry of `client.schedule.list()` (from visibility: may lag behind). */
export interface ScheduleSummary {
  scheduleId: string;
  spec?: ScheduleSpecDescription;
  action?: ScheduleSummaryAction;
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: TypedSearchAttributes;
  state: { paused: boolean; note?: string };
  info: { recentActions: ScheduleExecutionResult[]; nextActionTimes: Date[] };
}

/** What `handle.describe()` returns. */
export type ScheduleDescription = {
  scheduleId: string;
  spec: ScheduleSpecDescription;
  action: ScheduleDescriptionAction;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: number; pauseOnFailure: boolean };
  memo?: Record<string, unknown>;
  searchAttributes: SearchAttributes;
  typedSearchAttributes: TypedSearchAttributes;
  state: { paused: boolean; note?: string; remainingActions?: number };
  info: {
    recentActions: ScheduleExecutionResult[];
    nextActionTimes: Date[];
    numActionsTaken: number;
    numActionsMissedCatchupWindow: number;
    numActionsSkippedOverlap: number;
    createdAt: Date;
    lastUpdatedAt: Date | undefined;
    runningActions: ScheduleExecutionActionResult[];
  };
  /** The DescribeSchedule response (this SDK's protobuf-es message; payloads still codec-encoded). */
  raw: DescribeScheduleResponse;
};
