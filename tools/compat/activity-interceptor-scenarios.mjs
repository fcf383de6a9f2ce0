// The activity interceptors and activities of tests/compat/activity-interceptors-official.test.ts,
// shared by both SDKs' workers: ours (bun) and the official @temporalio/worker 1.24 (node,
// tools/compat/node-activity-worker.mjs). Plain JavaScript with no import of either SDK: the
// caller passes its `Context` and `ApplicationFailure`. Everything the hooks see is written
// into `record`, in order, so the two SDKs' records can be compared entry by entry.

/**
 * @param {{ Context: { current(): any }, ApplicationFailure: { nonRetryable(message: string, type: string): Error } }} sdk
 */
export function makeActivityWorkerParts({ Context, ApplicationFailure }) {
  /** @type {Record<string, unknown>[]} */
  const record = [];
  const factoryContexts = [];

  /** A traced inbound + outbound pair; `change` rewrites args, result, attributes, tags. */
  const traced = (who, change) => (ctx) => {
    factoryContexts.push(ctx);
    record.push({ event: "factory", who, activityType: ctx.info.activityType, attempt: ctx.info.attempt, isLocal: ctx.info.isLocal });
    return {
      inbound: {
        async execute(input, next) {
          record.push({ event: "execute", who, args: input.args, headers: Object.keys(input.headers).sort() });
          if (who === "A" && ctx.info.activityType === "guarded") throw ApplicationFailure.nonRetryable(`blocked ${ctx.info.activityType} by policy`, "PolicyViolation");
          const result = await next(change.args ? { ...input, args: change.args(input.args) } : input);
          record.push({ event: "executed", who, result });
          return change.result ? change.result(result) : result;
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          record.push({ event: "getLogAttributes", who, input: { ...input } });
          return next(change.attrs ? change.attrs(input) : input);
        },
        getMetricTags(input, next) {
          record.push({ event: "getMetricTags", who, input: { ...input } });
          return next(change.tags ? change.tags(input) : input);
        },
      },
    };
  };

  const interceptors = {
    activityInbound: [
      () => ({
        async execute(input, next) {
          record.push({ event: "execute", who: "legacy", args: input.args });
          const result = await next(input);
          record.push({ event: "executed", who: "legacy", result });
          return result;
        },
      }),
    ],
    activity: [
      traced("A", {
        args: ([name, ...rest]) => [String(name).toUpperCase(), ...rest],
        attrs: (a) => ({ ...a, tenant: "acme", taskToken: undefined }),
        tags: (t) => ({ ...t, tenant: "acme" }),
      }),
      traced("B", {
        result: (r) => `${r} [B]`,
        attrs: (a) => ({ ...a, layer: "B", tenantSeenByB: a.tenant }),
        tags: (t) => ({ ...t, layer: "B" }),
      }),
    ],
  };

  const activities = {
    async greet(name, n) {
      const ctx = Context.current();
      record.push({ event: "fn", args: [name, n], sameContextAsFactories: factoryContexts.at(-1) === ctx });
      ctx.log.info("greeting", { n });
      ctx.metricMeter.createCounter("compat_activity_interceptor_calls").add(1, { where: "greet" });
      return `hello ${name} #${n}`;
    },
    async guarded() {
      record.push({ event: "fn", args: [] });
      return "ran";
    },
    async flaky() {
      const { attempt } = Context.current().info;
      record.push({ event: "fn", args: [], attempt });
      if (attempt < 2) throw new Error(`attempt ${attempt} fails`);
      return `attempt ${attempt}`;
    },
  };

  return { record, interceptors, activities };
}
