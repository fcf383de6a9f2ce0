/** Reads a child process's stdout until a line matches; returns it (the reader is released). */
export async function readLine(stream: ReadableStream<Uint8Array>, match: RegExp, timeoutMs: number, stderr?: () => string): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => undefined)]);
      if (chunk === undefined || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      const line = text.split("\n").find((l) => match.test(l));
      if (line) return line;
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error(`no line matching ${match} within ${timeoutMs} ms; stdout: ${text}; stderr: ${stderr?.() ?? ""}`);
}
