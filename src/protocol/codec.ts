/**
 * Per-revision shaping of what a server sends. Handlers build one result shape
 * (the newest); this module adds what a revision requires and removes or
 * rewrites what an older revision cannot express. It copies only when it must.
 */
import { META } from "./meta.js";
import type { Revision } from "./revisions.js";
import type { CacheHints, ContentBlock, Implementation } from "./types.js";

export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  "server/discover",
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
]);

export interface ModernEncodeOptions {
  serverInfo?: Implementation;
  cache: Required<CacheHints>;
}

/** 2026-07-28: every result gets `resultType`; cacheable ones get `ttlMs`/`cacheScope`. */
export function encodeModernResult(method: string, result: Record<string, any>, opts: ModernEncodeOptions): Record<string, any> {
  const out: Record<string, any> = result.resultType === undefined ? { resultType: "complete", ...result } : { ...result };
  if (out.resultType === "complete" && CACHEABLE_METHODS.has(method)) {
    if (out.ttlMs === undefined) out.ttlMs = opts.cache.ttlMs;
    if (out.cacheScope === undefined) out.cacheScope = opts.cache.cacheScope;
  }
  if (opts.serverInfo && !(out._meta && META.serverInfo in out._meta)) {
    out._meta = { ...out._meta, [META.serverInfo]: opts.serverInfo };
  }
  return out;
}

/** Legacy revisions: drop modern-only fields and rewrite content a revision lacks. */
export function encodeLegacyResult(method: string, result: Record<string, any>, rev: Revision): Record<string, any> {
  let out = result;
  if ("resultType" in out || "ttlMs" in out || "cacheScope" in out) {
    const { resultType: _r, ttlMs: _t, cacheScope: _c, ...rest } = out;
    out = rest;
  }
  if (rev >= "2025-06-18") return out;
  if (method === "tools/call") {
    const content = downgradeContent(out.content, rev);
    if (content !== out.content || "structuredContent" in out) {
      const { structuredContent: _s, ...rest } = out;
      out = { ...rest, content };
    }
  } else if (method === "prompts/get" && Array.isArray(out.messages)) {
    let changed = false;
    const messages = out.messages.map((m: any) => {
      const c = downgradeBlock(m?.content, rev);
      if (c === m?.content) return m;
      changed = true;
      return { ...m, content: c };
    });
    if (changed) out = { ...out, messages };
  }
  return out;
}

function downgradeContent(content: unknown, rev: Revision): unknown {
  if (!Array.isArray(content)) return content;
  let changed = false;
  const next = content.map((b) => {
    const d = downgradeBlock(b, rev);
    if (d !== b) changed = true;
    return d;
  });
  return changed ? next : content;
}

/** Content types that appeared after a revision are rewritten into ones it knows. */
export function downgradeBlock(b: any, rev: Revision): ContentBlock {
  if (!b || typeof b !== "object") return b;
  if (b.type === "resource_link" && rev < "2025-06-18") {
    const label = b.title ?? b.name ?? b.uri;
    return { type: "text", text: `${label}: ${b.uri}` };
  }
  if (b.type === "audio" && rev < "2025-03-26") {
    // 2024-11-05 has no audio block; an embedded blob keeps the bytes and the type.
    return { type: "resource", resource: { uri: "mcpkit:audio", mimeType: b.mimeType, blob: b.data } };
  }
  return b;
}
