/**
 * Stack traces of a workflow's pending operations, for the `__stack_trace` and
 * `__enhanced_stack_trace` queries (the Temporal UI's "Stack Trace" tab).
 *
 * The official SDK records a stack for every promise through V8 promise hooks. Bun has none,
 * so the workflow API records one where workflow code starts each operation it can block on
 * (timer, activity, local activity, condition — see activator.ts `captureStack`); a pending
 * operation's stack is where the workflow waits. This module turns those raw stacks (positions
 * in the bundle, `workflow-bundle.js:line:column`) into the user's files, lines and columns with
 * the bundle's source map, and drops the SDK's own frames and the host's, so a trace starts at
 * the user's call (`await sleep(…)`) and walks up through its async callers.
 */
import path from "node:path";
import { SourceMapConsumer, inlineSourceMapOf } from "./source-map.js";
import { SDK_VERSION } from "../sdk-version.js";

/** One frame (the official type, defined with the workflow API's types). */
import type { StackTraceFileLocation } from "../../workflow/interfaces.js";
export type { StackTraceFileLocation };

export interface MappedStack {
  /** `    at fn (file:line:column)` lines joined by "\n" (V8 style, as the official SDK formats them). */
  formatted: string;
  structured: StackTraceFileLocation[];
}

/** The file name the sandbox evaluates the bundle under (sandbox.ts). */
const BUNDLE_FILE = "workflow-bundle.js";
/**
 * Lines the sandbox puts before the bundle's first line (the module factory's
 * `(function (module, …) {"use strict";` line in sandbox.ts): stack line = bundle line + this.
 */
const SANDBOX_LINE_OFFSET = 1;
/** This SDK's sources: frames mapped into them are the API's, not the user's. */
const SDK_SRC_DIR = path.resolve(import.meta.dir, "../..") + path.sep;

/** `    at [async ]name (file:line:col)` or `    at [async ]file:line:col`. */
const FRAME = /^\s*at (async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;

export class StackTraceMapper {
  private consumer: SourceMapConsumer | undefined | null = null;

  constructor(private readonly bundleCode: string) {}

  /** Decoded on first use: a worker pays nothing for source maps until someone asks for a trace. */
  private get map(): SourceMapConsumer | undefined {
    if (this.consumer === null) {
      const raw = inlineSourceMapOf(this.bundleCode);
      try {
        this.consumer = raw ? new SourceMapConsumer(raw) : undefined;
      } catch {
        this.consumer = undefined;
      }
    }
    return this.consumer;
  }

  /** The source text of `file` (for `__enhanced_stack_trace`'s `sources`), if the map has it. */
  sourceContent(file: string): string | undefined {
    return this.map?.sourceContent(file);
  }

  /** Maps raw `Error.stack` strings; frames of the SDK and of the host are dropped; duplicates and empty stacks too. */
  mapStacks(rawStacks: readonly string[]): MappedStack[] {
    const out = new Map<string, MappedStack>();
    for (const raw of rawStacks) {
      const stack = this.mapStack(raw);
      if (stack.structured.length > 0 && !out.has(stack.formatted)) out.set(stack.formatted, stack);
    }
    return [...out.values()];
  }

  /**
   * An error's stack with its bundle positions mapped to the original files (as the official
   * SDK's source-mapped `prepareStackTrace` gives workflow errors), and the host's frames (the
   * runtime, the sandbox, Bun) dropped. The first line (`Name: message`) is kept. Unchanged
   * when it has no bundle frame.
   */
  mapErrorStack(stack: string): string {
    if (!stack.includes(BUNDLE_FILE)) return stack;
    const map = this.map;
    const out: string[] = [];
    for (const text of stack.split("\n")) {
      const m = FRAME.exec(text);
      if (!m) {
        out.push(text);
        continue;
      }
      const [, asyncMark, fnName, file, lineText, columnText] = m;
      if (file !== BUNDLE_FILE) continue;
      const pos = map?.originalPositionFor(Number(lineText) - SANDBOX_LINE_OFFSET, Number(columnText));
      out.push(pos ? formatFrame(asyncMark, functionName(fnName), pos.source, pos.line, pos.column) : text);
    }
    return out.join("\n");
  }

  mapStack(raw: string): MappedStack {
    const lines: string[] = [];
    const structured: StackTraceFileLocation[] = [];
    const map = this.map;
    for (const text of raw.split("\n")) {
      const m = FRAME.exec(text);
      if (!m) continue;
      const [, asyncMark, fnName, file, lineText, columnText] = m;
      if (file !== BUNDLE_FILE) continue; // host frames: the runtime, the sandbox, Bun
      const line = Number(lineText) - SANDBOX_LINE_OFFSET;
      const column = Number(columnText);
      const pos = map?.originalPositionFor(line, column);
      const filePath = pos ? pos.source : BUNDLE_FILE;
      if (pos && (pos.source.startsWith(SDK_SRC_DIR) || pos.source.includes(`${path.sep}temporal-bun-sdk${path.sep}src${path.sep}`))) continue;
      const name = functionName(fnName);
      const l = pos ? pos.line : line;
      const c = pos ? pos.column : column;
      structured.push({ file_path: filePath, function_name: name, line: l, column: c, internal_code: false });
      lines.push(formatFrame(asyncMark, name, filePath, l, c));
    }
    return { formatted: lines.join("\n"), structured };
  }
}

/** A frame's function name; undefined for anonymous code. */
function functionName(fnName: string | undefined): string | undefined {
  return fnName && fnName !== "<anonymous>" ? fnName : undefined;
}

/** One frame, V8 style: `    at [async ]name (file:line:column)` or `    at [async ]file:line:column`. */
function formatFrame(asyncMark: string | undefined, name: string | undefined, file: string, line: number, column: number): string {
  const where = `${file}:${line}:${column}`;
  return name ? `    at ${asyncMark ?? ""}${name} (${where})` : `    at ${asyncMark ?? ""}${where}`;
}

/** This package's version (reported as `sdk.version` by `__enhanced_stack_trace`). */
export function sdkVersion(): string {
  return SDK_VERSION;
}
