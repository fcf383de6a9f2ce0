// What tests/compat/schedules-official.test.ts compares of a ScheduleDescription / ScheduleSummary,
// shared by our side (bun) and the official client's (tools/compat/node-schedule-client.mjs):
// JSON with Dates as ISO strings, typed search attributes as [name, type, value] sorted, `raw` left out
// (it is each protobuf library's own message type: docs/compatibility.md).
export function scheduleView(value) {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(scheduleView);
  if (value !== null && typeof value === "object") {
    if (typeof value.getAll === "function") {
      return value
        .getAll()
        .map((p) => [p.key.name, p.key.type, scheduleView(p.value)])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    }
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "raw" || v === undefined) continue;
      out[k] = scheduleView(v);
    }
    return out;
  }
  return value;
}
