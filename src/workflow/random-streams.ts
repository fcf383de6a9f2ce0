/**
 * Named random streams (`getRandomStream`, `workflowRandom`; experimental in the official SDK
 * 1.24 too): deterministic entropy for plugins and interceptors that does not consume the
 * workflow's `Math.random()` stream. Derived from the run's seed as the official SDK derives
 * them (random.ts), so the values match on both SDKs.
 */
import { maybeGetActivator, type Activator } from "./activator.js";
import { IllegalStateError } from "./errors.js";
import { fillWithRandom, uuid4FromRandom } from "./random.js";

/** @experimental */
export interface WorkflowRandomStream {
  /** The next number of this stream, like `Math.random()`. */
  random(): number;
  /** A v4 UUID drawn from this stream. */
  uuid4(): string;
  /** Fill `bytes` from this stream (one draw per byte). */
  fill(bytes: Uint8Array): Uint8Array;
  /** Run `fn` with `Math.random()` and `uuid4()` drawing from this stream, through its awaits too. */
  with<T>(fn: () => T): T;
}

function activatorOrThrow(message: string): Activator {
  const activator = maybeGetActivator();
  if (activator === undefined) throw new IllegalStateError(message);
  return activator;
}

class NamedRandomStream implements WorkflowRandomStream {
  constructor(
    private readonly activator: Activator,
    private readonly name: string,
  ) {}
  // Looked up on every draw: UpdateRandomSeed replaces the generator behind the name.
  random(): number {
    return this.activator.getNamedRandom(this.name)();
  }
  uuid4(): string {
    return uuid4FromRandom(() => this.random());
  }
  fill(bytes: Uint8Array): Uint8Array {
    return fillWithRandom(() => this.random(), bytes);
  }
  with<T>(fn: () => T): T {
    return this.activator.withCurrentRandom(this, fn);
  }
}

const DEFAULT_STREAM_MESSAGE = "Workflow.workflowRandom may only be used from workflow context.";

class MainRandomStream implements WorkflowRandomStream {
  random(): number {
    return activatorOrThrow(DEFAULT_STREAM_MESSAGE).random();
  }
  uuid4(): string {
    return uuid4FromRandom(() => this.random());
  }
  fill(bytes: Uint8Array): Uint8Array {
    return fillWithRandom(() => this.random(), bytes);
  }
  with<T>(fn: () => T): T {
    return activatorOrThrow(DEFAULT_STREAM_MESSAGE).withCurrentRandom(this, fn);
  }
}

/**
 * The run's main stream (what `Math.random()` returns outside any `stream.with`), also from
 * inside another stream's `with`.
 * @experimental
 */
export const workflowRandom: WorkflowRandomStream = new MainRandomStream();

/**
 * The stream `name` of the current run: the same state for the same name across activations,
 * independent of `Math.random()` and of other names. Use stable names (package or module style).
 * @experimental
 */
export function getRandomStream(name: string): WorkflowRandomStream {
  const activator = activatorOrThrow("Workflow.getRandomStream(...) may only be used from workflow context.");
  return new NamedRandomStream(activator, name);
}
