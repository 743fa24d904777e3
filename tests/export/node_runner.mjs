// Runs an exported Node.js handler for tests/export/verify.py: reads one JSON request a line
// on standard input ({"event": ...}), calls the handler (imported from the path given as the
// first argument, with the environment the parent set: AWS_ENDPOINT_URL points the real AWS SDK
// v3 at moto's server), and writes one JSON answer a line:
// {"ok": true, "result": ...} or {"ok": false, "error": "...", "wrapped": <an AWS error caused it>}.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

// Standard output carries the answers: the handler's own logs are not checked.
console.log = console.info = console.error = () => {};
const { handler } = await import(pathToFileURL(process.argv[2]).href);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { event } = JSON.parse(line);
  let answer;
  try {
    const result = await handler(event, {});
    answer = { ok: true, result: result ?? null };
  } catch (error) {
    answer = { ok: false, error: String(error?.message ?? error), wrapped: error?.cause !== undefined };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
