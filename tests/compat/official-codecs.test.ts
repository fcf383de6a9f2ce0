/**
 * The official `encode*`/`decode*` enum functions, under their official names: each compared
 * with what @temporalio/{common,client} 1.24 return (values recorded from the official
 * packages: every name, the prefixed name, 0, an unknown number, undefined, a bad name).
 */
import { describe, expect, test } from "bun:test";
import * as client from "../../src/client/index.js";
import * as common from "../../src/common/index.js";
import * as workflow from "../../src/workflow/index.js";

/** Official results: name → proto number, in proto order (0 = UNSPECIFIED decodes to undefined), and the prefix. */
const official: Record<string, { prefix: string; numbers: Record<string, number>; in: ("common" | "client" | "workflow")[] }> = {
  WorkflowIdReusePolicy: {
    prefix: "WORKFLOW_ID_REUSE_POLICY_",
    numbers: { ALLOW_DUPLICATE: 1, ALLOW_DUPLICATE_FAILED_ONLY: 2, REJECT_DUPLICATE: 3, TERMINATE_IF_RUNNING: 4 },
    in: ["common", "client", "workflow"],
  },
  WorkflowIdConflictPolicy: {
    prefix: "WORKFLOW_ID_CONFLICT_POLICY_",
    numbers: { FAIL: 1, USE_EXISTING: 2, TERMINATE_EXISTING: 3 },
    in: ["common", "client", "workflow"],
  },
  VersioningBehavior: { prefix: "VERSIONING_BEHAVIOR_", numbers: { PINNED: 1, AUTO_UPGRADE: 2 }, in: ["common"] },
  InitialVersioningBehavior: { prefix: "CONTINUE_AS_NEW_VERSIONING_BEHAVIOR_", numbers: { AUTO_UPGRADE: 1, USE_RAMPING_VERSION: 2 }, in: ["common"] },
  QueryRejectCondition: { prefix: "QUERY_REJECT_CONDITION_", numbers: { NONE: 1, NOT_OPEN: 2, NOT_COMPLETED_CLEANLY: 3 }, in: ["client"] },
  ScheduleOverlapPolicy: {
    prefix: "SCHEDULE_OVERLAP_POLICY_",
    numbers: { SKIP: 1, BUFFER_ONE: 2, BUFFER_ALL: 3, CANCEL_OTHER: 4, TERMINATE_OTHER: 5, ALLOW_ALL: 6 },
    in: ["client"],
  },
  TaskReachability: {
    prefix: "TASK_REACHABILITY_",
    numbers: { NEW_WORKFLOWS: 1, EXISTING_WORKFLOWS: 2, OPEN_WORKFLOWS: 3, CLOSED_WORKFLOWS: 4 },
    in: ["client"],
  },
  ActivityIdReusePolicy: {
    prefix: "ACTIVITY_ID_REUSE_POLICY_",
    numbers: { ALLOW_DUPLICATE: 1, ALLOW_DUPLICATE_FAILED_ONLY: 2, REJECT_DUPLICATE: 3 },
    in: ["client"],
  },
  ActivityIdConflictPolicy: { prefix: "ACTIVITY_ID_CONFLICT_POLICY_", numbers: { FAIL: 1, USE_EXISTING: 2 }, in: ["client"] },
  ActivityExecutionStatus: {
    prefix: "ACTIVITY_EXECUTION_STATUS_",
    numbers: { RUNNING: 1, COMPLETED: 2, FAILED: 3, CANCELED: 4, TERMINATED: 5, TIMED_OUT: 6, PAUSED: 7 },
    in: ["client"],
  },
  PendingActivityState: {
    prefix: "PENDING_ACTIVITY_STATE_",
    numbers: { SCHEDULED: 1, STARTED: 2, CANCEL_REQUESTED: 3, PAUSED: 4, PAUSE_REQUESTED: 5 },
    in: ["client"],
  },
  NexusOperationIdReusePolicy: {
    prefix: "NEXUS_OPERATION_ID_REUSE_POLICY_",
    numbers: { ALLOW_DUPLICATE: 1, ALLOW_DUPLICATE_FAILED_ONLY: 2, REJECT_DUPLICATE: 3 },
    in: ["client"],
  },
  NexusOperationIdConflictPolicy: { prefix: "NEXUS_OPERATION_ID_CONFLICT_POLICY_", numbers: { FAIL: 1, USE_EXISTING: 2 }, in: ["client"] },
  NexusOperationExecutionStatus: {
    prefix: "NEXUS_OPERATION_EXECUTION_STATUS_",
    numbers: { RUNNING: 1, COMPLETED: 2, FAILED: 3, CANCELED: 4, TERMINATED: 5, TIMED_OUT: 6 },
    in: ["client"],
  },
  PendingNexusOperationState: {
    prefix: "PENDING_NEXUS_OPERATION_STATE_",
    numbers: { SCHEDULED: 1, BACKING_OFF: 2, STARTED: 3, BLOCKED: 4 },
    in: ["client"],
  },
  NexusOperationCancellationState: {
    prefix: "NEXUS_OPERATION_CANCELLATION_STATE_",
    numbers: { SCHEDULED: 1, BACKING_OFF: 2, SUCCEEDED: 3, FAILED: 4, TIMED_OUT: 5, BLOCKED: 6 },
    in: ["client"],
  },
};

const modules = { common, client, workflow } as unknown as Record<string, Record<string, unknown>>;
type Encode = (v: unknown) => number | undefined;
type Decode = (v: unknown) => string | undefined;

describe("official enum encode/decode functions", () => {
  for (const [name, o] of Object.entries(official)) {
    test(`encode${name} / decode${name} answer as the official ones`, () => {
      for (const sub of o.in) {
        const encode = modules[sub]![`encode${name}`] as Encode;
        const decode = modules[sub]![`decode${name}`] as Decode;
        expect(typeof encode).toBe("function");
        expect(typeof decode).toBe("function");
        for (const [short, n] of Object.entries(o.numbers)) {
          expect(encode(short)).toBe(n);
          expect(encode(`${o.prefix}${short}`)).toBe(n);
          expect(decode(n)).toBe(short);
        }
        // Official: UNSPECIFIED encodes to 0, numbers pass through unchecked, nullish → undefined.
        expect(encode("UNSPECIFIED")).toBe(0);
        expect(encode(`${o.prefix}UNSPECIFIED`)).toBe(0);
        expect(encode(42)).toBe(42);
        expect(encode(undefined)).toBeUndefined();
        expect(encode(null)).toBeUndefined();
        expect(() => encode("NOPE")).toThrow(common.ValueError);
        expect(() => encode({})).toThrow(common.ValueError);
        // Official: 0 (UNSPECIFIED) and nullish decode to undefined, an unknown number to `unknown_<n>`.
        expect(decode(0)).toBeUndefined();
        expect(decode(undefined)).toBeUndefined();
        expect(decode(null)).toBeUndefined();
        expect(decode(99)).toBe("unknown_99");
        expect(() => decode("x")).toThrow(common.ValueError);
      }
    });
  }
});
