// Workflow run by the official worker (Node) in tools/compat-headers.ts (`temporal-bun-sdk/workflow`
// is aliased to @temporalio/workflow there, as in tools/compat): schedules an activity
// on the temporal-bun-sdk activity worker; interceptors-official.ts adds a header to it.
import { proxyActivities } from "temporal-bun-sdk/workflow";

const { echoHeaders } = proxyActivities<{ echoHeaders(x: string): Promise<unknown> }>({
  startToCloseTimeout: "20s",
  taskQueue: "compat-headers-activities",
  retry: { maximumAttempts: 1 },
});

export async function callsBunActivity(): Promise<unknown> {
  return await echoHeaders("from-official-workflow");
}
