/**
 * The pieces of src/common the client uses, in one place. src/common had not landed when
 * the client was written; until it does, a minimal stand-in (./common-fallback.ts) provides
 * them. Switching to src/common is a change to this file only.
 */
export {
  ApplicationFailure,
  ActivityFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  DefaultFailureConverter,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  defaultPayloadConverter,
  type FailureConverter,
  type PayloadCodec,
  type PayloadConverter,
} from "./common-fallback.js";
