/**
 * `proxySinks<T>()`, as @temporalio/workflow: calls from workflow code to functions the Worker
 * injects (`WorkerOptions.sinks`). A call is recorded, with a copy of its arguments and the
 * run's WorkflowInfo at that moment, and delivered by the worker after the activation
 * completes — during replay only to sink functions with `callDuringReplay: true`. A sink
 * function that throws is logged by the worker and never fails the workflow.
 */
import { getActivator } from "./activator.js";
import type { Sinks } from "./interceptors.js";

export function proxySinks<T extends Sinks>(): T {
  return new Proxy(
    {},
    {
      get(_, ifaceName) {
        return new Proxy(
          {},
          {
            get(_, fnName) {
              return (...args: unknown[]) => {
                const a = getActivator();
                a.sinkCalls.push({
                  ifaceName: String(ifaceName),
                  fnName: String(fnName),
                  // Delivered later: a copy, so later changes to the arguments do not show.
                  args: cloneArgs(args),
                  // The info object is replaced, never changed, when the run's state changes.
                  workflowInfo: a.info!,
                });
              };
            },
          },
        );
      },
    },
  ) as T;
}

function cloneArgs(args: unknown[]): unknown[] {
  const clone = (globalThis as { structuredClone?: <V>(v: V) => V }).structuredClone;
  return clone ? clone(args) : args;
}
