import { describe, expect, test } from "bun:test";
import { Connection, ConnectionError, ServiceError } from "../../src/client/index.js";
import { testServer } from "../helpers/dev-server.js";

describe("Connection", () => {
  test("connects and makes typed raw RPCs through workflowService", async () => {
    const { address } = await testServer();
    const conn = await Connection.connect({ address });
    try {
      const info = await conn.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
      const ns = await conn.workflowService.describeNamespace({ namespace: "default" });
      expect(ns.namespaceInfo?.name).toBe("default");
      const health = await conn.healthService.check({ service: "temporal.api.workflowservice.v1.WorkflowService" });
      expect(health.status).toBe(1); // SERVING
      const sa = await conn.operatorService.listSearchAttributes({ namespace: "default" });
      expect(Object.keys(sa.systemAttributes)).toContain("WorkflowId");
    } finally {
      await conn.close();
    }
  });

  test("an RPC failure is a ServiceError with the gRPC status", async () => {
    const { address } = await testServer();
    const conn = await Connection.connect({ address });
    try {
      const err = await conn.workflowService.describeNamespace({ namespace: "no-such-namespace" }).catch((e) => e);
      expect(err).toBeInstanceOf(ServiceError);
      expect(err.code).toBe(5);
      expect(err.codeName).toBe("NOT_FOUND");
      expect(err.message).toContain("no-such-namespace");
      expect(err.details.map((d: { $typeName: string }) => d.$typeName)).toContain("temporal.api.errordetails.v1.NamespaceNotFoundFailure");
    } finally {
      await conn.close();
    }
  });

  test("withDeadline bounds a long poll; withAbortSignal cancels it", async () => {
    const { address } = await testServer();
    const conn = await Connection.connect({ address });
    try {
      const poll = () => conn.workflowService.pollActivityTaskQueue({ namespace: "default", taskQueue: { name: `idle-${crypto.randomUUID()}` } });
      let t0 = performance.now();
      // The server answers a long poll with an empty response shortly before its deadline
      // (or DEADLINE_EXCEEDED): either way the call ends near the deadline, not after ~60 s.
      const r1 = await conn.withDeadline(Date.now() + 3_000, poll).catch((e) => e);
      if (r1 instanceof Error) expect((r1 as ServiceError).codeName).toBe("DEADLINE_EXCEEDED");
      else expect(r1.taskToken.length).toBe(0);
      expect(performance.now() - t0).toBeLessThan(5_000);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      t0 = performance.now();
      const e2 = await conn.withAbortSignal(ac.signal, poll).catch((e) => e);
      expect(e2).toBeInstanceOf(ServiceError);
      expect(e2.codeName).toBe("CANCELLED");
      expect(performance.now() - t0).toBeLessThan(5_000);
    } finally {
      await conn.close();
    }
  });

  test("a dead port fails within connectTimeout with a ConnectionError naming the address", async () => {
    const t0 = performance.now();
    const err = await Connection.connect({ address: "127.0.0.1:1", connectTimeout: "2s" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain("127.0.0.1:1");
    expect(err.address).toBe("127.0.0.1:1");
    expect(performance.now() - t0).toBeLessThan(4_000);
  });

  test("an unroutable address fails within connectTimeout", async () => {
    const t0 = performance.now();
    const err = await Connection.connect({ address: "10.255.255.1:7233", connectTimeout: 1000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain("10.255.255.1:7233");
    expect(performance.now() - t0).toBeLessThan(3_000);
  });

  test("bad options are TypeErrors naming the option", () => {
    expect(() => Connection.lazy({ address: "a b" })).toThrow(/ConnectionOptions.address/);
    expect(() => Connection.lazy({ connectTimeout: "soon" })).toThrow(/ConnectionOptions.connectTimeout/);
    expect(() => Connection.lazy({ tls: 5 as never })).toThrow(/ConnectionOptions.tls/);
    expect(Connection.lazy({ address: "example.com" }).options.address).toBe("example.com:7233");
    expect(Connection.lazy({ apiKey: "k" }).options.tls).toEqual({});
  });

  test("a closed connection refuses calls with a ConnectionError", async () => {
    const { address } = await testServer();
    const conn = await Connection.connect({ address });
    await conn.close();
    const err = await conn.workflowService.getSystemInfo().catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain("closed");
  });
});
