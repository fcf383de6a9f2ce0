/**
 * The README's "run" command (`./dev sample`): the vertical slice through every layer that
 * exists today.
 *
 *  1. Use the Temporal server at TEMPORAL_ADDRESS, or start the dev server (the CLI that
 *     `./dev setup` built) through core's ephemeral-server API on a free loopback port.
 *  2. Load the native bridge and check its ABI version.
 *  3. Create a core runtime, connect through core's gRPC client.
 *  4. Call GetSystemInfo and DescribeNamespace and print the answers.
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
} from "../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";

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
    console.log(`sample: ok in ${(performance.now() - started).toFixed(0)} ms`);
  } finally {
    client?.free();
    await server?.shutdown();
    runtime.free();
  }
}

main().catch((err: unknown) => {
  console.error(`sample failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
