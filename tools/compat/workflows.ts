/**
 * Workflows of the compatibility corpus (tools/compat-corpus.ts, tests/compat/corpus.test.ts).
 * One source for both SDKs: ours bundles it as is (`temporal-bun-sdk/workflow`); the official
 * worker's webpack maps that specifier to `@temporalio/workflow` (tools/compat/node-worker.mjs).
 *
 * Every branch depends on the run's random stream (module top-level `Math.random()`,
 * `Math.random()`, `uuid4()`), on signals that arrive while the workflow runs, and on timers
 * and activities whose number, kind and durations come from random draws: a history replays
 * on the other SDK only if both draw the same numbers at the same points. Where continuations
 * of several awaits run side by side, their draws and commands interleave in the order the
 * runtime resumes them, so the microtask order of the SDK (conditions re-checked after each
 * job, the ticks a scope or a condition adds) is checked too.
 * Never change this file without re-recording the corpus (tests/compat/corpus/).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  deprecatePatch,
  executeChild as executeChildApi,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setDefaultSignalHandler,
  setHandler,
  sleep,
  startChild as startChildApi,
  uuid4,
  workflowInfo,
} from "temporal-bun-sdk/workflow";
import type * as activities from "./activities.mjs";

const { pick, measure } = proxyActivities<typeof activities>({ startToCloseTimeout: "10 seconds" });
/** Retries quickly: `flaky(token, failures)` fails its first `failures` attempts (3 or more: the activity fails). */
const retried = proxyActivities<typeof activities>({
  startToCloseTimeout: "10 seconds",
  retry: { initialInterval: "30 milliseconds", backoffCoefficient: 1, maximumAttempts: 3 },
});
/** Local activities whose retries wait longer than localRetryThreshold: each backoff is a workflow timer. */
const localTimerBackoff = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: "10 seconds",
  localRetryThreshold: "50 milliseconds",
  retry: { initialInterval: "120 milliseconds", backoffCoefficient: 1, maximumAttempts: 3 },
});
/** Local activities retried inside core (backoff under the threshold). */
const localQuick = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: "10 seconds",
  retry: { initialInterval: "10 milliseconds", backoffCoefficient: 1, maximumAttempts: 3 },
});
const CANCELLATION_TYPES = ["TRY_CANCEL", "WAIT_CANCELLATION_COMPLETED", "ABANDON"] as const;

/**
 * True on the mixed queue (memo `compatNoCache`, set by tools/compat/corpus.ts): its workers keep
 * no run cached, and core then drops a local activity still running when the activation that
 * scheduled it completes ("local activities when using max_cached_workflows=0 are likely to be
 * dropped or retried"); the workflow task never completes and the run times out, on both SDKs.
 * There the shapes use regular activities instead. The memo is in history: replay agrees.
 */
function noCache(): boolean {
  return workflowInfo().memo?.compatNoCache === true;
}
const { slow: slowActivity } = proxyActivities<typeof activities>({ startToCloseTimeout: "10 seconds", retry: { maximumAttempts: 1 } });

/**
 * What workflow code sees of an error: along the cause chain, each error's name, message and
 * failure fields (type, nonRetryable, retryState, activityType; for child workflow failures and
 * refused child starts also the workflow type, namespace and workflow id). Stacks are left out.
 */
function errorShape(e: unknown): string {
  const parts: string[] = [];
  let x = e as Record<string, unknown> | undefined;
  for (let depth = 0; x !== null && typeof x === "object" && depth < 4; depth++, x = x.cause as Record<string, unknown> | undefined) {
    const fields = [x.name, x.message, x.type, x.nonRetryable, x.retryState, x.activityType];
    if (x.workflowType !== undefined) {
      const execution = x.execution as { workflowId?: string; runId?: string } | undefined;
      fields.push(x.workflowType, x.namespace, execution?.workflowId ?? x.workflowId, typeof execution?.runId);
    }
    parts.push(fields.map(String).join("/"));
  }
  return parts.join(" <- ");
}

/**
 * Schedules an activity whose id is the error's shape (shortened, with a hash of all of it).
 * Core compares activity ids on replay, so a history replays on the other SDK only if its
 * workflow code sees the same error there.
 */
async function noteError(e: unknown, tag: string): Promise<void> {
  await note(tag, errorShape(e));
}

/** Schedules an activity whose id carries `shape` (see noteError): core compares it on replay. */
async function note(tag: string, shape: string): Promise<void> {
  let hash = 0x811c9dc5;
  for (let i = 0; i < shape.length; i++) hash = Math.imul(hash ^ shape.charCodeAt(i), 0x01000193) >>> 0;
  const activityId = `${tag}:${hash.toString(16)}:${shape.replace(/[^A-Za-z0-9/<:_-]+/g, "_").slice(0, 160)}`;
  await proxyActivities<typeof activities>({ startToCloseTimeout: "10 seconds", activityId }).measure(tag);
}

// Drawn while the module loads, before the workflow function runs: the first value of the stream.
const moduleRoll = Math.random();

export const addSignal = defineSignal<[number]>("add");
export const finishSignal = defineSignal("finish");

const ms = (r: number, max: number) => 1 + Math.floor(r * max);

/**
 * Deterministic CPU work (~10–20 ms) in an activation. The server holds back what arrives while
 * a workflow task is running (signals, fired timers, completed activities) and delivers it in
 * the next task together: busy tasks make signals share activations with timers and activities.
 */
function busy(): number {
  let x = 0;
  for (let i = 0; i < 3_000_000; i++) x = (x * 31 + i) | 0;
  return x;
}

/** A random number of steps; each is an activity, a timer of random length or a UUID, by a draw. */
export async function randomWalk(steps: number): Promise<string[]> {
  const trail: string[] = [moduleRoll < 0.5 ? "low" : "high"];
  setHandler(addSignal, (v) => void trail.push(`signal:${v}:${Math.floor(Math.random() * 10)}`));
  const n = steps + Math.floor(Math.random() * 4);
  for (let i = 0; i < n; i++) {
    const r = Math.random();
    if (r < 0.4) trail.push(await pick(uuid4(), Math.floor(r * 1000)));
    else if (r < 0.75) {
      await sleep(ms(Math.random(), 150));
      trail.push("slept");
    } else trail.push(uuid4().slice(0, 8));
  }
  return trail;
}

/** Activities in parallel: how many, which ones and their arguments come from draws and UUIDs. */
export async function fanOut(width: number): Promise<number> {
  const count = 1 + Math.floor(Math.random() * width) + (moduleRoll < 0.3 ? 1 : 0);
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuid4();
    // The first hex digit of a UUID picks the activity: uuid4() itself must match.
    calls.push(parseInt(id[0]!, 16) < 8 ? pick(id, i) : measure(id));
    if (Math.random() < 0.3) calls.push(sleep(ms(Math.random(), 100)));
  }
  const results = await Promise.all(calls);
  return results.filter((r) => r !== undefined).length;
}

/**
 * Signals while running: each `add` is weighed by a draw in the handler. The workflow waits for
 * enough weight, `finish`, or a timeout of random length, after which it runs an activity or a
 * timer chosen by a draw.
 */
export async function accumulate(target: number): Promise<{ total: number; signals: number; rounds: number }> {
  let total = 0;
  let signals = 0;
  let finished = false;
  setHandler(addSignal, (v) => {
    total += v * Math.random();
    signals++;
  });
  setHandler(finishSignal, () => void (finished = true));
  let rounds = 0;
  while (!finished && total < target && rounds < 12) {
    rounds++;
    const done = await condition(() => finished || total >= target, ms(Math.random(), 400));
    if (!done) {
      if (Math.random() < 0.5) await pick(uuid4(), signals);
      else await sleep(ms(Math.random(), 80));
    }
  }
  return { total: Math.round(total * 1000) / 1000, signals, rounds };
}

/** A race between a timer of random length and an activity; the loser's outcome decides what follows. */
export async function race(rounds: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const winner = await Promise.race([
      sleep(ms(Math.random(), 60)).then(() => "timer"),
      pick(uuid4(), i).then(() => "activity"),
    ]);
    out.push(winner);
    if (winner === "timer" && Math.random() < 0.5) out.push(String(await measure(uuid4())));
  }
  return out;
}

/**
 * Side-by-side continuations of several awaits each: a `condition(fn)` unblocked by a signal or
 * by a timer's continuation, a `condition(fn, timeout)` whose predicate a signal flips, a timer
 * and an activity (with a race). Signals sometimes arrive in the activation where a timer fires or
 * an activity resolves: the order in which the continuations resume (draws, commands) is then
 * decided by when conditions are re-checked relative to them.
 */
export async function conditions(rounds: number): Promise<string[]> {
  const trail: string[] = [];
  let total = 0;
  let flag = moduleRoll < 0.5;
  let finished = false;
  setHandler(addSignal, (v) => {
    total += v;
    if (Math.random() < 0.6) flag = !flag;
    trail.push(`s${v}`);
  });
  setHandler(finishSignal, () => void (finished = true));
  for (let i = 0; i < rounds && !finished; i++) {
    const base = total;
    let timerDone = false;
    busy();
    // How many times the SDK evaluates predicates (once when called, then at each re-check
    // pass while blocked) is visible to workflow code whose predicates count their calls.
    let checks = 0;
    // Blocked for the whole round: evaluated at every re-check pass of the round.
    let roundDone = false;
    const watcher = condition(() => {
      checks++;
      return roundDone;
    });
    const waiter = (async () => {
      await condition(() => {
        checks++;
        return total > base || timerDone || finished;
      });
      await note(`checks${i}`, String(checks));
      trail.push(`a${i}:${Math.floor(Math.random() * 10)}`);
      await sleep(ms(Math.random(), 30));
      trail.push(uuid4().slice(0, 4));
      await pick(uuid4(), i);
      trail.push(`a${i}'`);
    })();
    const timed = (async () => {
      const ok = await condition(() => {
        checks++;
        return flag === (i % 2 === 0);
      }, ms(Math.random(), 250));
      trail.push(`c${i}:${ok}`);
      if (ok) await measure(uuid4());
      else await sleep(ms(Math.random(), 40));
      trail.push(`c${i}'${Math.floor(Math.random() * 10)}`);
    })();
    const timer = (async () => {
      await sleep(ms(Math.random(), 200));
      timerDone = true;
      busy();
      trail.push(`t${i}`);
      await pick(uuid4(), i + 1);
      trail.push(`t${i}'${Math.floor(Math.random() * 10)}`);
    })();
    const act = (async () => {
      const first = await Promise.race([pick(uuid4(), i + 2), sleep(ms(Math.random(), 60)).then(() => "timer")]);
      trail.push(`p${i}:${first}`);
      busy();
      await Promise.all([sleep(ms(Math.random(), 60)), measure(uuid4())]);
      trail.push(`p${i}'${Math.floor(Math.random() * 10)}`);
    })();
    await Promise.all([waiter, timed, timer, act]);
    roundDone = true;
    await watcher;
    await note(`round${i}`, String(checks));
  }
  await note("trail", trail.join(" "));
  return trail;
}

/**
 * Cancellation scopes: a timer cancelled by `scope.cancel()`, an activity of each cancellation
 * type cancelled while it runs, `withTimeout` that does or does not expire, and a
 * non-cancellable scope inside a scope that is cancelled.
 */
export async function scopes(steps: number): Promise<string[]> {
  const out: string[] = [];
  const n = steps + Math.floor(Math.random() * 3);
  for (let i = 0; i < n; i++) {
    const r = Math.random();
    if (r < 0.25) {
      // Cancelled while pending, mostly (the dev server fires timers up to a second late).
      const scope = new CancellationScope();
      const timer = scope.run(() => sleep(ms(Math.random(), 4000)));
      await sleep(ms(Math.random(), 40));
      scope.cancel();
      out.push(
        await timer.then(
          () => "timer-fired",
          async (e) => {
            await noteError(e, `timer${i}`);
            return isCancellation(e) ? "timer-cancelled" : "timer-error";
          },
        ),
      );
    } else if (r < 0.5) {
      // An activity, or a local activity (1 in 3), of a cancellation type drawn, cancelled while it runs.
      const cancellationType = CANCELLATION_TYPES[Math.floor(Math.random() * 3)]!;
      const options = { startToCloseTimeout: "10 seconds", cancellationType, retry: { maximumAttempts: 1 } };
      const local = Math.random() < 0.33 && !noCache();
      const { slow } = local ? proxyLocalActivities<typeof activities>(options) : proxyActivities<typeof activities>(options);
      const result = await CancellationScope.cancellable(async () => {
        const running = slow(1500 + ms(Math.random(), 1000));
        await sleep(ms(Math.random(), 60));
        CancellationScope.current().cancel();
        return await running;
      }).then(
        (v) => `${cancellationType}:done:${v}`,
        async (e) => {
          await noteError(e, `activity${i}`);
          return `${cancellationType}:${isCancellation(e) ? "cancelled" : "failed"}`;
        },
      );
      out.push(result);
      if (Math.random() < 0.5) out.push(await pick(uuid4(), i));
    } else if (r < 0.75) {
      // The timeout expires first, or the function finishes first (its timer then cancelled).
      const short = Math.random() < 0.5;
      const result = await CancellationScope.withTimeout(short ? ms(Math.random(), 40) : 3000 + ms(Math.random(), 500), async () => {
        await sleep(short ? 2000 + ms(Math.random(), 300) : ms(Math.random(), 100));
        return await pick(uuid4(), i);
      }).catch(async (e) => {
        await noteError(e, `scope${i}`);
        return isCancellation(e) ? "timed-out" : "error";
      });
      out.push(result);
    } else {
      const outer = new CancellationScope();
      const inner = outer.run(async () => {
        const shielded = CancellationScope.nonCancellable(async () => {
          await sleep(ms(Math.random(), 60));
          return await pick(uuid4(), i);
        });
        const exposed = sleep(ms(Math.random(), 3000)).then(
          () => "t",
          () => "t-cancelled",
        );
        return `${await shielded}/${await exposed}`;
      });
      await sleep(ms(Math.random(), 40));
      outer.cancel();
      out.push(
        await inner.catch(async (e) => {
          await noteError(e, `outer${i}`);
          return isCancellation(e) ? "outer-cancelled" : "error";
        }),
      );
    }
  }
  await note("trail", out.join(" "));
  return out;
}

/** `setTimeout`/`clearTimeout` in workflow code: callbacks draw; some timeouts are cleared before they fire. */
export async function timeouts(count: number): Promise<string[]> {
  const trail: string[] = [];
  const entries: { handle: ReturnType<typeof setTimeout>; done: boolean }[] = [];
  for (let i = 0; i < count + 1; i++) {
    const entry = { handle: undefined as unknown as ReturnType<typeof setTimeout>, done: false };
    entry.handle = setTimeout(
      (tag: string) => {
        entry.done = true;
        trail.push(`${tag}:${Math.floor(Math.random() * 10)}`);
      },
      ms(Math.random(), 200),
      `f${i}`,
    );
    entries.push(entry);
  }
  await sleep(ms(Math.random(), 120));
  for (const entry of entries) {
    if (!entry.done && Math.random() < 0.5) {
      clearTimeout(entry.handle);
      entry.done = true;
      trail.push("cleared");
    }
  }
  await condition(() => entries.every((e) => e.done));
  // clearTimeout of a handle that fired or was cleared: the official SDK then takes its legacy
  // path (a CancelTimer command for that seq, and the next timer seq skipped), seen by the
  // timer started next.
  if (Math.random() < 0.5) clearTimeout(entries[Math.floor(Math.random() * entries.length)]!.handle);
  await sleep(ms(Math.random(), 20));
  trail.push(await pick(uuid4(), count));
  await note("trail", trail.join(" "));
  return trail;
}

/** Activities that fail and retry, local activities retried in core or after a workflow timer, some failing for good. */
export async function retries(steps: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < steps + 1; i++) {
    const r = Math.random();
    const failures = Math.floor(Math.random() * 4);
    try {
      if (r < 0.3) out.push(`a${await retried.flaky(uuid4(), failures)}`);
      else if (r < 0.6) out.push(`l${await (noCache() ? retried : localTimerBackoff).flaky(uuid4(), failures)}`);
      else if (r < 0.8) out.push(`q${await (noCache() ? retried : localQuick).flaky(uuid4(), failures)}`);
      else {
        const [x] = await Promise.all([(noCache() ? retried : localQuick).pick(uuid4(), i), sleep(ms(Math.random(), 50)), retried.flaky(uuid4(), failures % 2)]);
        out.push(x);
      }
    } catch (e) {
      out.push(e instanceof ActivityFailure ? "failed" : "error");
      await noteError(e, `retry${i}`);
    }
  }
  await note("trail", out.join(" "));
  return out;
}

/**
 * Patches (`patched` in the workflow and in a signal handler, `deprecatePatch`) and
 * `continueAsNew` after a random number of runs (the corpus keeps the first run's history).
 */
export async function patchesAndChain(remaining: number): Promise<string[]> {
  deprecatePatch("compat-deprecated");
  const out: string[] = [];
  setHandler(addSignal, (v) => {
    if (patched(`compat-signal-${v % 2}`)) out.push(`s${v}`);
  });
  out.push(patched("compat-a") ? await pick(uuid4(), remaining) : String(await measure(uuid4())));
  await sleep(ms(Math.random(), 60));
  if (Math.random() < 0.5 && patched("compat-b")) out.push(uuid4().slice(0, 6));
  // condition(fn, 0): a timeout of 0 goes through the official SDK's internal patch marker.
  if (Math.random() < 0.5) out.push(String(await condition(() => out.length > 100, 0)));
  if (remaining > 0 && Math.random() < 0.8) {
    await Promise.all([sleep(ms(Math.random(), 30)), pick(uuid4(), 0)]);
    if (Math.random() < 0.5) await continueAsNew<typeof patchesAndChain>(remaining - 1);
    // continueAsNew returns a rejected promise (it does not throw): code between the call and
    // the await still runs, and the activity it schedules is sent with the continue-as-new.
    const next = continueAsNew<typeof patchesAndChain>(remaining - 1);
    void measure(uuid4());
    await next;
  }
  await note("trail", out.join(" "));
  return out;
}

/**
 * Cancelled by the client while it runs: the cancellation reaches a timer, an activity, a race
 * or a condition with a timeout; cleanup runs in a non-cancellable scope, then the workflow
 * reports itself cancelled. A run that finishes before the request completes normally.
 */
export async function cancelMe(rounds: number): Promise<string[]> {
  const trail: string[] = [];
  // Signals sent around the cancellation reach the default handler (no handler of their own).
  setDefaultSignalHandler((name, ...args) => void trail.push(`${name}:${String(args[0])}:${Math.floor(Math.random() * 10)}`));
  try {
    for (let i = 0; i < rounds; i++) {
      const r = Math.random();
      if (r < 0.3) await sleep(ms(Math.random(), 80));
      else if (r < 0.55) trail.push(await Promise.race([pick(uuid4(), i), sleep(ms(Math.random(), 40)).then(() => "timer")]));
      else if (r < 0.75) await Promise.all([measure(uuid4()), condition(() => false, ms(Math.random(), 60))]);
      else {
        // Pending at once, at different depths of scopes: the cancellation reaches each a
        // number of microtask ticks after the request that depends on its depth, so the order
        // of the cancel commands and of these handlers' draws does too.
        const seen = (tag: string) => (e: unknown) => {
          trail.push(`${tag}:${Math.floor(Math.random() * 10)}`);
          throw e;
        };
        await Promise.all([
          sleep(ms(Math.random(), 3000)).catch(seen("timer")),
          CancellationScope.cancellable(() => slowActivity(1000 + ms(Math.random(), 1000))).catch(seen("activity")),
          CancellationScope.withTimeout(5000, () => CancellationScope.cancellable(() => sleep(ms(Math.random(), 3000)))).catch(seen("nested")),
          condition(() => false, ms(Math.random(), 3000)).catch(seen("condition")),
        ]);
      }
      trail.push(String(i));
    }
    await note("trail", trail.join(" "));
    return trail;
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(async () => {
      await noteError(e, "cancelled");
      await note("trail", trail.join(" "));
      trail.push(await pick(uuid4(), rounds));
      if (Math.random() < 0.5) await sleep(ms(Math.random(), 30));
    });
    throw e;
  }
}

/**
 * Started by signalWithStart (a signal in the first activation, before the handler exists) and
 * sent bursts of signals (several in one activation); the handlers are async, draw, and wait on
 * timers and activities, so their continuations interleave.
 */
export async function signalled(expected: number): Promise<string[]> {
  const trail: string[] = [];
  let count = 0;
  setHandler(addSignal, async (v) => {
    count++;
    busy();
    const r = Math.random();
    trail.push(`s${v}:${Math.floor(r * 10)}`);
    if (r < 0.4) await sleep(ms(Math.random(), 50));
    else if (r < 0.7) await pick(uuid4(), v);
    trail.push(`s${v}'${Math.floor(Math.random() * 10)}`);
    // Now and then a handler fails the workflow (an ApplicationFailure escaping a handler).
    if (v === 7 && Math.random() < 0.5) throw ApplicationFailure.nonRetryable(`signal ${v} failed the workflow`, "CompatSignalFailure");
  });
  const all = await condition(() => count >= expected, 200 + ms(Math.random(), 400));
  trail.push(String(all));
  // `finish` came early (often with the first activation) and waited in the buffer: its
  // handler, set only now, gets it at once.
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
    trail.push(`finish:${Math.floor(Math.random() * 10)}`);
  });
  if (finished) trail.push(uuid4().slice(0, 4));
  // Workflow time and history length (both from the activation) decide a branch too.
  const elapsed = Date.now() - workflowInfo().runStartTime.getTime();
  if (elapsed > 1500 || workflowInfo().historyLength % 2 === 0) trail.push(await pick(uuid4(), elapsed % 7));
  trail.push(String(await Promise.race([sleep(ms(Math.random(), 40)).then(() => "timer"), measure(uuid4())])));
  // How often this is evaluated depends on the ticks at which each handler's execution is
  // marked finished (the SDK's promise chain around handlers).
  let checks = 0;
  await condition(() => {
    checks++;
    return allHandlersFinished();
  });
  await note("handlers", String(checks));
  await note("trail", trail.join(" "));
  // Fire-and-forget work that schedules an activity after a random number of microtask ticks:
  // before or after the workflow's result becomes its completion command (the length of the
  // SDK's promise chain from the workflow function to that command decides which, and a
  // command after the completion must still be sent, as official).
  const ticks = Math.floor(Math.random() * 12);
  void (async () => {
    for (let i = 0; i < ticks; i++) await Promise.resolve();
    await measure(`late-${ticks}`);
  })();
  return trail;
}

// ───────────────────────────────────────────── child workflows and external workflow handles
//
// The children run on the parent's task queue (the default): on the mixed queue a parent of one
// SDK has children run by either. Default child workflow ids are uuid4() draws of the parent's
// stream, and core compares the child's workflow id and type with history on replay, so those
// draws must match across SDKs too.

/**
 * The task queue for children: the parent's (the default), unless the run was started with memo
 * `compatChildTaskQueue` — tools/compat-corpus.ts then puts the children on a queue only the
 * other SDK serves, so every child runs on the other SDK than its parent. The memo is in
 * history, so replay takes the same path.
 */
function withChildQueue<O extends object>(options: O): O {
  const queue = workflowInfo().memo?.compatChildTaskQueue;
  return typeof queue === "string" ? { ...options, taskQueue: queue } : options;
}

// The official functions with withChildQueue applied to their options. Plain functions returning
// the API's promise: no extra promise step, so the microtask timing under test is the SDK's own.
const executeChild = ((type: unknown, options: object) => executeChildApi(type as string, withChildQueue(options) as never)) as typeof executeChildApi;
const startChild = ((type: unknown, options: object) => startChildApi(type as string, withChildQueue(options) as never)) as typeof startChildApi;

/** A child that draws from its own stream, runs activities and timers, and returns its trail. */
export async function childWork(tag: string, steps: number): Promise<string> {
  const trail = [tag, moduleRoll < 0.5 ? "l" : "h", workflowInfo().parent ? "p" : "-"];
  for (let i = 0; i < steps; i++) {
    const r = Math.random();
    if (r < 0.4) trail.push(await pick(uuid4(), i));
    else if (r < 0.7) {
      await sleep(ms(Math.random(), 80));
      trail.push("t");
    } else trail.push(uuid4().slice(0, 4));
  }
  return trail.join(",");
}

/** Continues as new `remaining` times (the parent's executeChild resolves with the last run's result). */
export async function chainedChild(remaining: number, trail: string): Promise<string> {
  const next = `${trail}${Math.floor(Math.random() * 10)}`;
  if (remaining > 0) return await continueAsNew<typeof chainedChild>(remaining - 1, next);
  return next;
}

/**
 * Fan-out: several executeChild at once (default and explicit ids, by type name and by
 * function; some children continue as new), with timers beside them.
 */
export async function childFanOut(width: number): Promise<string[]> {
  const count = 2 + Math.floor(Math.random() * width);
  const calls: Promise<string>[] = [];
  for (let i = 0; i < count; i++) {
    const steps = Math.floor(Math.random() * 3);
    const r = Math.random();
    calls.push(
      r < 0.5
        ? executeChild(childWork, { args: [`c${i}`, steps] })
        : r < 0.8
          ? executeChild<typeof childWork>("childWork", { workflowId: `${workflowInfo().workflowId}-c${i}`, args: [`c${i}`, steps] })
          : executeChild(chainedChild, { args: [steps, `c${i}:`] }),
    );
    if (Math.random() < 0.3) calls.push(sleep(ms(Math.random(), 100)).then(() => "t"));
  }
  const results = await Promise.all(calls);
  // And one child that continues as new on every run.
  results.push(await executeChild(chainedChild, { args: [1 + Math.floor(Math.random() * 2), "z:"] }));
  await note("results", results.join(" "));
  return results;
}

/**
 * A child that fails by `kind`: 0 a non-retryable ApplicationFailure, 1 a retryable one (the
 * parent gives it a retry policy: the server starts a second run), 2 runs past its execution
 * timeout, 3 an activity failing for good (ActivityFailure as the cause), else completes.
 */
export async function failingChild(kind: number): Promise<string> {
  const r = Math.random();
  await sleep(ms(r, 50));
  switch (kind) {
    case 0:
      throw ApplicationFailure.nonRetryable(`child failed ${Math.floor(r * 10)}`, "CompatChildFailure", { r: Math.floor(r * 10) });
    case 1:
      throw ApplicationFailure.retryable(`child attempt ${workflowInfo().attempt} failed`, "CompatChildRetry");
    case 2:
      await sleep(5_000);
      return "not timed out";
    case 3:
      return String(await retried.flaky(uuid4(), 3));
    default:
      return `ok${Math.floor(Math.random() * 10)}`;
  }
}

/**
 * Children that fail (ChildWorkflowFailure caught by the parent, with the child's failure as
 * its cause), and a second start with the id of a running child (WorkflowExecutionAlreadyStartedError).
 */
export async function childFailures(rounds: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < rounds; i++) {
    // The first round's child always runs past its timeout (a kind the corpus must hold).
    const draw = Math.floor(Math.random() * 5);
    const kind = i === 0 ? 2 : draw;
    const options =
      kind === 1
        ? { retry: { initialInterval: "50 milliseconds", backoffCoefficient: 1, maximumAttempts: 2 } }
        : kind === 2
          ? { workflowExecutionTimeout: "1 second" }
          : {};
    try {
      out.push(await executeChild(failingChild, { args: [kind], ...options }));
    } catch (e) {
      out.push(e instanceof ChildWorkflowFailure ? `failed${kind}` : `error${kind}`);
      await noteError(e, `child${i}`);
    }
  }
  const id = `${workflowInfo().workflowId}-dup`;
  const first = await startChild(signalledChild, { workflowId: id, args: [1] });
  try {
    await startChild(childWork, { workflowId: id, args: ["dup", 1] });
    out.push("started twice");
  } catch (e) {
    // By name: @temporalio/workflow 1.24 does not export the class (only @temporalio/common does).
    out.push((e as Error).name === "WorkflowExecutionAlreadyStartedError" ? "already-started" : "error");
    await noteError(e, "dup");
  }
  await first.signal(addSignal, 1);
  out.push(await first.result());
  await note("trail", out.join(" "));
  return out;
}

/** Counts `add` signals (each weighed by a draw) until `expected` of them or `finish`. */
export async function signalledChild(expected: number): Promise<string> {
  const trail: string[] = [];
  let count = 0;
  let finished = false;
  setHandler(addSignal, (v) => {
    count++;
    trail.push(`${v}:${Math.floor(Math.random() * 10)}`);
  });
  setHandler(finishSignal, () => void (finished = true));
  // No timeout: on a loaded machine the parent's signals can take longer than any fixed bound,
  // and a child closed early turns them into failures. A parent that fails terminates it.
  await condition(() => finished || count >= expected);
  return trail.join(",");
}

/**
 * startChild, then signals through the child's handle (one at a time, or several at once that
 * land in one activation), `finish`, the result; then a signal to the closed child (refused by
 * the server: the signal rejects); a child left running, which the server asks to cancel when
 * this parent closes (parentClosePolicy REQUEST_CANCEL).
 */
export async function childSignals(n: number): Promise<string[]> {
  const out: string[] = [];
  const child = await startChild(signalledChild, { args: [1000] });
  out.push(child.workflowId.slice(0, 8), typeof child.firstExecutionRunId);
  for (let i = 0; i < n; i++) {
    if (Math.random() < 0.5) await child.signal(addSignal, i);
    else await Promise.all([child.signal(addSignal, i), child.signal("add", i + 10), child.signalWithOptions("add", { args: [i + 20] })]);
    if (Math.random() < 0.3) await sleep(ms(Math.random(), 40));
  }
  await child.signal(finishSignal);
  out.push(await child.result());
  await child.signal(addSignal, -1).then(
    () => out.push("signalled-closed"),
    (e) => noteError(e, "closed"),
  );
  // Left running: the server asks it to cancel when this parent closes (parentClosePolicy).
  await startChild(cancellableChild, { args: [20_000 + ms(Math.random(), 1000)], parentClosePolicy: "REQUEST_CANCEL" });
  await note("trail", out.join(" "));
  return out;
}

/** Sleeps; when cancelled, runs a cleanup activity in a non-cancellable scope and reports itself cancelled. */
export async function cancellableChild(sleepMs: number): Promise<string> {
  try {
    await sleep(sleepMs);
    return "slept";
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(() => pick(uuid4(), 0));
    throw e;
  }
}

const CHILD_CANCELLATION_TYPES = ["TRY_CANCEL", "WAIT_CANCELLATION_COMPLETED", "WAIT_CANCELLATION_REQUESTED", "ABANDON"] as const;

/**
 * Children cancelled through a CancellationScope, for each cancellation type: before the start
 * resolved (in the activation that started it), right after it started, or while it runs.
 * Abandoned children are given parentClosePolicy ABANDON so they finish on their own.
 */
export async function childCancel(steps: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    const cancellationType = CHILD_CANCELLATION_TYPES[Math.floor(Math.random() * 4)]!;
    const when = Math.floor(Math.random() * 3);
    const sleepMs = 1500 + ms(Math.random(), 1000);
    let started = false;
    const scope = new CancellationScope();
    const result = scope.run(async () => {
      const handle = await startChild(cancellableChild, {
        args: [sleepMs],
        cancellationType,
        parentClosePolicy: cancellationType === "ABANDON" ? "ABANDON" : "TERMINATE",
      });
      started = true;
      return await handle.result();
    });
    if (when > 0) await condition(() => started);
    if (when === 2) await sleep(ms(Math.random(), 60));
    scope.cancel();
    out.push(
      await result.then(
        (v) => `${cancellationType}:${when}:${v}`,
        async (e) => {
          await noteError(e, `cancel${i}`);
          return `${cancellationType}:${when}:${isCancellation(e) ? "cancelled" : "failed"}`;
        },
      ),
    );
    // An executeChild in a scope cancelled before the child started.
    if (Math.random() < 0.3) {
      const r = await CancellationScope.cancellable(async () => {
        const p = executeChild(childWork, { args: ["x", 1], cancellationType });
        CancellationScope.current().cancel();
        return await p;
      }).catch(async (e) => {
        await noteError(e, `early${i}`);
        return "early-cancelled";
      });
      out.push(r);
    }
    // The scope of a child that already completed is cancelled: nothing to cancel, no command.
    if (Math.random() < 0.3) {
      const done = new CancellationScope();
      out.push(await done.run(() => executeChild(childWork, { args: ["done", 0], cancellationType })));
      done.cancel();
      await sleep(ms(Math.random(), 20));
    }
    // startChild in a scope cancelled before the call: no command is sent, but the default id
    // (a uuid4 draw) and the seq are still taken, as official; later draws and ids depend on it.
    if (Math.random() < 0.3) {
      const r = await CancellationScope.cancellable(async () => {
        CancellationScope.current().cancel();
        return await startChild(childWork, { args: ["y", 1], cancellationType }).then((h) => h.workflowId);
      }).catch(async (e) => {
        await noteError(e, `cancelled-scope${i}`);
        return `cancelled-scope:${uuid4().slice(0, 4)}`;
      });
      out.push(r);
    }
  }
  await note("trail", out.join(" "));
  return out;
}

/**
 * Continuations of a child's start, a child's result, a timer and an activity side by side,
 * each recording itself in the trail and scheduling an activity at once. When two of them
 * resolve in one activation (busy tasks make that likely), their order — and so the order of
 * the commands and draws — depends on the length of each API's promise chain, which must be
 * the official one.
 */
export async function childRace(rounds: number): Promise<string[]> {
  const trail: string[] = [];
  for (let i = 0; i < rounds; i++) {
    busy();
    await Promise.all([
      executeChild(childWork, { args: [`r${i}`, 0] }).then(async () => {
        trail.push("c");
        await pick(uuid4(), i);
      }),
      startChild(childWork, { args: [`s${i}`, Math.floor(Math.random() * 2)] }).then(async (h) => {
        trail.push("s");
        busy();
        const [v] = await Promise.all([h.result(), measure(uuid4())]);
        trail.push(`r${v.length % 10}`);
        await pick(uuid4(), i + 1);
      }),
      sleep(ms(Math.random(), 300)).then(async () => {
        trail.push("t");
        busy();
        await measure(uuid4());
      }),
      pick(uuid4(), i + 2).then(async () => {
        trail.push("a");
        await sleep(ms(Math.random(), 50));
        trail.push("a'");
      }),
    ]);
    trail.push("|");
  }
  await note("trail", trail.join(""));
  return trail;
}

/** Signals its parent (once the signal is delivered it completes). */
export async function tickingChild(n: number): Promise<number> {
  await getExternalWorkflowHandle(workflowInfo().parent!.workflowId).signal(addSignal, n);
  return n;
}

/**
 * Measures, in microtask ticks, how long after a signal handler starts the continuation of a
 * child's result runs, when the signal and the child's completion share an activation (core
 * applies signals first): the length of the SDK's promise chain from the resolution job to
 * `executeChild(...)` / `handle.result()` resolving, which must be the official one, or
 * branches racing a child's result produce their commands in another order. Two children start
 * together; once the second one started, the parent runs a local activity of 2 s, which keeps
 * its workflow task open, so both children's signals and completions usually arrive meanwhile
 * and come in the next activation together (not on the mixed queue: see noCache()). (A signal sent in the child's last task is never delivered: the
 * server drops signals of closed workflows, so the child waits for its signal to land.)
 */
export async function childTicks(rounds: number): Promise<string[]> {
  const seen: string[] = [];
  const settled = new Set<number>();
  setHandler(addSignal, async (v) => {
    let k = 0;
    while (!settled.has(v) && k < 40) {
      k++;
      await Promise.resolve();
    }
    seen.push(`${v}:${settled.has(v) ? k : "-"}`);
  });
  for (let i = 0; i < rounds; i++) {
    const a = 2 * i;
    const b = 2 * i + 1;
    await Promise.all([
      executeChild(tickingChild, { args: [a] }).then(() => void settled.add(a)),
      startChild(tickingChild, { args: [b] })
        // A local activity keeps the workflow task open (core completes it when the local
        // activity resolves), so what arrives meanwhile comes in the next activation together.
        .then(async (handle) => {
          if (!noCache()) await localQuick.slow(2000);
          return await handle.result();
        })
        .then(() => void settled.add(b)),
    ]);
    await condition(() => seen.length >= 2 * (i + 1));
  }
  await note("ticks", seen.join(" "));
  return seen;
}

/**
 * The other side of externalHandles: waits for `expected` signals, then signals its parent
 * through an external handle (its id from workflowInfo().parent) and sleeps until the parent
 * cancels it through an external handle; then signals the parent once more and reports itself
 * cancelled.
 */
export async function peer(expected: number): Promise<string> {
  const trail: string[] = [];
  let count = 0;
  setHandler(addSignal, (v) => {
    count++;
    trail.push(`${v}:${Math.floor(Math.random() * 10)}`);
  });
  const parentInfo = workflowInfo().parent!;
  const parent = Math.random() < 0.5 ? getExternalWorkflowHandle(parentInfo.workflowId) : getExternalWorkflowHandle(parentInfo.workflowId, parentInfo.runId);
  try {
    await condition(() => count >= expected);
    await parent.signal(addSignal, count);
    await sleep(20_000);
    return trail.join(",");
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(() => parent.signal(addSignal, -1));
    throw e;
  }
}

/**
 * Two workflows talking through external handles: signals to the child by its id (with or
 * without its run id), the child's signals back, cancel() of the child; signal and cancel of a
 * workflow that does not exist; cancel() in a scope cancelled at once (the official SDK's
 * internal patch marker for scope-connected external cancels).
 */
export async function externalHandles(n: number): Promise<string[]> {
  const out: string[] = [];
  const received: number[] = [];
  setHandler(addSignal, (v) => void received.push(v));
  const self = workflowInfo().workflowId;
  const child = await startChild(peer, { workflowId: `${self}-peer`, args: [n] });
  const ext = Math.random() < 0.5 ? getExternalWorkflowHandle(child.workflowId) : getExternalWorkflowHandle(child.workflowId, child.firstExecutionRunId);
  if (Math.random() < 0.5) for (let i = 0; i < n; i++) await ext.signal(addSignal, i);
  else await Promise.all(Array.from({ length: n }, (_, i) => ext.signal(addSignal, i)));
  await condition(() => received.length >= 1);
  out.push(`got:${received.join(",")}`);
  await ext.cancel();
  out.push(await child.result().catch(async (e) => {
    await noteError(e, "peer");
    return isCancellation(e) ? "peer-cancelled" : "peer-failed";
  }));
  await condition(() => received.length >= 2, "10 seconds");
  out.push(`got:${received.join(",")}`);
  const missing = getExternalWorkflowHandle(`${self}-missing`);
  await missing.signal(addSignal, 1).then(() => out.push("signalled-missing"), (e) => noteError(e, "signal-missing"));
  await missing.cancel().then(() => out.push("cancelled-missing"), (e) => noteError(e, "cancel-missing"));
  // Every run (a marker the corpus must hold), before or after a draw-dependent timer.
  if (Math.random() < 0.5) await sleep(ms(Math.random(), 20));
  const scope = new CancellationScope();
  const cancelling = scope.run(() => missing.cancel());
  scope.cancel();
  await cancelling.then(() => out.push("cancel-not-cancelled"), (e) => noteError(e, "cancel-in-scope"));
  await note("trail", out.join(" "));
  return out;
}

/**
 * The same child options on every run (no draws): each option's encoding in the start command
 * (tools/compat-corpus.ts compares these commands between the SDKs field by field).
 */
export async function childOptions(): Promise<string[]> {
  const self = workflowInfo().workflowId;
  const results = await Promise.all([
    executeChild(childWork, { workflowId: `${self}-plain`, args: ["plain", 0] }),
    executeChild(childWork, {
      workflowId: `${self}-full`,
      args: ["full", 1],
      memo: { owner: "compat", n: 1, nested: { a: [1, 2] } },
      retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumAttempts: 3, maximumInterval: "10 seconds", nonRetryableErrorTypes: ["X"] },
      // Generous: on a loaded machine a shorter task timeout expires while tasks wait for a worker.
      workflowExecutionTimeout: "10 minutes",
      workflowRunTimeout: "9 minutes",
      workflowTaskTimeout: "30 seconds",
      workflowIdReusePolicy: "REJECT_DUPLICATE",
      parentClosePolicy: "REQUEST_CANCEL",
      cancellationType: "TRY_CANCEL",
      staticSummary: "a child",
      staticDetails: "started by childOptions",
    }),
    executeChild("childWork", { workflowId: `${self}-priority`, args: ["priority", 0], priority: { priorityKey: 2 } }),
  ]);
  await note("results", results.join(" "));
  return results;
}
