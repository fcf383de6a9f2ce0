/**
 * The README's "run" command (`./dev sample`): the vertical slice through every layer that
 * exists today.
 *
 *  1. Use the Temporal server at TEMPORAL_ADDRESS, or start the dev server (the CLI that
 *     `./dev setup` built) through core's ephemeral-server API on a free loopback port.
 *  2. Load the native bridge and check its ABI version.
 *  3. Create a core runtime, connect through core's gRPC client.
 *  4. Call GetSystemInfo and DescribeNamespace and print the answers.
 *  5. Start a Worker with samples/workflows.ts and samples/activities.ts, run the `greet`
 *     workflow through gRPC, print its result, shut the worker down (two-phase).
 *
 * Exit code 0 on success; on failure one line naming what failed and how to fix it.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  NativeClient,
  NativeEphemeralServer,
  NativeRuntime,
  bridgeVariant,
  loadNativeLibrary,
} from "../src/bridge/index.js";
import {
  DescribeNamespaceRequestSchema,
  DescribeNamespaceResponseSchema,
  GetSystemInfoRequestSchema,
  GetSystemInfoResponseSchema,
  GetWorkflowExecutionHistoryRequestSchema,
  GetWorkflowExecutionHistoryResponseSchema,
  StartWorkflowExecutionRequestSchema,
  StartWorkflowExecutionResponseSchema,
} from "../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { HistoryEventFilterType } from "../src/proto/temporal/api/enums/v1/workflow_pb.js";
import { defaultPayloadConverter } from "../src/common/index.js";
import type { Payload } from "../src/proto/temporal/api/common/v1/message_pb.js";
import { NativeConnection, Worker } from "../src/worker/index.js";
import * as activities from "./activities.js";

const namespace = process.env.TEMPORAL_NAMESPACE ?? "default";

async function main(): Promise<void> {
  const started = performance.now();
  const lib = loadNativeLibrary();
  console.log(`bridge: ${bridgeVariant()} variant, ${lib.path} (ABI ${lib.abiVersion})`);

  const runtime = NativeRuntime.create({ logging: { filter: "warn", forward: true } });
  let server: NativeEphemeralServer | undefined;
  let client: NativeClient | undefined;
  try {
    let address = process.env.TEMPORAL_ADDRESS;
    if (!address) {
      const cli = process.env.TEMPORAL_CLI_PATH;
      if (!cli) throw new Error("TEMPORAL_ADDRESS is not set and neither is TEMPORAL_CLI_PATH: run this through `./dev sample`");
      const t0 = performance.now();
      server = await NativeEphemeralServer.startDev(runtime, { existingPath: cli, ip: "127.0.0.1", namespace, logLevel: "error" });
      address = server.target;
      console.log(`dev server: started at ${address} in ${(performance.now() - t0).toFixed(0)} ms`);
    } else {
      console.log(`server: using TEMPORAL_ADDRESS=${address}`);
    }

    client = await NativeClient.connect(runtime, { targetUrl: address });
    const info = fromBinary(
      GetSystemInfoResponseSchema,
      await client.rpc("workflow", "GetSystemInfo", toBinary(GetSystemInfoRequestSchema, create(GetSystemInfoRequestSchema))),
    );
    console.log(`GetSystemInfo: server version ${info.serverVersion}; capabilities:`, info.capabilities ? Object.entries(info.capabilities).filter(([k, v]) => k !== "$typeName" && v === true).map(([k]) => k).join(", ") : "none");

    const ns = fromBinary(
      DescribeNamespaceResponseSchema,
      await client.rpc("workflow", "DescribeNamespace", toBinary(DescribeNamespaceRequestSchema, create(DescribeNamespaceRequestSchema, { namespace }))),
    );
    const retentionS = ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0n;
    console.log(`DescribeNamespace: ${ns.namespaceInfo?.name} (id ${ns.namespaceInfo?.id}), retention ${Number(retentionS) / 3600} h`);

    await runSampleWorkflow(address);
    console.log(`sample: ok in ${(performance.now() - started).toFixed(0)} ms`);
  } finally {
    client?.free();
    await server?.shutdown();
    runtime.free();
  }
}

/** A worker for samples/ and one `greet` workflow run through it, then a clean shutdown. */
async function runSampleWorkflow(address: string): Promise<void> {
  const connection = await NativeConnection.connect({ address });
  try {
    const taskQueue = `sample-${crypto.randomUUID()}`;
    const t0 = performance.now();
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      workflowsPath: new URL("./workflows.ts", import.meta.url).pathname,
      activities,
    });
    console.log(`worker: created for task queue ${taskQueue} in ${(performance.now() - t0).toFixed(0)} ms (bundle, validate)`);
    const result = await worker.runUntil(async () => {
      const client = connection.nativeClient;
      const workflowId = `greet-${crypto.randomUUID()}`;
      const start = create(StartWorkflowExecutionRequestSchema, {
        namespace,
        workflowId,
        workflowType: { name: "greet" },
        taskQueue: { name: taskQueue },
        input: { payloads: [defaultPayloadConverter.toPayload("Bun") as Payload] },
        requestId: crypto.randomUUID(),
      });
      const t1 = performance.now();
      fromBinary(StartWorkflowExecutionResponseSchema, await client.rpc("workflow", "StartWorkflowExecution", toBinary(StartWorkflowExecutionRequestSchema, start)));
      for (;;) {
        const req = create(GetWorkflowExecutionHistoryRequestSchema, { namespace, execution: { workflowId }, waitNewEvent: true, historyEventFilterType: HistoryEventFilterType.CLOSE_EVENT });
        const res = fromBinary(GetWorkflowExecutionHistoryResponseSchema, await client.rpc("workflow", "GetWorkflowExecutionHistory", toBinary(GetWorkflowExecutionHistoryRequestSchema, req)));
        const a = res.history?.events.at(-1)?.attributes;
        if (a === undefined) continue;
        if (a.case !== "workflowExecutionCompletedEventAttributes") throw new Error(`workflow ${workflowId} closed with ${a.case}`);
        const payload = a.value.result?.payloads[0];
        console.log(`workflow: greet("Bun") completed in ${(performance.now() - t1).toFixed(0)} ms`);
        return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
      }
    });
    console.log(`workflow result: ${JSON.stringify(result)}`);
    console.log(`worker: ${worker.getState()}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`sample failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
