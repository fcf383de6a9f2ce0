/**
 * `temporal-bun-sdk/activity`: what activity code imports (same names as @temporalio/activity).
 *
 *   import { Context, heartbeat, sleep, activityInfo } from "temporal-bun-sdk/activity";
 *
 * Activities run in the worker's main realm with full access to I/O; the Context is found
 * through AsyncLocalStorage, so the helpers work anywhere below the activity function.
 */
export {
  Context,
  CompleteAsyncError,
  activityInfo,
  asyncLocalStorage,
  cancellationDetails,
  cancellationSignal,
  cancelled,
  heartbeat,
  log,
  metricMeter,
  sleep,
  type ActivityCancellationDetails,
  type ActivityLogger,
  type CancelReason,
  type Info,
} from "./context.js";
export { ApplicationFailure, CancelledFailure, type ActivityFunction, type ActivityInterface, type UntypedActivities } from "../common/index.js";
