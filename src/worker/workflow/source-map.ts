/**
 * A small source map (v3) reader: enough to map a position in the workflow bundle back to the
 * user's file, line and column for the `__stack_trace` / `__enhanced_stack_trace` queries.
 *
 * Written here rather than taken from npm because only one operation is needed (generated
 * position → original position) and it runs only when a stack trace is asked for: decoding is
 * lazy, once per bundle, and a lookup is a binary search in one line's segments.
 */
import path from "node:path";

export interface RawSourceMap {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  names?: string[];
  mappings: string;
}

export interface OriginalPosition {
  /** As in the map's `sources` (the bundler writes absolute paths). */
  source: string;
  /** 1-based, as in stack traces. */
  line: number;
  /** 1-based, as in stack traces. */
  column: number;
  name?: string;
}

/** One segment: generated column, source index, original line, original column, name index (-1: none). All 0-based. */
type Segment = [number, number, number, number, number];

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/** Marker of an inline source map at the end of a bundle's code. */
const INLINE_PREFIX = "//# sourceMappingURL=data:application/json;base64,";

/** The base64 data of `code`'s inline source map comment (the last one), or undefined. */
export function inlineSourceMapOf(code: string): RawSourceMap | undefined {
  const at = code.lastIndexOf(INLINE_PREFIX);
  if (at < 0) return undefined;
  let end = code.indexOf("\n", at);
  if (end < 0) end = code.length;
  try {
    const map = JSON.parse(Buffer.from(code.slice(at + INLINE_PREFIX.length, end).trim(), "base64").toString("utf8")) as RawSourceMap;
    return typeof map.mappings === "string" && Array.isArray(map.sources) ? map : undefined;
  } catch {
    return undefined;
  }
}

/** The comment that carries `map` inline at the end of a bundle. */
export function inlineSourceMapComment(map: RawSourceMap): string {
  return `\n${INLINE_PREFIX}${Buffer.from(JSON.stringify(map), "utf8").toString("base64")}\n`;
}

export class SourceMapConsumer {
  private readonly lines: Segment[][];

  constructor(readonly map: RawSourceMap) {
    this.lines = decodeMappings(map.mappings);
  }

  /** The original position of generated `line` / `column` (both 1-based), if the map has one. */
  originalPositionFor(line: number, column: number): OriginalPosition | undefined {
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    const col0 = column - 1;
    // Last segment starting at or before the column.
    let lo = 0;
    let hi = segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid]![0] <= col0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) found = 0;
    const s = segments[found]!;
    if (s[1] < 0) return undefined;
    const source = this.map.sources[s[1]];
    if (source === undefined) return undefined;
    const name = s[4] >= 0 ? this.map.names?.[s[4]] : undefined;
    return { source, line: s[2] + 1, column: s[3] + 1, ...(name ? { name } : {}) };
  }

  /** The original text of `source`, when the map carries it. */
  sourceContent(source: string): string | undefined {
    const i = this.map.sources.indexOf(source);
    const content = i < 0 ? undefined : this.map.sourcesContent?.[i];
    return typeof content === "string" ? content : undefined;
  }
}

/** Decodes the `mappings` string (base64 VLQ, fields relative to the previous segment). */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let line: Segment[] = [];
  let source = 0;
  let origLine = 0;
  let origCol = 0;
  let name = 0;
  let genCol = 0;
  const fields: number[] = [];
  let i = 0;
  const n = mappings.length;
  const endSegment = () => {
    if (fields.length === 0) return;
    genCol += fields[0]!;
    if (fields.length >= 4) {
      source += fields[1]!;
      origLine += fields[2]!;
      origCol += fields[3]!;
      if (fields.length >= 5) name += fields[4]!;
      line.push([genCol, source, origLine, origCol, fields.length >= 5 ? name : -1]);
    } else {
      line.push([genCol, -1, 0, 0, -1]);
    }
    fields.length = 0;
  };
  while (i < n) {
    const c = mappings.charCodeAt(i);
    if (c === 59 /* ; */) {
      endSegment();
      lines.push(line);
      line = [];
      genCol = 0;
      i++;
    } else if (c === 44 /* , */) {
      endSegment();
      i++;
    } else {
      // One VLQ number: 5 bits per digit, continuation bit 32, sign in the lowest bit.
      let value = 0;
      let shift = 0;
      let digit: number;
      do {
        const v = i < n ? BASE64_VALUE[mappings.charCodeAt(i++)]! : -1;
        if (v < 0) throw new Error(`source map: invalid base64 VLQ character at ${i - 1}`);
        digit = v;
        value += (digit & 31) * 2 ** shift;
        shift += 5;
      } while (digit & 32);
      fields.push(value % 2 === 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    }
  }
  endSegment();
  lines.push(line);
  return lines;
}

/**
 * The inline source map comment for a Bun.build result (built with `sourcemap: "external"`),
 * or "" when it has none. Bun writes `sources` relative to the working directory: they become
 * absolute, so a bundle saved and loaded elsewhere still names the files. The text of the SDK's
 * own sources and of node_modules is dropped (only user files are ever shown).
 */
export async function sourceMapCommentFor(outputs: readonly { kind: string; text(): Promise<string> }[], sdkSrcDir: string): Promise<string> {
  const artifact = outputs.find((o) => o.kind === "sourcemap");
  if (!artifact) return "";
  const map = JSON.parse(await artifact.text()) as RawSourceMap & { debugId?: string };
  map.sources = map.sources.map((s) => path.resolve(s));
  if (map.sourcesContent) {
    map.sourcesContent = map.sourcesContent.map((content, i) => {
      const source = map.sources[i]!;
      return source.startsWith(sdkSrcDir) || source.includes(`${path.sep}node_modules${path.sep}`) ? null : content;
    });
  }
  return inlineSourceMapComment(map);
}
