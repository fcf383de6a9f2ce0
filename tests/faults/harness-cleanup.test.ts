/**
 * The fault suite's own processes never outlive it: a long script (bench/faults/worker-kill.ts)
 * is stopped while its dev server, worker processes and watchdogs run — by SIGKILL (nothing of it
 * runs: the watchdogs' pipes close), by SIGINT and by SIGTERM (its handlers kill its children,
 * exit 130 / 143) — and every process of its tree must be gone within seconds.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Pids of `root`'s descendants (Linux /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "latin1");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) if (pp === p) (out.push(child), walk(child));
  };
  walk(root);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

for (const [signal, code] of [["SIGKILL", null], ["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`a fault script stopped by ${signal} leaves no server, worker or watchdog behind`, async () => {
    const script = Bun.spawn([process.execPath, path.join(import.meta.dir, "../../bench/faults/worker-kill.ts"), "--workflows", "4", "--activity-ms", "5000"], {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    });
    let tree: number[] = [];
    try {
      // Both workers up (server + watchdog, 2 × (worker + watchdog)) — or give up after 40 s.
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        tree = descendants(script.pid);
        if (tree.length >= 6) break;
        await Bun.sleep(200);
      }
      expect(tree.length).toBeGreaterThanOrEqual(6);
      script.kill(signal);
      expect((await script.exited, script.signalCode ?? script.exitCode)).toBe(code ?? "SIGKILL");
      const gone = Date.now() + 5000;
      while (tree.some(alive) && Date.now() < gone) await Bun.sleep(100);
      expect(tree.filter(alive)).toEqual([]);
    } finally {
      script.kill("SIGKILL");
      for (const pid of tree.filter(alive)) process.kill(pid, "SIGKILL");
    }
  }, 60_000);
}
