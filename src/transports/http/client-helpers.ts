/** Helpers of the Streamable HTTP client transport: reading messages and errors, waiting. */
import { ErrorCode } from "../../protocol/errors.js";
import type { JsonRpcMessage, RequestId } from "../../protocol/jsonrpc.js";
import { META } from "../../protocol/meta.js";
import { isModernRevision } from "../../protocol/revisions.js";

export function isModernMessage(msg: JsonRpcMessage): boolean {
  const meta = "method" in msg ? (msg.params as any)?._meta : undefined;
  return !!meta && isModernRevision(meta[META.protocolVersion]);
}

/** The errors only a 2026-07-28 server sends, as the era probe reads them. */
export function isModernError(body: any): boolean {
  const c = body?.error?.code;
  return c === ErrorCode.HeaderMismatch || c === ErrorCode.MissingRequiredClientCapability || c === ErrorCode.UnsupportedProtocolVersion;
}

/** A well-formed JSON-RPC response (result object or error object) to request `id`. */
export function isAnswerTo(m: any, id: RequestId): boolean {
  if (!m || typeof m !== "object" || "method" in m || m.id !== id) return false;
  const r = "result" in m ? m.result : m.error;
  return !!r && typeof r === "object" && !Array.isArray(r) && ("result" in m || (typeof r.code === "number" && typeof r.message === "string"));
}

export function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** The longest wait a server's `retry:` hint can ask of the client. */
export const MAX_RETRY_HINT_MS = 60_000;

/** A parser's `retry:` hint, capped at MAX_RETRY_HINT_MS (a hostile or buggy server cannot park the client for hours). */
export function retryHint(parser: { retryMs?: number }): number | undefined {
  return parser.retryMs === undefined ? undefined : Math.min(parser.retryMs, MAX_RETRY_HINT_MS);
}

/** An auth hook's failure for people: an OAuth error's code (`access_denied`) and its description. */
export function describeAuthError(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  const code = (e as { error?: unknown })?.error;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}
