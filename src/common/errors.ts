/**
 * Errors raised by data conversion itself (not failures that travel over the wire: those
 * are in failure.ts). Names follow @temporalio/common.
 */
import { markErrorClass } from "./type-helpers.js";

/** A value is not acceptable: a payload that cannot be made or read, a bad duration, … */
export class ValueError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? undefined, options);
  }
}
markErrorClass(ValueError, "ValueError");

/** A payload converter could not convert a value to a payload, or a payload to a value. */
export class PayloadConverterError extends ValueError {}
markErrorClass(PayloadConverterError, "PayloadConverterError");
