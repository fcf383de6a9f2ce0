/**
 * The workflow side of the worker: bundle workflow code, run activations in the sandbox.
 *
 * How the worker loop uses it:
 *
 *   const bundle = await bundleWorkflowCode({ workflowsPath });        // once, at start
 *   const runtime = createWorkflowRuntime({ bundle, namespace, taskQueue,
 *     payloadConverter, failureConverter, logger, deadlockTimeoutMs: 2000 });
 *   // for each activation polled from core (payloads already codec-decoded):
 *   const completion = await runtime.activate(activation);          // never rejects for
 *   // workflow errors; a failed completion means "fail this workflow task"
 *   // … encode the completion's payloads, complete it with core …
 *   runtime.cachedRunCount;  runtime.evict(runId);  runtime.dispose();
 *
 * Activations of one run must be passed one at a time, in order; different runs may be
 * passed concurrently (they are queued and processed one after another).
 */
export {
  bundleWorkflowCode,
  converterMismatchWarning,
  hostConvertersForWorkflows,
  parseWorkflowBundle,
  workflowBundleFor,
  WorkflowBundleError,
  checkWorkflowBundleOption,
  type BundleOptions,
  type WorkflowBundle,
  type WorkflowBundleOption,
  type WorkflowBundlePath,
  type WorkflowBundlePathWithSourceMap,
  type WorkflowBundleWithSourceMap,
} from "./bundler.js";
export { createWorkflowRuntime, type WorkflowRuntime, type WorkflowRuntimeOptions } from "./runtime.js";
export { WorkflowDeadlockError } from "./sandbox.js";
