/**
 * 2026-07-28 request headers: MCP-Protocol-Version, Mcp-Method, Mcp-Name and
 * Mcp-Param-* must agree with the body. Values that are not plain ASCII travel
 * as `=?base64?<utf-8 base64>?=`.
 */
import { fromBase64 } from "../../protocol/base64.js";

const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;

/**
 * Decode a header value; undefined when it claims base64 but is not valid base64.
 * Only a value wrapped in both markers (`=?base64?` … `?=`) claims base64; one
 * with the prefix alone is a literal.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  const v = raw.trim();
  if (!v.startsWith("=?base64?") || !v.endsWith("?=") || v.length < 11) return v;
  const m = SENTINEL.exec(v);
  if (!m || m[1].length % 4 !== 0) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(fromBase64(m[1]));
  } catch {
    return undefined;
  }
}

/** Encode a value for a header: as-is when it is safe printable ASCII, else base64-wrapped. */
export function encodeHeaderValue(v: string): string {
  const safe = /^[\x20-\x7e]*$/.test(v) && v === v.trim() && !v.startsWith("=?base64?");
  if (safe) return v;
  const bytes = new TextEncoder().encode(v);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `=?base64?${btoa(bin)}?=`;
}

/** What `Mcp-Name` must equal for a method, if that method names a target. */
export function nameTarget(method: string, params: Record<string, unknown> | undefined): string | undefined {
  switch (method) {
    case "tools/call":
    case "prompts/get":
      return typeof params?.name === "string" ? params.name : undefined;
    case "resources/read":
      return typeof params?.uri === "string" ? params.uri : undefined;
    case "tasks/get":
    case "tasks/update":
    case "tasks/cancel":
      return typeof params?.taskId === "string" ? params.taskId : undefined;
    default:
      return undefined;
  }
}

export { headerParams, valueAt, type HeaderParam } from "../../protocol/x-mcp-header.js";
import type { HeaderParam } from "../../protocol/x-mcp-header.js";

/** Compare one Mcp-Param header with the body value (integers numerically). Null when they agree. */
export function checkHeaderParam(p: HeaderParam, raw: string | null, value: unknown): string | null {
  const present = value !== undefined && value !== null;
  if (raw === null) return present ? `Missing header Mcp-Param-${p.header}` : null;
  const decoded = decodeHeaderValue(raw);
  if (decoded === undefined) return `Header Mcp-Param-${p.header} is not valid base64`;
  if (!present) return `Header Mcp-Param-${p.header} is set but ${p.path.join(".")} is absent from the body`;
  const ok =
    p.type === "integer" ? Number(decoded) === value && /^-?\d+$/.test(decoded) : p.type === "boolean" ? decoded === String(value) : decoded === value;
  return ok ? null : `Header Mcp-Param-${p.header} does not match ${p.path.join(".")} in the body`;
}
