// Activities of the compatibility corpus (tools/compat-corpus.ts). Plain JS so that the official
// worker on Node and ours on Bun import this same file. Their results land in history; replay
// never runs them.
export async function pick(token, n) {
  return `${String(token).slice(0, 4)}-${n % 7}`;
}

export async function measure(token) {
  return String(token).length + 1;
}

// Attempts per token, in this worker process: `flaky` fails its first `failures` attempts (the
// token is a workflow uuid4(), unique per call), so retries land in history without activity
// context APIs (which differ by import between the SDKs).
const attempts = new Map();
export async function flaky(token, failures) {
  const n = (attempts.get(token) ?? 0) + 1;
  attempts.set(token, n);
  if (n <= failures) throw new Error(`flaky ${String(token).slice(0, 8)}: attempt ${n} of ${failures} failing`);
  if (attempts.size > 10_000) attempts.clear();
  return n;
}

/** Completes after `ms` (no heartbeats: a cancellation is only seen by the workflow side). */
export async function slow(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
