/** JSON-RPC and MCP error codes, with the HTTP status each maps to. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** 2026-07-28: an HTTP header disagrees with the body. */
  HeaderMismatch: -32020,
  /** 2026-07-28: the request needs a client capability it did not declare. */
  MissingRequiredClientCapability: -32021,
  /** 2026-07-28: the request's protocol version is not supported. */
  UnsupportedProtocolVersion: -32022,
  /** Up to 2025-11-25: resource not found. Retired in 2026-07-28 (now -32602). */
  LegacyResourceNotFound: -32002,
  /** 2025-11-25 only: URL elicitation required. */
  UrlElicitationRequired: -32042,
  /** mcpkit-local: the request was cancelled or timed out (never sent on the wire by servers). */
  RequestTimeout: -32001,
  ConnectionClosed: -32000,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one error class of mcpkit: a JSON-RPC error with optional data. */
export class McpError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "McpError";
    this.code = code;
    this.data = data;
  }
  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
  static from(err: unknown): McpError {
    if (err instanceof McpError) return err;
    if (err && typeof err === "object" && typeof (err as any).code === "number" && typeof (err as any).message === "string") {
      return new McpError((err as any).code, (err as any).message, (err as any).data);
    }
    const message = err instanceof Error ? err.message : String(err);
    return new McpError(ErrorCode.InternalError, message || "Internal error");
  }
}

export const invalidParams = (message: string, data?: unknown) => new McpError(ErrorCode.InvalidParams, message, data);
export const methodNotFound = (method: string) => new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`);

/** HTTP status for an error returned as a whole HTTP response (2026-07-28 status table). */
export function httpStatusForError(code: number): number {
  switch (code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.ParseError:
    case ErrorCode.InvalidRequest:
    case ErrorCode.InvalidParams:
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    default:
      return 500;
  }
}

/**
 * "Resource not found". 2026-07-28 says -32602; up to 2025-11-25 it was -32002.
 * Handlers throw this one error; the legacy engine renumbers it for old revisions.
 */
export class ResourceNotFoundError extends McpError {
  constructor(readonly uri: string) {
    super(ErrorCode.InvalidParams, `Resource not found: ${uri}`, { uri });
    this.name = "ResourceNotFoundError";
  }
}

/** A request got no answer in time (after any progress-driven extensions). */
export class RequestTimeoutError extends McpError {
  constructor(readonly elapsedMs: number) {
    super(ErrorCode.RequestTimeout, `Request timed out after ${elapsedMs} ms`, { timeout: elapsedMs });
    this.name = "RequestTimeoutError";
  }
}

/** The connection ended before the answer came (process exit, stream closed, close()). */
export class ConnectionClosedError extends McpError {
  constructor(message = "Connection closed", data?: unknown) {
    super(ErrorCode.ConnectionClosed, message, data);
    this.name = "ConnectionClosedError";
  }
}
