/**
 * One rule for options objects everywhere (Worker, Client, workflow start, activity and
 * continue-as-new options):
 *
 * - an option neither this SDK nor the official SDK 1.24 knows (a typo such as `workflowIdd`)
 *   → TypeError naming it and where: `WorkflowStartOptions: unknown option 'workflowIdd'
 *   (did you mean 'workflowId'?)`. The official SDK drops such keys silently; its TypeScript
 *   types reject them in object literals, so failing here breaks no code that compiles there.
 * - an option the official SDK accepts but this SDK does not implement → a warning, logged
 *   once per process for each (where, option), saying it has no effect. Failing would reject
 *   code that runs on the official SDK (docs/compatibility.md: stricter must warn, not fail).
 *
 * Pure (no I/O of its own): the caller says how to warn. The set of warnings already given is
 * module state; workflow code shares the host's copy of src/common, so "once" holds per process.
 */

export interface OptionsShape {
  /** What messages call these options, e.g. "WorkflowStartOptions" or "proxyActivities options". */
  readonly name: string;
  /** The options this SDK implements. */
  readonly supported: readonly string[];
  /** Options the official SDK 1.24 accepts here that this SDK does not implement (they have no effect). */
  readonly officialOnly?: readonly string[];
  /**
   * Options the official SDK lets through here without using them (e.g. ActivityOptions-only
   * fields in an options object shared with proxyLocalActivities): a warning, as they have no
   * effect on either SDK, but never an error.
   */
  readonly ignoredByOfficial?: readonly string[];
}

const warned = new Set<string>();

/**
 * Checks the own enumerable keys of `options` against `shape`. Throws TypeError for an
 * unknown option; calls `warn` (default console.warn) the first time each official-only
 * option with a value is seen. Returns the official-only options present (with a value).
 */
export function checkOptions(shape: OptionsShape, options: object, warn: (message: string) => void = defaultWarn): string[] {
  const { ignored, unknown } = sortOptions(shape, options, warn);
  const key = unknown[0];
  if (key !== undefined) {
    const hint = closest(key, [...shape.supported, ...(shape.officialOnly ?? []), ...(shape.ignoredByOfficial ?? [])]);
    throw new TypeError(`${shape.name}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
  }
  return ignored;
}

/**
 * checkOptions without the throw, for callers with an error of their own for unknown options
 * (Worker.create's WorkerOptionsError): warns about the official-only options present (once
 * each) and returns them and the unknown ones.
 */
export function sortOptions(shape: OptionsShape, options: object, warn: (message: string) => void = defaultWarn): { ignored: string[]; unknown: string[] } {
  // Runs at every activity call: the lists are short, so look keys up in them directly rather
  // than building Sets each time.
  const officialOnly = shape.officialOnly ?? [];
  const ignoredByOfficial = shape.ignoredByOfficial ?? [];
  const ignored: string[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(options)) {
    if (shape.supported.includes(key)) continue;
    if (!officialOnly.includes(key) && !ignoredByOfficial.includes(key)) {
      unknown.push(key);
      continue;
    }
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    ignored.push(key);
    const id = `${shape.name}\u0000${key}`;
    if (!warned.has(id)) {
      warned.add(id);
      warn(
        officialOnly.includes(key)
          ? `${shape.name}: option '${key}' is accepted by the official Temporal SDK but not implemented by temporal-bun-sdk; it has no effect`
          : `${shape.name}: option '${key}' has no effect here (the official Temporal SDK ignores it too)`,
      );
    }
  }
  return { ignored, unknown };
}

function defaultWarn(message: string): void {
  console.warn(message);
}

/** The known name nearest to `key` (case-insensitive edit distance ≤ 2), for the error's hint. */
function closest(key: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
