// Raw DEFLATE (RFC 1951) by the browser's own CompressionStream and DecompressionStream, for
// the page's share links (src/web/codec.rs). Natively, src/share.rs uses miniz_oxide for the
// same format. Imported by the wasm-bindgen glue as a module of its own (no inline script).

// Packs bytes. Rejects with "unsupported" when the browser has no raw DEFLATE stream.
export async function deflate(bytes) {
  let stream;
  try {
    stream = new CompressionStream("deflate-raw");
  } catch (_) {
    throw "unsupported";
  }
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

// Unpacks bytes, reading at most `limit` bytes of output: resolves to the bytes, or to null when
// there would be more (the rest is never produced). Rejects with "unsupported" when the browser
// has no raw DEFLATE stream, and with "damaged" when the data is not valid DEFLATE.
export async function inflate(bytes, limit) {
  let stream;
  try {
    stream = new DecompressionStream("deflate-raw");
  } catch (_) {
    throw "unsupported";
  }
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return null;
      }
      parts.push(value);
    }
  } catch (_) {
    throw "damaged";
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
