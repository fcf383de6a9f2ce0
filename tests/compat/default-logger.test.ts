/**
 * DefaultLogger has the official constructor, `new DefaultLogger(level = 'INFO', logFunction)`,
 * with the official LogLevel names and LogEntry shape, so code that passes its own log
 * function (a common way to route worker logs) moves over unchanged.
 */
import { expect, test } from "bun:test";
import { DefaultLogger, type LogEntry } from "../../src/worker/index.js";

test("DefaultLogger(level, logFunction) hands LogEntry records at or above the level", () => {
  const entries: LogEntry[] = [];
  const logger = new DefaultLogger("WARN", (entry) => entries.push(entry));
  expect(logger.level).toBe("WARN");
  logger.info("dropped");
  logger.warn("kept", { runId: "r1" });
  logger.log("ERROR", "from core", { timestampMs: 1_700_000_000_123, target: "core" });
  expect(entries.map((e) => [e.level, e.message, e.meta])).toEqual([
    ["WARN", "kept", { runId: "r1" }],
    ["ERROR", "from core", { target: "core" }],
  ]);
  expect(entries[1]!.timestampNanos).toBe(1_700_000_000_123_000_000n);
  expect(typeof entries[0]!.timestampNanos).toBe("bigint");
  expect(new DefaultLogger().level).toBe("INFO");
});
