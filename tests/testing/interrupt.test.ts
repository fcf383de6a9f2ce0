/**
 * An interrupted run leaves no server behind: a process holding a TestWorkflowEnvironment is
 * killed (SIGTERM, SIGKILL, SIGINT) and the server's port must be free again shortly after.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";

const script = new URL("./fixtures/hold-environment.ts", import.meta.url).pathname;

async function portFree(address: string): Promise<boolean> {
  const [host, port] = address.split(":");
  try {
    const s = await Bun.connect({ hostname: host!, port: Number(port), socket: { data() {} } });
    s.end();
    return false;
  } catch {
    return true;
  }
}

/** Pids of live processes whose command line holds `needle` (Linux /proc). */
function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "latin1").split("\0").join(" ");
      const state = readFileSync(`/proc/${d}/stat`, "latin1").split(") ")[1]?.[0];
      if (cmd.includes(needle) && state !== "Z") out.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

async function holdAndKill(kind: "time-skipping" | "local", signal: NodeJS.Signals): Promise<void> {
  const proc = Bun.spawn([process.execPath, script, kind], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`holder exited early (code ${await proc.exited})`);
    text += new TextDecoder().decode(value);
  }
  const { address } = JSON.parse(text.split("\n")[0]!) as { address: string };
  expect(await portFree(address)).toBe(false);
  proc.kill(signal);
  await proc.exited;
  const deadline = Date.now() + 15_000;
  while (!(await portFree(address)) && Date.now() < deadline) await Bun.sleep(100);
  const waited = 15_000 - (deadline - Date.now());
  console.log(`${kind} server after ${signal} of its parent: port ${address} free after ${waited} ms`);
  expect(await portFree(address)).toBe(true);
  // The process itself is gone too, not only its socket.
  const port = address.split(":")[1]!;
  const needle = kind === "time-skipping" ? `TestServer ${port}` : `--port ${port}`;
  while (processesWith(needle).length > 0 && Date.now() < deadline + 10_000) await Bun.sleep(100);
  expect(processesWith(needle)).toEqual([]);
}

/** Waits until nothing listens on `address` and no process holds `needle`; returns the ms waited. */
async function expectGone(address: string, needle: string): Promise<number> {
  const started = Date.now();
  while ((!(await portFree(address)) || processesWith(needle).length > 0) && Date.now() - started < 20_000) await Bun.sleep(100);
  expect(await portFree(address)).toBe(true);
  expect(processesWith(needle)).toEqual([]);
  return Date.now() - started;
}

describe("an interrupted run leaves no server process", () => {
  test("a bun test run that ends on a test timeout, without teardown", async () => {
    const fixture = new URL("./fixtures/hang-past-timeout.ts", import.meta.url).pathname;
    const repo = new URL("../..", import.meta.url).pathname;
    const proc = Bun.spawn([process.execPath, "test", fixture], { cwd: repo, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(code).not.toBe(0);
    expect(err).toContain("timed out");
    const line = (out + err).split("\n").find((l) => l.startsWith('{"address"'));
    expect(line).toBeDefined();
    const { address } = JSON.parse(line!) as { address: string };
    const waited = await expectGone(address, `TestServer ${address.split(":")[1]}`);
    console.log(`time-skipping server after a timed-out bun test run: gone ${waited} ms after the run ended`);
  });

  for (const signal of ["SIGTERM", "SIGKILL", "SIGINT"] as const) {
    test(`time-skipping server, parent ends by ${signal}`, async () => {
      await holdAndKill("time-skipping", signal);
    });
    test(`dev server (createLocal), parent ends by ${signal}`, async () => {
      await holdAndKill("local", signal);
    });
  }
});
