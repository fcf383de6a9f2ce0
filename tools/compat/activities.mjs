// Activities of the compatibility corpus (tools/compat-corpus.ts). Plain JS so that the official
// worker on Node and ours on Bun import this same file. Their results land in history; replay
// never runs them.
export async function pick(token, n) {
  return `${String(token).slice(0, 4)}-${n % 7}`;
}

export async function measure(token) {
  return String(token).length + 1;
}
