/**
 * `temporal-bun-sdk/workflow`: the only module workflow code imports. Names and semantics
 * follow @temporalio/workflow, so workflow code moves over with an import change.
 */
export {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from "../common/index.js";
export * from "../common/index.js";
export { CancellationScope, type CancellationScopeOptions } from "./cancellation-scope.js";
export { ContinueAsNew, DeterminismViolationError, IllegalStateError, WorkflowError, isCancellation } from "./errors.js";
export {
  ActivityCancellationType,
  type ActivityFunction,
  type ActivityInterface,
  type ActivityInterfaceFor,
  type ActivityOptions,
  type ContinueAsNewOptions,
  type EnhancedStackTrace,
  type RootWorkflowInfo,
  type StackTrace,
  type StackTraceFileLocation,
  type StackTraceFileSlice,
  type StackTraceSDKInfo,
  type DefaultQueryHandler,
  type DefaultSignalHandler,
  type DefaultUpdateHandler,
  type UpdateHandlerOptions,
  type UpdateInfo,
  type UpdateValidator,
  type Duration,
  type Handler,
  type LocalActivityOptions,
  type Logger,
  type ParentWorkflowInfo,
  type QueryDefinition,
  type QueryDefinitionOptions,
  type QueryHandlerOptions,
  type SignalDefinitionOptions,
  type SignalHandlerOptions,
  type TimerOptions,
  type RetryPolicy,
  type SignalDefinition,
  type UntypedActivities,
  type Workflow,
  type WorkflowInfo,
  type WorkflowQueryType,
  type WorkflowResultType,
  type WorkflowReturnType,
  type WorkflowSignalType,
} from "./interfaces.js";
export {
  addDefaultWorkflowOptions,
  executeChild,
  getExternalWorkflowHandle,
  startChild,
  type ChildWorkflowHandle,
  type ChildWorkflowOptions,
  type ChildWorkflowOptionsWithDefaults,
  type ExternalWorkflowHandle,
  type WithWorkflowArgs,
} from "./child-workflow.js";
export { log } from "./logs.js";
export { Trigger } from "./trigger.js";
export {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineQuery,
  defineSignal,
  defineUpdate,
  deprecatePatch,
  enhancedStackTraceQuery,
  getCurrentDetails,
  inWorkflowContext,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  proxyLocalActivities,
  scheduleActivity,
  scheduleLocalActivity,
  setDefaultQueryHandler,
  setCurrentDetails,
  setDefaultSignalHandler,
  setDefaultUpdateHandler,
  setHandler,
  sleep,
  stackTraceQuery,
  uuid4,
  workflowInfo,
  workflowMetadataQuery,
} from "./workflow.js";
export { getRandomStream, workflowRandom, type WorkflowRandomStream } from "./random-streams.js";
export { upsertMemo, upsertSearchAttributes } from "./upserts.js";
export type { UnsafeRandomSource, UnsafeWorkflowInfo } from "./interfaces.js";
