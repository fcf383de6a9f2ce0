/**
 * The client surface in the official SDK 1.24's shape, on the dev server: `count(query)`,
 * `describe().raw` (the whole response) and `staticSummary()` / `staticDetails()`,
 * `queryWithOptions(name, { args })`, `list().intoHistories()`, `client.workflow.result(id)`,
 * `firstExecutionRunId`, `Connection.withApiKey` and `apiKey` functions,
 * `ensureConnected` of a lazy connection, `operatorService.addSearchAttributes`, and
 * `client.workflowService`. Our earlier forms (`count({ query })`,
 * `queryWithOptions(name, args, options)`, `rawDescription`) keep working beside them.
 */
import { describe, expect, test } from "bun:test";
import http2 from "node:http2";
import { Client, Connection, QueryRejectedError, WorkflowFailedError, type WorkflowHandle } from "../../src/client/index.js";
import { testEnv, testServer } from "../helpers/dev-server.js";
import { completeCommand, eventually, pollWorkflowTask, respondWithCommand, uid } from "./helpers.js";

async function client(): Promise<Client> {
  return (await testEnv()).client;
}

describe("the official client shape", () => {
  test("count(query) counts only the matching executions; count({ query }) too; GROUP BY gives groups", async () => {
    const c = await client();
    const type = uid("countType").replace(/-/g, "");
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < 2; i++) handles.push(await c.workflow.start(type, { workflowId: uid("count"), taskQueue: "count-tq" }));
    await handles[0]!.terminate();
    const query = `WorkflowType = '${type}'`;
    const n = await eventually(async () => {
      const r = await c.workflow.count(query);
      return r.count === 2 ? r : undefined;
    }, "count(query) = 2");
    expect(n.groups).toEqual([]);
    expect((await c.workflow.count({ query })).count).toBe(2);
    // Everything else in the namespace is counted only without a query.
    await c.workflow.start("otherType", { workflowId: uid("count-other"), taskQueue: "count-tq" });
    const all = await eventually(async () => {
      const r = await c.workflow.count();
      return r.count >= 3 ? r : undefined;
    }, "count() ≥ 3");
    expect(all.count).toBeGreaterThan((await c.workflow.count(query)).count);
    const grouped = await eventually(async () => {
      const r = await c.workflow.count(`${query} GROUP BY ExecutionStatus`);
      return r.groups.length === 2 ? r : undefined;
    }, "two status groups");
    expect(grouped.groups.map((g) => [g.groupValues, g.count]).sort()).toEqual([
      [["Running"], 1],
      [["Terminated"], 1],
    ]);
    await expect(c.workflow.count(42 as unknown as string)).rejects.toThrow(/WorkflowClient.count: expected a visibility query string, got 42/);
    // A bad query is the server's INVALID_ARGUMENT, not a silent count of everything.
    await expect(c.workflow.count("NoSuchField = 'x'")).rejects.toThrow(/NoSuchField/);
    for (const h of handles.slice(1)) await h.terminate();
  });

  test("describe(): raw is the DescribeWorkflowExecution response; staticSummary / staticDetails decode; firstExecutionRunId", async () => {
    const c = await client();
    const workflowId = uid("describe-shape");
    const h = await c.workflow.start("describeShape", { workflowId, taskQueue: "describe-shape-tq", staticSummary: "the summary", staticDetails: "the **details**", priority: { priorityKey: 3 } });
    const d = await h.describe();
    expect(d.raw.workflowExecutionInfo?.execution?.workflowId).toBe(workflowId);
    expect(d.raw.executionConfig?.taskQueue?.name).toBe("describe-shape-tq");
    expect(d.rawDescription).toBe(d.raw);
    expect(await d.staticSummary()).toBe("the summary");
    expect(await d.staticDetails()).toBe("the **details**");
    expect([d.workflowId, d.type, d.taskQueue, d.status.name]).toEqual([workflowId, "describeShape", "describe-shape-tq", "RUNNING"]);
    expect(h.firstExecutionRunId).toBe(d.runId);
    expect(d.priority?.priorityKey).toBe(3);
    const plain = await c.workflow.start("describeShape", { workflowId: uid("describe-plain"), taskQueue: "describe-shape-tq" });
    const d2 = await plain.describe();
    expect([await d2.staticSummary(), await d2.staticDetails()]).toEqual([undefined, undefined]);
    await h.terminate();
    await plain.terminate();
  });

  test("queryWithOptions(name, { args }) as official; the earlier (name, args, options) form; bad options named", async () => {
    const c = await client();
    const taskQueue = uid("query-shape-tq");
    const h = await c.workflow.start("queryShape", { workflowId: uid("query-shape"), taskQueue });
    const first = await pollWorkflowTask(c, taskQueue);
    await c.workflowService.respondWorkflowTaskCompleted({ namespace: c.namespace, taskToken: first.taskToken, commands: [] });
    const answer = h.queryWithOptions<{ echoed: unknown[] }>("state", { args: ["x", 3] });
    const task = await pollWorkflowTask(c, taskQueue);
    expect(task.query?.queryType).toBe("state");
    const args = (task.query?.queryArgs?.payloads ?? []).map((p) => c.dataConverter.payloadConverter.fromPayload(p));
    expect(args).toEqual(["x", 3]);
    await c.workflowService.respondQueryTaskCompleted({
      namespace: c.namespace,
      taskToken: task.taskToken,
      completedType: 1, // ANSWERED
      queryResult: { payloads: [c.dataConverter.payloadConverter.toPayload({ echoed: args })] },
    });
    expect(await answer).toEqual({ echoed: ["x", 3] });
    await expect(h.queryWithOptions("state", { arg: [] } as never)).rejects.toThrow("WorkflowQueryOptions: unknown option 'arg' (did you mean 'args'?)");
    await expect(h.queryWithOptions("state", { args: "x" } as never)).rejects.toThrow(/WorkflowQueryOptions.args: expected an array/);
    await h.terminate();
    // A closed run with NOT_OPEN, in both forms.
    const viaOfficial = await h.queryWithOptions("state", { queryRejectCondition: "NOT_OPEN" }).catch((e: unknown) => e);
    expect(viaOfficial).toBeInstanceOf(QueryRejectedError);
    const viaOurs = await h.queryWithOptions("state", [], { queryRejectCondition: "NOT_OPEN" }).catch((e: unknown) => e);
    expect(viaOurs).toBeInstanceOf(QueryRejectedError);
  });

  test("list({ query, pageSize }) pages through the matches; intoHistories() fetches their histories; bad options named", async () => {
    const c = await client();
    const type = uid("histType").replace(/-/g, "");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const h = await c.workflow.start(type, { workflowId: uid("hist"), taskQueue: "hist-tq", args: [i] });
      ids.push(h.workflowId);
      await h.terminate(`done ${i}`);
    }
    const query = `WorkflowType = '${type}'`;
    // Wait for the closed state too: a visibility row updated during paging can move between pages.
    await eventually(async () => (await c.workflow.count(`${query} AND ExecutionStatus = 'Terminated'`)).count === 3, "3 visible as terminated");
    const listed: string[] = [];
    for await (const info of c.workflow.list({ query, pageSize: 1 })) listed.push(info.workflowId);
    expect(listed.sort()).toEqual([...ids].sort());
    const histories: { workflowId: string; events: number; first?: string; last?: string }[] = [];
    for await (const { workflowId, history } of c.workflow.list({ query, pageSize: 2 }).intoHistories({ concurrency: 2 })) {
      const events = (history as { events: { attributes: { case?: string } }[] }).events;
      histories.push({ workflowId, events: events.length, first: events[0]?.attributes.case, last: events.at(-1)?.attributes.case });
    }
    expect(histories.map((h) => h.workflowId).sort()).toEqual([...ids].sort());
    for (const h of histories) {
      expect(h.first).toBe("workflowExecutionStartedEventAttributes");
      expect(h.last).toBe("workflowExecutionTerminatedEventAttributes");
    }
    expect(() => c.workflow.list({ query, pagesize: 2 } as never)).toThrow("ListOptions: unknown option 'pagesize' (did you mean 'pageSize'?)");
    expect(() => c.workflow.list({ pageSize: -1 })).toThrow(/ListOptions.pageSize: expected a non-negative integer, got -1/);
    expect(() => c.workflow.list({ query }).intoHistories({ concurrency: 0 })).toThrow(/IntoHistoriesOptions.concurrency/);
  });

  test("client.workflow.result(workflowId, runId?) as official", async () => {
    const c = await client();
    const taskQueue = uid("result-shape-tq");
    const h = await c.workflow.start("resultShape", { workflowId: uid("result-shape"), taskQueue });
    await respondWithCommand(c, taskQueue, completeCommand(c, { done: true }));
    expect(await c.workflow.result(h.workflowId)).toEqual({ done: true });
    expect(await c.workflow.result(h.workflowId, h.firstExecutionRunId, { followRuns: false })).toEqual({ done: true });
    const t = await c.workflow.start("resultShape", { workflowId: uid("result-shape-t"), taskQueue });
    await t.terminate("stop");
    expect(await c.workflow.result(t.workflowId).catch((e: unknown) => e)).toBeInstanceOf(WorkflowFailedError);
  });

  test("Connection.withApiKey: calls inside carry the key (and nest with withMetadata); an empty key is refused", async () => {
    const { address } = await testServer();
    const conn = await Connection.connect({ address });
    try {
      // The dev server does not check keys: this shows the header is accepted end to end by core
      // and the server (core sends a per-call authorization instead of the connection's key).
      const info = await conn.withApiKey("per-call-key", () => conn.withMetadata({ "x-extra": "1" }, () => conn.workflowService.getSystemInfo({})));
      expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(() => conn.withApiKey("", async () => 1)).toThrow(/withApiKey: expected a non-empty API key string/);
    } finally {
      await conn.close();
    }
  });

  test("withApiKey's key is the authorization header of the calls inside, instead of the connection's; apiKey as a function rotates (seen by a local gRPC server)", async () => {
    // The dev server checks no keys, so a local HTTP/2 server records the headers instead: it
    // answers GetSystemInfo (core calls it on connect) and fails every other call.
    const seen: { path: string; auth?: string; extra?: string }[] = [];
    const server = http2.createServer();
    server.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
      seen.push({ path: String(headers[":path"]), auth: headers.authorization as string | undefined, extra: headers["x-extra"] as string | undefined });
      stream.on("data", () => undefined);
      stream.on("end", () => {
        const ok = String(headers[":path"]).endsWith("/GetSystemInfo");
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers(ok ? { "grpc-status": "0" } : { "grpc-status": "12", "grpc-message": "probe" }));
        stream.end(ok ? Buffer.from([0, 0, 0, 0, 0]) : undefined); // one empty message
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as { port: number }).port;
    try {
      const conn = await Connection.connect({ address: `127.0.0.1:${port}`, apiKey: "connection-key", tls: false, connectTimeout: "5s" });
      try {
        const call = () => conn.workflowService.describeNamespace({ namespace: "x" });
        await expect(call()).rejects.toThrow(/UNIMPLEMENTED/);
        await expect(conn.withApiKey("per-call-key", () => conn.withMetadata({ "x-extra": "1" }, call))).rejects.toThrow(/UNIMPLEMENTED/);
        await expect(call()).rejects.toThrow(/UNIMPLEMENTED/);
      } finally {
        await conn.close();
      }
      // apiKey as a function (official): called before each call; a new key is used at once.
      let key = "rotating-1";
      const rotating = await Connection.connect({ address: `127.0.0.1:${port}`, apiKey: () => key, tls: false, connectTimeout: "5s" });
      try {
        await expect(rotating.workflowService.describeNamespace({ namespace: "r1" })).rejects.toThrow(/UNIMPLEMENTED/);
        key = "rotating-2";
        await expect(rotating.workflowService.describeNamespace({ namespace: "r2" })).rejects.toThrow(/UNIMPLEMENTED/);
        rotating.setApiKey("fixed");
        await expect(rotating.workflowService.describeNamespace({ namespace: "r3" })).rejects.toThrow(/UNIMPLEMENTED/);
        expect(() => rotating.setApiKey("")).toThrow(/setApiKey: expected a non-empty string or a function/);
      } finally {
        await rotating.close();
      }
    } finally {
      server.close();
    }
    const rotated = seen.filter((s) => s.path.endsWith("/DescribeNamespace")).slice(3).map((s) => s.auth);
    expect(rotated).toEqual(["Bearer rotating-1", "Bearer rotating-2", "Bearer fixed"]);
    const described = seen.filter((s) => s.path.endsWith("/DescribeNamespace")).slice(0, 3);
    expect(described).toEqual([
      { path: "/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace", auth: "Bearer connection-key", extra: undefined },
      { path: "/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace", auth: "Bearer per-call-key", extra: "1" },
      { path: "/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace", auth: "Bearer connection-key", extra: undefined },
    ]);
  });

  test("a lazy connection connects on ensureConnected(); client.workflowService is the connection's", async () => {
    const { address, namespace } = await testServer();
    const conn = Connection.lazy({ address });
    try {
      await conn.ensureConnected();
      await conn.ensureConnected(); // idempotent
      const c = new Client({ connection: conn, namespace });
      expect(c.workflowService).toBe(conn.workflowService);
      expect((await c.workflowService.describeNamespace({ namespace })).namespaceInfo?.name).toBe(namespace);
    } finally {
      await conn.close();
    }
  });

  test("operatorService.addSearchAttributes registers a search attribute that workflows can then use", async () => {
    const c = await client();
    const name = `Shape${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
    await c.connection.operatorService.addSearchAttributes({ namespace: c.namespace, searchAttributes: { [name]: 2 } }); // KEYWORD
    const listed = await eventually(async () => {
      const r = await c.connection.operatorService.listSearchAttributes({ namespace: c.namespace });
      return r.customAttributes[name] !== undefined ? r : undefined;
    }, `${name} listed`);
    expect(listed.customAttributes[name]).toBe(2);
    const h = await c.workflow.start("saShape", { workflowId: uid("sa-shape"), taskQueue: "sa-shape-tq", searchAttributes: { [name]: ["v"] } });
    expect((await h.describe()).searchAttributes[name]).toEqual(["v"]);
    await h.terminate();
  });
});
