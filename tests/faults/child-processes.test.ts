/**
 * Every process the SDK starts is one whose end is tied to this process (issue 16 item 2):
 * with a dev server (createLocal), a time-skipping test server, a worker that bundles workflow
 * code and runs a workflow, the only descendants of the test process are those servers and
 * their pipe watchdogs (src/testing/watchdog.ts, src/testing/time-skipping-server.ts). The
 * death of the parent by SIGTERM, SIGINT and SIGKILL is tested for each server in
 * tests/testing/interrupt.test.ts; here, a normal teardown leaves none of them running.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { TestWorkflowEnvironment } from "../../src/testing/index.js";
import { Worker } from "../../src/worker/index.js";
import * as activities from "./fixtures/bad-inputs-activities.js";

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmd: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "latin1");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = readFileSync(`/proc/${d}/cmdline`, "latin1").split("\0").join(" ").trim();
      out.push({ pid: Number(d), ppid: Number(rest[1]), state: rest[0]!, cmd });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Live (not zombie) descendants of this process. */
function descendants(): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  const parents = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found.filter((p) => p.state !== "Z");
}

/** What each known kind of child looks like; anything else is a process nobody ties to us. */
const KINDS: [string, RegExp][] = [
  ["dev server (core's ephemeral server)", /\btemporal server start-dev\b/],
  ["dev server watchdog", /^sh -c read -r _; kill -TERM "\$1".* temporal-server-watchdog \d+$/s],
  ["time-skipping server watchdog", /^sh -c "\$@" <\/dev\/null &.*temporal-test-server-watchdog/s],
  ["watchdog's pipe reader", /^cat$/],
  ["time-skipping test server (Java)", /\bjava\b.*io\.temporal\.testserver\.TestServer/s],
  ["time-skipping test server launcher", /temporal-test-server\b/],
];
const kindOf = (cmd: string) => KINDS.find(([, re]) => re.test(cmd))?.[0];

test("every child process the SDK starts is a server or its watchdog, and a teardown leaves none", async () => {
  const before = new Set(descendants().map((p) => p.pid));
  const local = await TestWorkflowEnvironment.createLocal({ server: { logLevel: "error" } });
  const skipping = await TestWorkflowEnvironment.createTimeSkipping();
  let seen: Proc[] = [];
  try {
    const taskQueue = `children-${crypto.randomUUID()}`;
    const worker = await Worker.create({
      connection: local.nativeConnection,
      taskQueue,
      workflowsPath: new URL("./fixtures/bad-inputs-workflows.ts", import.meta.url).pathname,
      activities,
      shutdownSignals: [],
    });
    const running = worker.run();
    const result = await local.client.workflow.execute("callActivity", { taskQueue, workflowId: `children-${crypto.randomUUID()}`, args: ["echo", ["hi"]] });
    expect(result).toEqual({ result: "hi" });
    seen = descendants().filter((p) => !before.has(p.pid));
    worker.shutdown();
    await running;
  } finally {
    await skipping.teardown();
    await local.teardown();
  }
  const unknown = seen.filter((p) => kindOf(p.cmd) === undefined).map((p) => `${p.pid} ${p.cmd}`);
  expect(unknown).toEqual([]);
  const kinds = new Set(seen.map((p) => kindOf(p.cmd)));
  console.log(`children while running: ${seen.length} (${[...kinds].join(", ")})`);
  expect(kinds.has("dev server (core's ephemeral server)")).toBe(true);
  expect(kinds.has("dev server watchdog")).toBe(true);
  expect(kinds.has("time-skipping server watchdog")).toBe(true);
  // Nothing the test started is left running (servers, watchdogs, their pipe readers).
  const deadline = Date.now() + 15_000;
  let left = descendants().filter((p) => !before.has(p.pid));
  while (left.length > 0 && Date.now() < deadline) {
    await Bun.sleep(100);
    left = descendants().filter((p) => !before.has(p.pid));
  }
  expect(left.map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
  // Nor reparented elsewhere: none of the pids seen is alive.
  const alive = new Set(processes().filter((p) => p.state !== "Z").map((p) => p.pid));
  expect(seen.filter((p) => alive.has(p.pid)).map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
}, 120_000);
