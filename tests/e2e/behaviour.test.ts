/**
 * Behaviour matched with the official SDK 1.24 (issue 9 §4), end to end on the dev server;
 * every finished history is replayed:
 * - payload codecs never touch headers (a header reaches history and the worker byte for byte);
 * - an unregistered activity type fails with the official retryable NotFoundError; a `default`
 *   activity takes unknown types; an unregistered local activity fails the workflow task;
 * - errors thrown by activities are converted as `ensureApplicationFailure` does;
 * - paused and reset activities fail their attempt with ActivityPause / ActivityReset and see
 *   `cancellationDetails` paused / reset;
 * - a `default` workflow export runs unknown workflow types;
 * - `__stack_trace`, `__enhanced_stack_trace` and `__temporal_workflow_metadata` answer as
 *   official (stacks in the user's file and lines), and a timer's summary reaches history.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { Client } from "../../src/client/index.js";
import { defaultPayloadConverter, encodePayloadsInMessage, payloadEncoding, type Payload } from "../../src/common/index.js";
import { PayloadSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { StartWorkflowExecutionRequestSchema } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { cliPath } from "../helpers/dev-server.js";
import * as behaviourActivities from "./fixtures/behaviour-activities.js";
import { captureWorkerLog, env, expectReplays, fixture, isType, replay, startWorker, uid, waitForEvent, type LogLine, type RunningWorker } from "./helpers.js";
import { STRICT, strictCodec } from "../../tools/compat/strict-codec.js";

const FILE = "behaviour-workflows.ts";
const { seen } = behaviourActivities;
const { fallback, ...withoutDefault } = behaviourActivities;

let main: RunningWorker;
let withDefault: RunningWorker;
let strict: RunningWorker;
let log: { lines: LogLine[]; restore: () => void };

beforeAll(async () => {
  log = await captureWorkerLog();
  const heartbeatFast = { maxHeartbeatThrottleInterval: 100, defaultHeartbeatThrottleInterval: 100 };
  main = await startWorker(FILE, { activities: withoutDefault, ...heartbeatFast });
  withDefault = await startWorker(FILE, { activities: { ...withoutDefault, default: fallback } });
  strict = await startWorker(FILE, { activities: withoutDefault, dataConverter: { payloadCodecs: [strictCodec] } });
});

afterAll(async () => {
  await Promise.all([main?.stop(), withDefault?.stop(), strict?.stop()]);
  log?.restore();
});

async function start(w: RunningWorker, type: string, args: unknown[] = []) {
  const { client } = await env();
  return client.workflow.start(type, { taskQueue: w.taskQueue, workflowId: uid(type), args, workflowExecutionTimeout: "120s", workflowTaskTimeout: "2s" });
}

function activityFailureInHistory(events: HistoryEvent[]) {
  const e = events.find(isType(EventType.ACTIVITY_TASK_FAILED));
  if (e?.attributes.case !== "activityTaskFailedEventAttributes") throw new Error("no ActivityTaskFailed event");
  return e.attributes.value.failure!;
}

function temporalCli(...args: string[]): void {
  const result = Bun.spawnSync([cliPath(), ...args], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`temporal ${args.join(" ")} failed: ${result.stderr.toString()}`);
}

async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

describe("payload codecs and headers", () => {
  test("a header written with a codec configured reaches history and the worker byte for byte, not codec-encoded", async () => {
    const e = await env();
    const header = defaultPayloadConverter.toPayload({ traceparent: "00-abc-01" }) as Payload;
    const headerBytes = toBinary(PayloadSchema, header);
    const workflowId = uid("header");
    // What a client does (ours, or an official one with an interceptor writing the header).
    const req = create(StartWorkflowExecutionRequestSchema, {
      namespace: e.namespace,
      workflowId,
      requestId: crypto.randomUUID(),
      workflowType: { name: "headerUnknownType" },
      taskQueue: { name: strict.taskQueue },
      input: { payloads: [defaultPayloadConverter.toPayload("arg") as Payload] },
      header: { fields: { tracing: header } },
      workflowExecutionTimeout: { seconds: 60n, nanos: 0 },
    });
    await encodePayloadsInMessage([strictCodec], StartWorkflowExecutionRequestSchema, req);
    expect(payloadEncoding(req.input!.payloads[0]!)).toBe(STRICT);
    expect(toBinary(PayloadSchema, req.header!.fields.tracing!)).toEqual(headerBytes);
    await e.connection.workflowService.startWorkflowExecution(req);

    // The strict codec refuses what it did not encode: the run completes only if the worker
    // left the header alone when decoding the activation.
    const client = new Client({ connection: e.connection, namespace: e.namespace, dataConverter: { payloadCodecs: [strictCodec] } });
    const h = client.workflow.getHandle(workflowId);
    expect(await h.result()).toEqual({ workflowType: "headerUnknownType", args: ["arg"] });
    const history = await h.fetchHistory();
    const started = history.events[0]!;
    if (started.attributes.case !== "workflowExecutionStartedEventAttributes") throw new Error("no started event");
    expect(toBinary(PayloadSchema, started.attributes.value.header!.fields.tracing!)).toEqual(headerBytes);
    expect(payloadEncoding(started.attributes.value.input!.payloads[0]!)).toBe(STRICT);
    expect(log.lines.some((l) => l.message.includes("strict codec"))).toBe(false);
  });
});

describe("activities", () => {
  test("an unregistered activity type fails with the official retryable NotFoundError", async () => {
    const h = await start(main, "activityFailure", ["notRegisteredAnywhere"]);
    const names = JSON.stringify(Object.keys(withoutDefault).filter((k) => typeof (withoutDefault as Record<string, unknown>)[k] === "function"));
    expect(await h.result()).toEqual({
      message: `Activity function notRegisteredAnywhere is not registered on this Worker, available activities: ${names}`,
      type: "NotFoundError",
      nonRetryable: false,
    });
    const history = await expectReplays(h, FILE);
    const failure = activityFailureInHistory(history.events);
    expect(failure.failureInfo.case).toBe("applicationFailureInfo");
    expect(failure.failureInfo.value).toMatchObject({ type: "NotFoundError", nonRetryable: false });
  });

  test("a `default` activity runs every unregistered type, with its arguments", async () => {
    const h = await start(withDefault, "unregisteredActivity");
    expect(await h.result()).toEqual({ activityType: "notRegisteredAnywhere", args: ["x", 2] });
    await expectReplays(h, FILE);
  });

  test("an unregistered local activity type fails the workflow task at the call (ReferenceError), not the workflow", async () => {
    const h = await start(main, "unregisteredLocalActivity");
    const failed = await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a workflow task failure");
    if (failed.attributes.case !== "workflowTaskFailedEventAttributes") throw new Error("unexpected event");
    expect(failed.attributes.value.failure!.message).toBe("Local activity of type 'notRegisteredLocally' not registered on worker");
    expect(failed.attributes.value.failure!.failureInfo.case).toBeUndefined(); // a plain error, as official
    // Its stack names the user's file (source-mapped), not the bundle.
    const stack = failed.attributes.value.failure!.stackTrace;
    expect(stack).toContain(`at unregisteredLocalActivity (${fixture(FILE)}:`);
    expect(stack).not.toContain("workflow-bundle.js");
    expect((await h.describe()).status.name).toBe("RUNNING");
    await h.terminate("test done");
    await replay(h, FILE);
  });

  test("errors thrown by activities are converted as ensureApplicationFailure does", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["throwPlain", { message: "plain boom", type: "Error", nonRetryable: false }],
      ["throwCustom", { message: "custom boom", type: "CustomError", nonRetryable: false }],
      ["throwWithCause", { message: "outer boom", type: "Error", nonRetryable: false, cause: { message: "inner boom" } }],
      ["throwString", { message: "a thrown string", type: "", nonRetryable: false }],
      ["throwObject", { message: "undefined", type: "Object", nonRetryable: false }],
    ];
    const handles = await Promise.all(cases.map(([name]) => start(main, "activityFailure", [name])));
    for (let i = 0; i < cases.length; i++) {
      const h = handles[i]!;
      expect(await h.result()).toEqual(cases[i]![1]);
      const history = await expectReplays(h, FILE);
      const failure = activityFailureInHistory(history.events);
      expect(failure.failureInfo.case).toBe("applicationFailureInfo");
      if (cases[i]![0] === "throwWithCause") {
        // The cause is a plain TypeError: no failure info, as the official converter sends it.
        expect(failure.cause!.message).toBe("inner boom");
        expect(failure.cause!.failureInfo.case).toBeUndefined();
      }
      if (cases[i]![0] === "throwString") expect(failure.stackTrace).toBe("");
    }
  });
});

describe("paused and reset activities", () => {
  for (const action of ["pause", "reset"] as const) {
    test(`a ${action === "pause" ? "paused" : "reset"} activity fails its attempt with ${action === "pause" ? "ActivityPause" : "ActivityReset"}; cancellationDetails say so`, async () => {
      const e = await env();
      const h = await start(main, "pausable");
      await until("the activity to start", () => seen.get(h.workflowId)?.some((x) => x.started !== undefined) ?? false);
      temporalCli("activity", action, "--workflow-id", h.workflowId, "--activity-id", "1", "--address", e.address, "--namespace", e.namespace);
      await until("the activity to be cancelled", () => seen.get(h.workflowId)?.some((x) => x.cancelled) ?? false);
      const cancelled = seen.get(h.workflowId)!.find((x) => x.cancelled)!;
      expect(cancelled.error).toBe("CancelledFailure");
      expect(cancelled.details).toMatchObject(action === "pause" ? { paused: true, reset: false } : { reset: true });
      // An instance of the official class (src/common's ActivityCancellationDetails), as official.
      expect(cancelled.officialClass).toBe(true);
      const word = action === "pause" ? "paused" : "reset";
      await until(`the worker to log "Activity ${word}"`, () =>
        log.lines.some((l) => l.message === `Activity ${word}` && (l.meta as { workflowId?: string } | undefined)?.workflowId === h.workflowId),
      );
      if (action === "pause") {
        // The failed attempt is what the server keeps as the paused activity's last failure.
        let pending = (await h.describe()).rawDescription.pendingActivities[0];
        for (let i = 0; i < 200 && !pending?.lastFailure; i++) {
          await Bun.sleep(50);
          pending = (await h.describe()).rawDescription.pendingActivities[0];
        }
        expect(pending?.lastFailure?.message).toBe("Activity paused");
        expect(pending?.lastFailure?.failureInfo.value).toMatchObject({ type: "ActivityPause", nonRetryable: false });
        temporalCli("activity", "unpause", "--workflow-id", h.workflowId, "--activity-id", "1", "--address", e.address, "--namespace", e.namespace);
      }
      expect(await h.result()).toBe("resumed");
      await expectReplays(h, FILE);
    }, 60_000);
  }
});

describe("workflows", () => {
  test("signal handlers still running when the workflow completes: the official [TMPRL1102] warning for WARN_AND_ABANDON ones; allHandlersFinished", async () => {
    const abandoned = await start(main, "unfinishedHandlers", [false]);
    await abandoned.signal("slowSignal");
    await abandoned.signal("abandonedSignal");
    expect(await abandoned.result()).toBe(false);
    const warnings = () =>
      log.lines.filter((l) => l.level === "warn" && l.message.startsWith("[TMPRL1102]") && (l.meta as { workflowId?: string } | undefined)?.workflowId === abandoned.workflowId);
    await until("the warning", () => warnings().length > 0);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.message).toEndWith('The following signals were unfinished (and warnings were not disabled for their handler): [{"name":"slowSignal","count":1}]');
    await expectReplays(abandoned, FILE);

    const waited = await start(main, "unfinishedHandlers", [true]);
    await waited.signal("slowSignal");
    await waited.signal("abandonedSignal");
    expect(await waited.result()).toBe(true);
    await expectReplays(waited, FILE);
    expect(log.lines.some((l) => l.message.startsWith("[TMPRL1102]") && (l.meta as { workflowId?: string } | undefined)?.workflowId === waited.workflowId)).toBe(false);
  });

  test("a workflow failure's stack trace in history names the user's file and line", async () => {
    const h = await start(main, "failsWorkflow");
    await expect(h.result()).rejects.toThrow();
    const history = await expectReplays(h, FILE);
    const failedEvent = history.events.find(isType(EventType.WORKFLOW_EXECUTION_FAILED))!;
    if (failedEvent.attributes.case !== "workflowExecutionFailedEventAttributes") throw new Error("unexpected event");
    const failure = failedEvent.attributes.value.failure!;
    const line = readFileSync(fixture(FILE), "utf8").split("\n").findIndex((l) => l.includes('"workflow failed on purpose"')) + 1;
    expect(failure.stackTrace.split("\n")[0]).toBe("ApplicationFailure: workflow failed on purpose");
    expect(failure.stackTrace).toContain(`at failsWorkflow (${fixture(FILE)}:${line}:`);
    expect(failure.stackTrace).not.toContain("workflow-bundle.js");
  });

  test("showStackTraceSources: __enhanced_stack_trace carries the user's source file, as official", async () => {
    const w = await startWorker(FILE, { activities: withoutDefault, showStackTraceSources: true });
    try {
      const h = await start(w, "blocked");
      await waitForEvent(h, isType(EventType.TIMER_STARTED), "the timers");
      const enhanced = (await h.query("__enhanced_stack_trace")) as { sources: Record<string, { line_offset: number; content: string }[]> };
      expect(enhanced.sources).toEqual({ [fixture(FILE)]: [{ line_offset: 0, content: readFileSync(fixture(FILE), "utf8") }] });
      await h.signal("finish", "done");
      expect(await h.result()).toBe("done");
      await expectReplays(h, FILE);
    } finally {
      await w.stop();
    }
  });

  test("a `default` export runs unknown workflow types; workflowInfo().workflowType is the requested type", async () => {
    const h = await start(main, "neverExported", ["a", 1]);
    expect(await h.result()).toEqual({ workflowType: "neverExported", args: ["a", 1] });
    await expectReplays(h, FILE);
  });

  test("built-in queries: stack traces in the user's file and lines, workflow metadata with descriptions; timer summaries reach history", async () => {
    const h = await start(main, "blocked");
    await waitForEvent(h, isType(EventType.TIMER_STARTED), "the timers");
    const source = readFileSync(fixture(FILE), "utf8").split("\n");
    const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
    const file = fixture(FILE);

    const trace = (await h.query("__stack_trace")) as string;
    const stacks = trace.split("\n\n");
    expect(stacks).toContain(
      `    at waitInHelper (${file}:${lineOf('await sleep("1 day"')}:9)\n    at blocked (${file}:${lineOf("void waitInHelper()")}:8)`,
    );
    expect(stacks).toContain(`    at blocked (${file}:${lineOf("await condition(")}:9)`);

    const enhanced = (await h.query("__enhanced_stack_trace")) as { sdk: { name: string; version: string }; stacks: { locations: Record<string, unknown>[] }[]; sources: object };
    expect(enhanced.sdk.name).toBe("typescript");
    expect(typeof enhanced.sdk.version).toBe("string");
    expect(enhanced.sources).toEqual({});
    expect(enhanced.stacks).toContainEqual({
      locations: [
        { file_path: file, function_name: "waitInHelper", line: lineOf('await sleep("1 day"'), column: 9, internal_code: false },
        { file_path: file, function_name: "blocked", line: lineOf("void waitInHelper()"), column: 8, internal_code: false },
      ],
    });

    expect(await h.query("__temporal_workflow_metadata")).toEqual({
      definition: {
        type: "blocked",
        queryDefinitions: [
          { name: "__stack_trace", description: "Returns a sensible stack trace." },
          { name: "__enhanced_stack_trace", description: "Returns a stack trace annotated with source information." },
          { name: "__temporal_workflow_metadata", description: "Returns metadata associated with this workflow." },
          { name: "status", description: "The current state." },
          { name: "undocumented" },
        ],
        signalDefinitions: [{ name: "finish", description: "Ends the workflow with this value." }, { name: "ping" }],
        updateDefinitions: [],
      },
      currentDetails: "**blocked** on three things",
    });

    await h.signal("finish", "bye");
    expect(await h.result()).toBe("bye");
    const history = await expectReplays(h, FILE);
    const summaries = history.events
      .filter(isType(EventType.TIMER_STARTED))
      .map((ev) => (ev.userMetadata?.summary ? defaultPayloadConverter.fromPayload(ev.userMetadata.summary) : undefined));
    expect(summaries.sort()).toEqual(["the long nap", "waiting for finish"]);
  });
});
