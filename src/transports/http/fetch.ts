/** Web Request/Response ↔ the handler's own shapes. */
import { BodyTooLargeError, type HttpIn, type HttpOut } from "./types.js";

export function fromRequest(req: Request): HttpIn {
  const url = new URL(req.url);
  return {
    method: req.method,
    path: url.pathname,
    url: req.url,
    query: (n) => url.searchParams.get(n),
    header: (n) => req.headers.get(n),
    headers: () => req.headers,
    onAbort: (fn) => req.signal.addEventListener("abort", fn, { once: true }),
    text: (limit) => readLimitedText(req, limit),
  };
}

/** A web Request's body as text, refusing (BodyTooLargeError) past `limit` bytes without reading the rest. */
export async function readLimitedText(req: Request, limit: number): Promise<string> {
  if (Number(req.headers.get("content-length")) > limit) throw new BodyTooLargeError(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(limit);
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new TextDecoder().decode(all);
}

export function toResponse(out: HttpOut): Response {
  const body = out.stream ? out.stream.toReadable() : out.body ?? null;
  return new Response(out.status === 204 || out.status === 202 && !out.body ? null : body, { status: out.status, headers: out.headers });
}
