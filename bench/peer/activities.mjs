// The one activity of the peer benchmark, plain JS so both workers (bun and node) import this same file.
export async function greet(name) {
  return `Hello, ${name}!`;
}

// The heavier scenario's activity (bench/peer.ts --heavy): one of the ten sequential steps.
export async function step(name, i) {
  return `${name}:${i}`;
}
