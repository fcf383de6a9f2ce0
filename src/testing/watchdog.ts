/**
 * Ties a server process that core's ephemeral-server API started (the dev server) to this
 * process: core stops it on teardown but not when this process dies (SIGTERM, SIGKILL, the end
 * of an interrupted `bun test`), and then it keeps running, holding its port. A small `sh`
 * watchdog reads a pipe only this process writes to; at EOF (this process is gone) it sends the
 * server SIGTERM. On a normal teardown the watchdog is killed first, so it never signals a pid
 * that may have been reused.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Pid of this process's child whose command line holds all of `parts` (Linux /proc), if any. */
export function findChild(parts: string[]): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined; // no /proc: not Linux
  }
  for (const d of entries) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "latin1");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      const args = readFileSync(`/proc/${d}/cmdline`, "latin1").split("\0");
      if (parts.every((p) => args.includes(p))) return Number(d);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

export interface Watchdog {
  /** Stops the watchdog without signalling the server (call after the server was stopped). */
  release(): void;
}

export function watchChild(pid: number): Watchdog {
  // `read` is a shell builtin: the watchdog is one process, so killing it on release leaves
  // nothing behind (a `cat` child would outlive it, holding the pipe, until this process ends).
  const proc = Bun.spawn(["sh", "-c", 'read -r _; kill -TERM "$1" 2>/dev/null', "temporal-server-watchdog", String(pid)], {
    stdin: "pipe",
    stdout: "ignore",
    stderr: "ignore",
  });
  proc.unref();
  return {
    release() {
      proc.kill("SIGKILL");
    },
  };
}
