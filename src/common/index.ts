/**
 * `temporal-bun-sdk/common`: data conversion (payload converters, codecs, the payload
 * visitor), failures and the failure converter, durations. Names follow @temporalio/common.
 *
 * Everything reachable from this file is pure and deterministic (no node:* or Bun APIs, no
 * timers, no I/O): workflow code sees it through `temporal-bun-sdk/workflow`. The gzip codec
 * (./gzip-codec.ts) and environment config (./config.ts) are separate modules for that reason.
 */
export { CompleteAsyncError, IllegalStateError, NamespaceNotFoundError, PayloadConverterError, ValueError, WorkflowNotFoundError } from "./errors.js";
// Every official enum-like constant (and its codec), defined once. Also the constants that the
// official SDK exports from /workflow or /client only: workflow code reaches src/common only
// through this index (the bundler maps every src/common import to it), so they live here too.
export * from "./enums.js";
export { ActivityCancellationDetails, type ActivityCancellationDetailsOptions } from "./activity-cancellation-details.js";
export {
  decodeTypedSearchAttributes,
  decodeUntypedSearchAttributes,
  defineSearchAttributeKey,
  encodeUnifiedSearchAttributes,
  isValidValueForType,
  TypedSearchAttributes,
  type SearchAttributeKey,
  type SearchAttributePair,
  type SearchAttributes,
  type SearchAttributeUpdatePair,
  type SearchAttributeValue,
  type TypedSearchAttributeValueOf,
} from "./search-attributes.js";
export { checkOptions, sortOptions, type OptionsShape } from "./option-check.js";
export { composeInterceptors, type Next } from "./interceptors.js";
export { LoggerWithComposedMetadata, type LogMetaOrFunc } from "./logger.js";
export { convertDeploymentVersion, errorCode, errorMessage, extractWorkflowType, str, toCanonicalString, u8, type WorkerDeploymentVersion } from "./official-helpers.js";
export type {
  ActivityFunction,
  ActivityInterface,
  ActivityOptions,
  Headers,
  HistoryAndWorkflowId,
  LocalActivityOptions,
  Logger,
  LogLevel,
  LogMetadata,
  QueryDefinition,
  QueryDefinitionOptions,
  SignalDefinition,
  SignalDefinitionOptions,
  Timestamp,
  UntypedActivities,
  UpdateDefinition,
  UpdateDefinitionOptions,
  WorkflowUpdateAnnotatedType,
  WorkflowUpdateType,
  WorkflowUpdateValidatorType,
  Workflow,
  WorkflowQueryType,
  WorkflowResultType,
  WorkflowReturnType,
  WorkflowSignalType,
} from "./interfaces.js";
export {
  ActivityFailure,
  ApplicationFailure,
  ApplicationFailureCategory,
  CancelledFailure,
  ChildWorkflowFailure,
  createPayloadValidationError,
  decodeApplicationFailureCategory,
  decodeRetryState,
  decodeTimeoutType,
  encodeApplicationFailureCategory,
  encodeRetryState,
  encodeTimeoutType,
  ensureApplicationFailure,
  ensureTemporalFailure,
  FAILURE_SOURCE,
  RetryState,
  rootCause,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  TimeoutType,
  WorkflowExecutionAlreadyStartedError,
  type ApplicationFailureOptions,
  type ProtoFailure,
  type WorkflowExecution,
} from "./failure.js";
export {
  DefaultFailureConverter,
  type DefaultEncodedFailureAttributes,
  type DefaultFailureConverterOptions,
  type FailureConverter,
} from "./failure-converter.js";
export {
  argumentsToPayloads,
  arrayFromPayloads,
  assertJsonFaithful,
  BinaryPayloadConverter,
  CompositePayloadConverter,
  DefaultPayloadConverter,
  defaultPayloadConverter,
  encodingKeys,
  encodingTypes,
  fromPayloadsAtIndex,
  isUint8Array,
  JsonPayloadConverter,
  makePayload,
  mapFromPayloads,
  mapToPayloads,
  METADATA_ENCODING_KEY,
  METADATA_MESSAGE_TYPE_KEY,
  payloadEncoding,
  RawValue,
  convertOptionalToPayload,
  toPayloads,
  UndefinedPayloadConverter,
  type EncodingType,
  type Payload,
  type PayloadConverter,
  type PayloadConverterWithEncoding,
} from "./payload-converter.js";
export {
  DefaultPayloadConverterWithProtobufs,
  DefaultPayloadConverterWithProtobufsEs,
  ProtobufBinaryPayloadConverter,
  ProtobufEsBinaryPayloadConverter,
  ProtobufEsJsonPayloadConverter,
  ProtobufJsonPayloadConverter,
  type DefaultPayloadConverterWithProtobufsOptions,
  type ProtobufEsRegistryInput,
} from "./protobuf-payload-converters.js";
export { asPayload, decodePayloads, encodePayloads, type PayloadCodec } from "./payload-codec.js";
export {
  converterFromModule,
  defaultDataConverter,
  defaultFailureConverter,
  loadDataConverter,
  type ConverterModuleLoader,
  type ConverterPathOption,
  type DataConverter,
  type LoadedDataConverter,
} from "./data-converter.js";
export {
  collectPayloads,
  decodePayloadsInMessage,
  encodePayloadsInMessage,
  visitPayloads,
  type VisitPayloadsOptions,
} from "./payload-visitor.js";
export {
  dateToTs,
  msNumberToTs,
  msOptionalToNumber,
  msOptionalToTs,
  msToNumber,
  msToTs,
  optionalDateToTs,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToDate,
  requiredTsToMs,
  tsToDate,
  tsToMs,
  type Duration,
  type TimestampLike,
} from "./time.js";
export {
  compilePriority,
  compileRetryPolicy,
  decodePriority,
  decompileRetryPolicy,
  durationOptionToMs,
  durationOptionToTs,
  type CompiledPriority,
  type CompiledRetryPolicy,
  type Priority,
  type RetryPolicy,
} from "./retry-policy.js";
export {
  MetricMeterWithComposedTags,
  noopMetricMeter,
  type Metric,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricKind,
  type MetricMeter,
  type MetricTags,
  type MetricTagsOrFunc,
  type MetricUpDownCounter,
  type NumericMetricValueType,
} from "./metrics.js";
