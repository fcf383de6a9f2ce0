/** Retry policy of an activity or a workflow, in the official SDK's shape. Sandbox-safe. */
import type { Duration } from "./time.js";

export interface RetryPolicy {
  initialInterval?: Duration;
  /** Must be >= 1 when set. */
  backoffCoefficient?: number;
  maximumInterval?: Duration;
  /** 0 (default) = unlimited. */
  maximumAttempts?: number;
  nonRetryableErrorTypes?: string[];
}
