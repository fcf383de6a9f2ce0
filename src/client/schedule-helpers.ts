/**
 * Compiling schedule options to their protobuf shape and decoding the server's answers, as
 * @temporalio/client 1.24's schedule-helpers do (the same defaults and field values, so both
 * SDKs send the same CreateSchedule request for the same options: tests/compat/schedules.test.ts
 * compares them). Errors name the option and the bad value.
 */
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import type { Range as RangeProto, ScheduleActionResult, ScheduleSpec as ScheduleSpecProto, StructuredCalendarSpec } from "../proto/temporal/api/schedule/v1/message_pb.js";
import type { WorkflowExecution } from "../proto/temporal/api/common/v1/message_pb.js";
import type { ScheduleAction } from "../proto/temporal/api/schedule/v1/message_pb.js";
import {
  compileRetryPolicy,
  decodePriority,
  decodeTypedSearchAttributes,
  decodeUntypedSearchAttributes,
  decompileRetryPolicy,
  describeValue,
  encodeUnifiedSearchAttributes,
  extractWorkflowType,
  optionalDateToTs,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToDate,
  scheduleOverlapPolicyCodec,
  DAYS_OF_WEEK,
  MONTHS,
  type DayOfWeek,
  type Month,
  type SearchAttributes,
} from "../common/index.js";
import { durationOptionTs, type ClientConverter } from "./converter.js";
import type {
  CalendarSpec,
  CalendarSpecDescription,
  CompiledScheduleAction,
  CompiledScheduleOptions,
  CompiledScheduleUpdateOptions,
  LooseRange,
  Range,
  ScheduleDescriptionAction,
  ScheduleExecutionResult,
  ScheduleExecutionStartWorkflowActionResult,
  ScheduleOptions,
  ScheduleSpec,
  ScheduleSpecDescription,
  ScheduleUpdateOptions,
} from "./schedule-types.js";

type RangeInit = { start: number; end: number; step: number };

/** How one calendar field is encoded and decoded: its unit's number, what "omitted" and `*` mean. */
interface CalendarField<Unit> {
  name: keyof CalendarSpec;
  toNumber(u: Unit): number | undefined;
  fromNumber(n: number): Unit | undefined;
  /** An omitted field: 0 for second, minute and hour; every value otherwise (year: no range at all). */
  omitted: RangeInit[];
  /** `*` (a year's `*` is no range at all). */
  all: RangeInit[];
}

const inBounds = (lo: number, hi: number) => (x: number) => (typeof x === "number" && x >= lo && x <= hi ? x : undefined);
const identity = (x: number) => x;

const second: CalendarField<number> = { name: "second", toNumber: inBounds(0, 59), fromNumber: identity, omitted: [{ start: 0, end: 0, step: 0 }], all: [{ start: 0, end: 59, step: 1 }] };
const minute: CalendarField<number> = { name: "minute", toNumber: inBounds(0, 59), fromNumber: identity, omitted: [{ start: 0, end: 0, step: 0 }], all: [{ start: 0, end: 59, step: 1 }] };
const hour: CalendarField<number> = { name: "hour", toNumber: inBounds(0, 23), fromNumber: identity, omitted: [{ start: 0, end: 0, step: 0 }], all: [{ start: 0, end: 23, step: 1 }] };
// 0 is let through as the official client does (the server refuses it).
const dayOfMonth: CalendarField<number> = { name: "dayOfMonth", toNumber: inBounds(0, 31), fromNumber: identity, omitted: [{ start: 1, end: 31, step: 1 }], all: [{ start: 1, end: 31, step: 1 }] };
const month: CalendarField<Month> = {
  name: "month",
  toNumber: (m) => (MONTHS.includes(m) ? MONTHS.indexOf(m) + 1 : undefined),
  fromNumber: (n) => MONTHS[n - 1],
  omitted: [{ start: 1, end: 12, step: 1 }],
  all: [{ start: 1, end: 12, step: 1 }],
};
const year: CalendarField<number> = { name: "year", toNumber: (x) => (typeof x === "number" ? x : undefined), fromNumber: identity, omitted: [], all: [] };
const dayOfWeek: CalendarField<DayOfWeek> = {
  name: "dayOfWeek",
  toNumber: (d) => (DAYS_OF_WEEK.includes(d) ? DAYS_OF_WEEK.indexOf(d) : undefined),
  fromNumber: (n) => DAYS_OF_WEEK[n],
  omitted: [{ start: 0, end: 6, step: 1 }],
  all: [{ start: 0, end: 6, step: 1 }],
};

function encodeField<Unit>(f: CalendarField<Unit>, value: LooseRange<Unit> | LooseRange<Unit>[] | "*" | undefined, where: string): RangeInit[] {
  if (value === undefined) return f.omitted.map((r) => ({ ...r }));
  if (value === "*") return f.all.map((r) => ({ ...r }));
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === "object" && item !== null && (item as Range<Unit>).start !== undefined) {
      const r = item as { start: Unit; end?: Unit; step?: number };
      const start = f.toNumber(r.start);
      if (start !== undefined) {
        // As the official client: an omitted end is sent as 1 (the server reads an end below
        // the start as the start), a bad end as the start, a missing or non-positive step as 1.
        const end = r.end === undefined ? 1 : (f.toNumber(r.end) ?? start);
        return { start, end, step: typeof r.step === "number" && r.step > 0 ? r.step : 1 };
      }
    }
    const n = item === undefined ? undefined : f.toNumber(item as Unit);
    if (n !== undefined) return { start: n, end: n, step: 1 };
    throw new TypeError(`${where}.${f.name}: invalid CalendarSpec component ${describeValue(item)} of type '${typeof item}'`);
  });
}

function decodeField<Unit>(f: CalendarField<Unit>, ranges: readonly RangeProto[] | undefined): Range<Unit>[] {
  return (ranges ?? []).map((r) => {
    const start = f.fromNumber(r.start);
    if (start === undefined) throw new RangeError(`Invalid CalendarSpec component for field ${f.name}: ${r.start} is out of bounds`);
    const end = r.end > r.start ? (f.fromNumber(r.end) ?? start) : start;
    return { start, end, step: r.step > 0 ? r.step : 1 };
  });
}

export function encodeCalendarSpecs(specs: CalendarSpec[] | undefined, where: string) {
  if (specs === undefined || specs === null) return undefined;
  if (!Array.isArray(specs)) throw new TypeError(`${where}: expected an array of CalendarSpec, got ${describeValue(specs)}`);
  return specs.map((s, i) => {
    const w = `${where}[${i}]`;
    if (s === null || typeof s !== "object") throw new TypeError(`${w}: expected a CalendarSpec object, got ${describeValue(s)}`);
    return {
      second: encodeField(second, s.second, w),
      minute: encodeField(minute, s.minute, w),
      hour: encodeField(hour, s.hour, w),
      dayOfMonth: encodeField(dayOfMonth, s.dayOfMonth, w),
      month: encodeField(month, s.month, w),
      year: encodeField(year, s.year, w),
      dayOfWeek: encodeField(dayOfWeek, s.dayOfWeek, w),
      comment: s.comment,
    };
  });
}

function decodeCalendarSpecs(specs: readonly StructuredCalendarSpec[] | undefined): CalendarSpecDescription[] {
  return (specs ?? []).map((s) => ({
    second: decodeField(second, s.second),
    minute: decodeField(minute, s.minute),
    hour: decodeField(hour, s.hour),
    dayOfMonth: decodeField(dayOfMonth, s.dayOfMonth),
    month: decodeField(month, s.month),
    year: decodeField(year, s.year),
    dayOfWeek: decodeField(dayOfWeek, s.dayOfWeek),
    // proto3 strings are never absent: "" stands for none, as in the official (protobufjs) decode.
    comment: s.comment,
  }));
}

function checkDate(value: unknown, where: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`${where}: expected a valid Date, got ${describeValue(value)}`);
  return value;
}

/** ScheduleSpec → temporal.api.schedule.v1.ScheduleSpec init. */
export function encodeScheduleSpec(spec: ScheduleSpec, where = "ScheduleOptions.spec") {
  if (spec === null || typeof spec !== "object") throw new TypeError(`${where}: expected a ScheduleSpec object, got ${describeValue(spec)}`);
  if (spec.intervals !== undefined && !Array.isArray(spec.intervals)) throw new TypeError(`${where}.intervals: expected an array, got ${describeValue(spec.intervals)}`);
  if (spec.cronExpressions !== undefined && (!Array.isArray(spec.cronExpressions) || spec.cronExpressions.some((c) => typeof c !== "string"))) {
    throw new TypeError(`${where}.cronExpressions: expected an array of strings, got ${describeValue(spec.cronExpressions)}`);
  }
  return {
    structuredCalendar: encodeCalendarSpecs(spec.calendars, `${where}.calendars`),
    interval: spec.intervals?.map((iv, i) => {
      if (iv === null || typeof iv !== "object" || iv.every === undefined) throw new TypeError(`${where}.intervals[${i}]: expected { every, offset? }, got ${describeValue(iv)}`);
      return { interval: durationOptionTs(iv.every, `${where}.intervals[${i}].every`), phase: durationOptionTs(iv.offset, `${where}.intervals[${i}].offset`) };
    }),
    cronString: spec.cronExpressions,
    excludeStructuredCalendar: encodeCalendarSpecs(spec.skip, `${where}.skip`),
    startTime: optionalDateToTs(checkDate(spec.startAt, `${where}.startAt`)),
    endTime: optionalDateToTs(checkDate(spec.endAt, `${where}.endAt`)),
    jitter: durationOptionTs(spec.jitter, `${where}.jitter`),
    timezoneName: spec.timezone,
  };
}

export function decodeScheduleSpec(pb: ScheduleSpecProto | undefined): ScheduleSpecDescription {
  // The server has compiled calendars and cron strings into structured calendars by now.
  return {
    calendars: decodeCalendarSpecs(pb?.structuredCalendar),
    intervals: (pb?.interval ?? []).map((x) => ({ every: optionalTsToMs(x.interval) ?? 0, offset: optionalTsToMs(x.phase) ?? 0 })),
    skip: decodeCalendarSpecs(pb?.excludeStructuredCalendar),
    startAt: optionalTsToDate(pb?.startTime),
    endAt: optionalTsToDate(pb?.endTime),
    jitter: optionalTsToMs(pb?.jitter),
    timezone: pb?.timezoneName,
  };
}

/** Fills in the workflow type name, `args` and the default workflow id (`${scheduleId}-workflow`), as official. */
export function compileScheduleOptions(options: ScheduleOptions): CompiledScheduleOptions {
  return { ...options, action: compileAction(options.scheduleId, options.action, "ScheduleOptions.action") };
}

export function compileUpdatedScheduleOptions(scheduleId: string, options: ScheduleUpdateOptions): CompiledScheduleUpdateOptions {
  return { ...options, action: compileAction(scheduleId, options.action, "ScheduleUpdateOptions.action") };
}

function compileAction(scheduleId: string, action: ScheduleOptions["action"], where: string): CompiledScheduleAction {
  let workflowType: string;
  try {
    workflowType = extractWorkflowType(action.workflowType);
  } catch (err) {
    throw new TypeError(`${where}.workflowType: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (action.args !== undefined && !Array.isArray(action.args)) throw new TypeError(`${where}.args: expected an array, got ${describeValue(action.args)}`);
  return { ...action, workflowId: action.workflowId ?? `${scheduleId}-workflow`, workflowType, args: (action.args ?? []) as unknown[] };
}

/** The `startWorkflow` action → temporal.api.schedule.v1.ScheduleAction init (payloads not codec-encoded yet). */
export function encodeScheduleAction(conv: ClientConverter, action: CompiledScheduleAction, headers: Record<string, Payload>, where: string) {
  const searchAttributes =
    action.searchAttributes || action.typedSearchAttributes ? encodeUnifiedSearchAttributes(action.searchAttributes, action.typedSearchAttributes) : undefined;
  if (action.memo !== undefined && (action.memo === null || typeof action.memo !== "object")) throw new TypeError(`${where}.memo: expected an object, got ${describeValue(action.memo)}`);
  return {
    action: {
      case: "startWorkflow" as const,
      value: {
      workflowId: action.workflowId,
      workflowType: { name: action.workflowType },
      input: { payloads: conv.toPayloads(action.args, `${where}.args`) },
      taskQueue: { kind: 1 /* TASK_QUEUE_KIND_NORMAL */, name: action.taskQueue },
      workflowExecutionTimeout: durationOptionTs(action.workflowExecutionTimeout, `${where}.workflowExecutionTimeout`),
      workflowRunTimeout: durationOptionTs(action.workflowRunTimeout, `${where}.workflowRunTimeout`),
      workflowTaskTimeout: durationOptionTs(action.workflowTaskTimeout, `${where}.workflowTaskTimeout`),
      retryPolicy: action.retry ? compileRetryPolicy(action.retry, `${where}.retry`) : undefined,
      memo: action.memo ? { fields: conv.toMap(action.memo, `${where}.memo`) } : undefined,
      searchAttributes: searchAttributes ? { indexedFields: searchAttributes } : undefined,
      header: { fields: headers },
      userMetadata:
        action.staticSummary !== undefined || action.staticDetails !== undefined
          ? {
              summary: action.staticSummary === undefined ? undefined : conv.toPayload(action.staticSummary, `${where}.staticSummary`),
              details: action.staticDetails === undefined ? undefined : conv.toPayload(action.staticDetails, `${where}.staticDetails`),
            }
          : undefined,
      // Set only by update() when the described schedule had one (ScheduleOptions has no priority, as official).
      priority: action.priority
        ? { priorityKey: action.priority.priorityKey ?? 0, fairnessKey: action.priority.fairnessKey ?? "", fairnessWeight: action.priority.fairnessWeight ?? 0 }
        : undefined,
      },
    },
  };
}

export function encodeOverlap(value: unknown, where: string): number | undefined {
  return value === undefined || value === null ? undefined : scheduleOverlapPolicyCodec.encode(value, where);
}

export function encodeSchedulePolicies(policies: ScheduleOptions["policies"], where: string) {
  return {
    catchupWindow: durationOptionTs(policies?.catchupWindow, `${where}.catchupWindow`),
    overlapPolicy: encodeOverlap(policies?.overlap, `${where}.overlap`),
    pauseOnFailure: policies?.pauseOnFailure,
  };
}

export function encodeScheduleState(state: ScheduleUpdateOptions["state"] | undefined, where: string) {
  const remaining = state?.remainingActions;
  if (remaining !== undefined && (!Number.isSafeInteger(remaining) || remaining < 0)) {
    throw new TypeError(`${where}.remainingActions: expected a non-negative integer, got ${describeValue(remaining)}`);
  }
  return {
    paused: state?.paused,
    notes: state?.note,
    limitedActions: remaining !== undefined,
    remainingActions: remaining ? BigInt(remaining) : undefined,
  };
}

/** The backfill requests of `create` (state.backfill) and `handle.backfill`. */
export function encodeBackfills(backfills: readonly { start: Date; end: Date; overlap?: unknown }[], where: string) {
  return backfills.map((b, i) => {
    if (b === null || typeof b !== "object") throw new TypeError(`${where}[${i}]: expected { start, end, overlap? }, got ${describeValue(b)}`);
    return {
      startTime: optionalDateToTs(checkDate(b.start, `${where}[${i}].start`)),
      endTime: optionalDateToTs(checkDate(b.end, `${where}[${i}].end`)),
      overlapPolicy: encodeOverlap(b.overlap, `${where}[${i}].overlap`),
    };
  });
}

/** The server's action (payloads already decoded by the codecs) → ScheduleDescriptionAction. */
export function decodeScheduleAction(conv: ClientConverter, pb: ScheduleAction): ScheduleDescriptionAction {
  if (pb.action.case !== "startWorkflow") throw new TypeError("Unsupported schedule action");
  const sw = pb.action.value;
  return {
    type: "startWorkflow",
    workflowId: sw.workflowId,
    workflowType: sw.workflowType?.name ?? "",
    taskQueue: sw.taskQueue?.name ?? "",
    args: conv.fromPayloads(sw.input?.payloads),
    memo: conv.fromMap(sw.memo?.fields),
    retry: decompileRetryPolicy(sw.retryPolicy),
    searchAttributes: decodeUntypedSearchAttributes(sw.searchAttributes) as SearchAttributes,
    typedSearchAttributes: decodeTypedSearchAttributes(sw.searchAttributes),
    workflowExecutionTimeout: optionalTsToMs(sw.workflowExecutionTimeout),
    workflowRunTimeout: optionalTsToMs(sw.workflowRunTimeout),
    workflowTaskTimeout: optionalTsToMs(sw.workflowTaskTimeout),
    staticSummary: sw.userMetadata?.summary ? conv.fromPayload<string>(sw.userMetadata.summary) : undefined,
    staticDetails: sw.userMetadata?.details ? conv.fromPayload<string>(sw.userMetadata.details) : undefined,
    priority: decodePriority(sw.priority),
  };
}

export function decodeScheduleRunningActions(pb: readonly WorkflowExecution[] | undefined): ScheduleExecutionStartWorkflowActionResult[] {
  return (pb ?? []).map((x) => ({ type: "startWorkflow", workflow: { workflowId: x.workflowId, firstExecutionRunId: x.runId } }));
}

export function decodeScheduleRecentActions(pb: readonly ScheduleActionResult[] | undefined): ScheduleExecutionResult[] {
  return (pb ?? []).map((r) => {
    if (!r.startWorkflowResult) throw new TypeError("Unsupported schedule action");
    return {
      scheduledAt: requiredTsToDate(r.scheduleTime, "scheduleTime"),
      takenAt: requiredTsToDate(r.actualTime, "actualTime"),
      action: { type: "startWorkflow", workflow: { workflowId: r.startWorkflowResult.workflowId, firstExecutionRunId: r.startWorkflowResult.runId } },
    };
  });
}
