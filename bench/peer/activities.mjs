// The one activity of the peer benchmark, plain JS so both workers (bun and node) import this same file.
export async function greet(name) {
  return `Hello, ${name}!`;
}
