// Types of update-client-scenarios.mjs (plain JS so that node runs it too).
export declare function describeError(e: unknown): Record<string, unknown>;
export declare function runUpdateScenarios(options: {
  client: unknown;
  WithStartWorkflowOperation: unknown;
  taskQueue: string;
  prefix: string;
}): Promise<Record<string, unknown>>;
