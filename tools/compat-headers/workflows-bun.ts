// Workflow run by the temporal-bun-sdk worker in tools/compat-headers.ts: returns its type and
// arguments (it runs only if the worker decoded the activation without touching the header).
import { workflowInfo } from "../../src/workflow/index.js";

export default async function echo(...args: unknown[]): Promise<{ workflowType: string; args: unknown[] }> {
  return { workflowType: workflowInfo().workflowType, args };
}
