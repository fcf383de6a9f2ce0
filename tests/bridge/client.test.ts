import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { NativeBridgeError, NativeClient, NativeErrorCode, NativeRuntime } from "../../src/bridge/index.js";
import {
  DescribeNamespaceRequestSchema,
  DescribeNamespaceResponseSchema,
  GetSystemInfoRequestSchema,
  GetSystemInfoResponseSchema,
} from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { testRuntime, testServer } from "../helpers/dev-server.js";

const getSystemInfo = toBinary(GetSystemInfoRequestSchema, create(GetSystemInfoRequestSchema, {}));

describe("client through core", () => {
  test("connects to the dev server and gets a real RPC answer", async () => {
    const { address } = await testServer();
    const client = await NativeClient.connect(testRuntime(), { targetUrl: address, identity: "bridge-test" });
    try {
      const info = fromBinary(GetSystemInfoResponseSchema, await client.rpc("workflow", "GetSystemInfo", getSystemInfo));
      expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
      const ns = fromBinary(
        DescribeNamespaceResponseSchema,
        await client.rpc("workflow", "DescribeNamespace", toBinary(DescribeNamespaceRequestSchema, create(DescribeNamespaceRequestSchema, { namespace: "default" }))),
      );
      expect(ns.namespaceInfo?.name).toBe("default");
    } finally {
      client.free();
    }
  });

  test("an RPC error carries the gRPC status and details", async () => {
    const { address } = await testServer();
    const client = await NativeClient.connect(testRuntime(), { targetUrl: address });
    try {
      const req = toBinary(DescribeNamespaceRequestSchema, create(DescribeNamespaceRequestSchema, { namespace: "no-such-namespace" }));
      const err = await client.rpc("workflow", "DescribeNamespace", req).catch((e) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
      expect(err.code).toBe(NativeErrorCode.rpc);
      expect(err.details.grpcStatus).toBe(5); // NOT_FOUND
      expect(err.message).toContain("no-such-namespace");
    } finally {
      client.free();
    }
  });

  test("an unknown RPC method is an error, not a crash", async () => {
    const { address } = await testServer();
    const client = await NativeClient.connect(testRuntime(), { targetUrl: address });
    try {
      const err = await client.rpc("workflow", "NoSuchMethod", getSystemInfo).catch((e) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
      expect(err.message).toContain("NoSuchMethod");
    } finally {
      client.free();
    }
  });

  test("an RPC can be cancelled through an AbortSignal", async () => {
    const { address } = await testServer();
    const client = await NativeClient.connect(testRuntime(), { targetUrl: address });
    try {
      // A long poll that would otherwise wait ~60 s on an empty task queue.
      const { PollActivityTaskQueueRequestSchema } = await import("../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js");
      const req = toBinary(
        PollActivityTaskQueueRequestSchema,
        create(PollActivityTaskQueueRequestSchema, { namespace: "default", taskQueue: { name: `cancel-${crypto.randomUUID()}` } }),
      );
      const controller = new AbortController();
      const started = performance.now();
      const call = client.rpc("workflow", "PollActivityTaskQueue", req, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const err = await call.catch((e) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
      expect(err.code).toBe(NativeErrorCode.cancelled);
      expect(err.details.grpcStatus).toBe(1); // CANCELLED
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      client.free();
    }
  });

  test("connecting where nothing listens fails with a typed error naming the address, quickly", async () => {
    const started = performance.now();
    const err = await NativeClient.connect(testRuntime(), { targetUrl: "127.0.0.1:1" }, 5_000).catch((e) => e);
    expect(err).toBeInstanceOf(NativeBridgeError);
    expect(err.message).toContain("127.0.0.1:1");
    expect(performance.now() - started).toBeLessThan(5_500);
  });

  test("a malformed address is rejected before any network I/O", async () => {
    const err = await NativeClient.connect(testRuntime(), { targetUrl: "http://exa mple:7233" }).catch((e) => e);
    expect(err).toBeInstanceOf(NativeBridgeError);
    expect(err.code).toBe(NativeErrorCode.malformed_options);
  });

  test("metadata and API key can be updated on a live client", async () => {
    const { address } = await testServer();
    const client = await NativeClient.connect(testRuntime(), { targetUrl: address, metadata: { "x-test": "1" } });
    try {
      client.updateMetadata({ "x-test": "2", "x-other": "y" });
      client.updateApiKey("");
      const info = fromBinary(GetSystemInfoResponseSchema, await client.rpc("workflow", "GetSystemInfo", getSystemInfo, { metadata: { "x-call": "z" } }));
      expect(info.serverVersion).toBeTruthy();
      expect(() => client.updateMetadata({ "bad\nkey": "v" })).toThrow(/newline/);
    } finally {
      client.free();
    }
  });

  test("freeing the runtime while a client uses it is safe: the client keeps it alive", async () => {
    const { address } = await testServer();
    const rt = NativeRuntime.create({});
    const client = await NativeClient.connect(rt, { targetUrl: address });
    rt.free();
    const info = fromBinary(GetSystemInfoResponseSchema, await client.rpc("workflow", "GetSystemInfo", getSystemInfo));
    expect(info.serverVersion).toBeTruthy();
    client.free();
  });
});
