/**
 * Updates across the two SDKs. The update suite (tests/e2e/updates-client.suite.ts: our client
 * sending updates) runs on the official SDK 1.24's worker on Node (tools/compat/node-worker.mjs
 * running tests/e2e/fixtures/update-workflows.ts, its `temporal-bun-sdk/workflow` import mapped
 * to @temporalio/workflow): every assertion our worker meets, the official one meets too, and
 * every history it writes replays on ours. Then the suite runs on our worker and every history
 * ours writes is replayed on the official SDK.
 */
import { expect, test } from "bun:test";
import type { History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { ensureOfficialSdk } from "../../tools/official-sdk.js";
import { fixture, startWorker } from "../e2e/helpers.js";
import { updatesClientSuite } from "../e2e/updates-client.suite.js";
import { replayOnOfficial, startOfficialWorker } from "./official-worker.js";

const FILE = "update-workflows.ts";

updatesClientSuite("official worker", async () => startOfficialWorker(await ensureOfficialSdk(), fixture(FILE), "updates"));

const ours: { workflowId: string; history: History }[] = [];
updatesClientSuite("our worker, for the official replayer", () => startWorker(FILE), (workflowId, history) => ours.push({ workflowId, history }));

test("every history our worker wrote in the suite replays on the official SDK", async () => {
  expect(ours.length).toBeGreaterThanOrEqual(8);
  const verdicts = await replayOnOfficial(await ensureOfficialSdk(), fixture(FILE), ours);
  expect(verdicts.map((v) => v.workflowId)).toEqual(ours.map((h) => h.workflowId));
  expect(verdicts.filter((v) => v.error !== undefined)).toEqual([]);
}, 120_000);
