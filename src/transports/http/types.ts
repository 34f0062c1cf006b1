/**
 * The HTTP handler's own small request/response shapes. The fetch-style entry
 * point and the Node adapter both translate into these, so the Node path never
 * has to build a web Request/Response for each call.
 */
import type { AuthInfo } from "../../server/context.js";
import type { SseStream } from "./sse.js";

export interface HttpIn {
  method: string;
  /** Path of the request URL (no query), e.g. "/mcp". */
  path: string;
  /** Query string parameters. */
  query(name: string): string | null;
  /** A header by lower-case name; repeated headers joined with ", ". */
  header(name: string): string | null;
  /** All headers as a web Headers object (built only when asked for). */
  headers(): Headers;
  /** The body as text, or throws BodyTooLargeError past `limit` bytes. */
  text(limit: number): Promise<string>;
  /** Register a callback for the client going away before the response is complete. */
  onAbort(fn: () => void): void;
  /** Set by an auth layer in front of the handler. */
  auth?: AuthInfo;
  /** Full URL, for messages that must name it. */
  url: string;
}

export interface HttpOut {
  status: number;
  headers: Record<string, string>;
  /** A complete body (JSON or empty)… */
  body?: string;
  /** …or an SSE stream the adapter pipes out. */
  stream?: SseStream;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

export const JSON_HEADERS = { "content-type": "application/json" };
export const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // Tell nginx and similar proxies not to buffer the stream.
  "x-accel-buffering": "no",
};
