// The official @temporalio/client 1.24 describing and listing schedules on the dev server, for
// tests/compat/schedules-official.test.ts. Env: COMPAT_SDK_DIR, COMPAT_ADDRESS, COMPAT_NAMESPACE,
// COMPAT_SCHEDULE_ID (describe + find in list), COMPAT_MISSING_ID (describe: the error). Prints one
// JSON line. With COMPAT_EXIT_WITH_STDIN=1 it also exits when its stdin closes (its parent died).
import { createRequire } from "node:module";
import { join } from "node:path";
import { scheduleView } from "./schedule-view.mjs";

if (process.env.COMPAT_EXIT_WITH_STDIN === "1") {
  process.stdin.on("end", () => process.exit(1));
  process.stdin.resume();
}
const require = createRequire(join(process.env.COMPAT_SDK_DIR, "package.json"));
const { Client, Connection } = require("@temporalio/client");

const connection = await Connection.connect({ address: process.env.COMPAT_ADDRESS });
try {
  const client = new Client({ connection, namespace: process.env.COMPAT_NAMESPACE });
  const id = process.env.COMPAT_SCHEDULE_ID;
  const description = await client.schedule.getHandle(id).describe();
  let summary;
  for (let attempt = 0; attempt < 100 && !summary; attempt++) {
    for await (const s of client.schedule.list({ query: `ScheduleId = '${id}'` })) if (s.scheduleId === id) summary = s;
    if (!summary) await new Promise((r) => setTimeout(r, 200));
  }
  const missing = await client.schedule
    .getHandle(process.env.COMPAT_MISSING_ID)
    .describe()
    .then(
      () => ({ error: null }),
      (e) => ({ error: { name: e.name, scheduleId: e.scheduleId } }),
    );
  console.log(JSON.stringify({ description: scheduleView(description), summary: scheduleView(summary), missing }));
} finally {
  await connection.close();
}
// stdin (held open above) would keep the process alive.
process.exit(0);
