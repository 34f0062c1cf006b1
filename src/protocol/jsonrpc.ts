import { ErrorCode, McpError } from "./errors.js";

/** JSON-RPC 2.0 envelopes as MCP uses them (params and results are always objects). */
export type RequestId = string | number;
export type Params = Record<string, unknown>;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: Params;
}
export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Params;
}
export interface JsonRpcResult {
  jsonrpc: "2.0";
  id: RequestId;
  result: Params;
}
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}
export interface JsonRpcError {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: JsonRpcErrorObject;
}
export type JsonRpcResponse = JsonRpcResult | JsonRpcError;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** The outcome of checking one incoming value structurally. */
export type Classified =
  | { kind: "request"; msg: JsonRpcRequest }
  | { kind: "notification"; msg: JsonRpcNotification }
  | { kind: "response"; msg: JsonRpcResponse }
  | { kind: "invalid"; id: RequestId | null; error: McpError };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is RequestId =>
  typeof v === "string" || (typeof v === "number" && Number.isInteger(v));

/**
 * Classify a parsed JSON value as a JSON-RPC message. Hand-written on purpose:
 * this runs for every message, so it checks only the envelope and allocates nothing
 * on the happy path.
 */
export function classify(v: unknown): Classified {
  if (!isObj(v)) return invalid(null, "Invalid Request: expected a JSON-RPC object");
  const id = (v as any).id;
  const idOk = isId(id);
  if (v.jsonrpc !== "2.0") return invalid(idOk ? id : null, 'Invalid Request: jsonrpc must be "2.0"');
  const method = v.method;
  if (method !== undefined) {
    if (typeof method !== "string" || method.length === 0) return invalid(idOk ? id : null, "Invalid Request: method must be a non-empty string");
    const params = v.params;
    if (params !== undefined && !isObj(params)) {
      if (id === undefined) return invalid(null, "Invalid params: params must be an object");
      if (!idOk) return invalid(null, "Invalid Request: id must be a string or an integer");
      return { kind: "invalid", id, error: new McpError(ErrorCode.InvalidParams, "Invalid params: params must be an object") };
    }
    if (id === undefined) return { kind: "notification", msg: v as unknown as JsonRpcNotification };
    if (!idOk) return invalid(null, "Invalid Request: id must be a string or an integer");
    return { kind: "request", msg: v as unknown as JsonRpcRequest };
  }
  // A response: exactly one of result/error.
  const hasResult = "result" in v;
  const hasError = "error" in v;
  if (hasResult === hasError) return invalid(idOk ? id : null, "Invalid Request: a message needs a method, a result or an error");
  if (hasResult) {
    if (!idOk) return invalid(null, "Invalid Request: response id must be a string or an integer");
    if (!isObj(v.result)) return invalid(id, "Invalid Request: result must be an object");
    return { kind: "response", msg: v as unknown as JsonRpcResult };
  }
  const err = v.error;
  if (!isObj(err) || typeof err.code !== "number" || typeof err.message !== "string") {
    return invalid(idOk ? id : null, "Invalid Request: malformed error object");
  }
  if (!(idOk || id === null)) return invalid(null, "Invalid Request: response id must be a string, an integer or null");
  return { kind: "response", msg: v as unknown as JsonRpcError };
}

function invalid(id: RequestId | null, message: string): Classified {
  return { kind: "invalid", id, error: new McpError(ErrorCode.InvalidRequest, message) };
}

/** Parse one line or body of text. Non-JSON is a -32700 parse error with a null id. */
export function parseMessage(text: string): Classified | Classified[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: "invalid", id: null, error: new McpError(ErrorCode.ParseError, "Parse error: invalid JSON") };
  }
  if (Array.isArray(v)) {
    // JSON-RPC batches existed only in 2025-03-26; callers decide whether to accept them.
    if (v.length === 0) return invalid(null, "Invalid Request: empty batch");
    return v.map(classify);
  }
  return classify(v);
}

export const makeError = (id: RequestId | null, e: McpError | JsonRpcErrorObject): JsonRpcError => ({
  jsonrpc: "2.0",
  id,
  error: e instanceof McpError ? e.toJSON() : e,
});
export const makeResult = (id: RequestId, result: Params): JsonRpcResult => ({ jsonrpc: "2.0", id, result });
export const makeRequest = (id: RequestId, method: string, params?: Params): JsonRpcRequest =>
  params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
export const makeNotification = (method: string, params?: Params): JsonRpcNotification =>
  params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params };

export const isRequest = (m: JsonRpcMessage): m is JsonRpcRequest => "method" in m && "id" in m;
export const isNotification = (m: JsonRpcMessage): m is JsonRpcNotification => "method" in m && !("id" in m);
export const isResponse = (m: JsonRpcMessage): m is JsonRpcResponse => !("method" in m);
