/**
 * Fast structural checks of the params of each method we receive. Hand-written:
 * they run on the hot path, and a general schema library would cost more than
 * the rest of a request. Each returns null when the params are acceptable or a
 * message describing the first problem (the caller turns it into -32602).
 */
import { isLogLevel } from "./meta.js";

type P = Record<string, any> | undefined;
type Check = (p: P) => string | null;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (p: P, k: string) => (p && typeof p[k] === "string" ? null : `params.${k} must be a string`);
const optStr = (p: P, k: string) => (p === undefined || p[k] === undefined || typeof p[k] === "string" ? null : `params.${k} must be a string`);
const optObj = (p: P, k: string) => (p === undefined || p[k] === undefined || isObj(p[k]) ? null : `params.${k} must be an object`);
const isId = (v: unknown) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

const paginated: Check = (p) => optStr(p, "cursor");
/** MRTR retry fields may ride on the three methods that can return input_required. */
const mrtr: Check = (p) => optObj(p, "inputResponses") ?? optStr(p, "requestState");

const checks: Record<string, Check> = {
  initialize: (p) =>
    str(p, "protocolVersion") ??
    (isObj(p?.capabilities) ? null : "params.capabilities must be an object") ??
    (isObj(p?.clientInfo) && typeof p!.clientInfo.name === "string" ? null : "params.clientInfo must be an object with a name"),
  ping: () => null,
  "server/discover": () => null,
  "tools/list": paginated,
  "resources/list": paginated,
  "resources/templates/list": paginated,
  "prompts/list": paginated,
  "tools/call": (p) => str(p, "name") ?? optObj(p, "arguments") ?? mrtr(p),
  "resources/read": (p) => str(p, "uri") ?? mrtr(p),
  "resources/subscribe": (p) => str(p, "uri"),
  "resources/unsubscribe": (p) => str(p, "uri"),
  "prompts/get": (p) => {
    const e = str(p, "name") ?? optObj(p, "arguments") ?? mrtr(p);
    if (e) return e;
    const args = p!.arguments as Record<string, unknown> | undefined;
    if (args) for (const k in args) if (typeof args[k] !== "string") return `params.arguments.${k} must be a string`;
    return null;
  },
  "completion/complete": (p) => {
    const ref = p?.ref;
    if (!isObj(ref)) return "params.ref must be an object";
    if (ref.type === "ref/prompt") {
      if (typeof ref.name !== "string") return "params.ref.name must be a string";
    } else if (ref.type === "ref/resource") {
      if (typeof ref.uri !== "string") return "params.ref.uri must be a string";
    } else return 'params.ref.type must be "ref/prompt" or "ref/resource"';
    const a = p!.argument;
    if (!isObj(a) || typeof a.name !== "string" || typeof a.value !== "string") return "params.argument must have string name and value";
    return optObj(p, "context");
  },
  "logging/setLevel": (p) => (isLogLevel(p?.level) ? null : "params.level must be one of the RFC 5424 level names"),
  "subscriptions/listen": (p) => (isObj(p?.notifications) ? null : "params.notifications must be an object"),
  // Server → client requests (checked by the client).
  "sampling/createMessage": (p) =>
    Array.isArray(p?.messages) && typeof p!.maxTokens === "number" ? null : "params.messages (array) and params.maxTokens (number) are required",
  "elicitation/create": (p) => {
    const e = str(p, "message");
    if (e) return e;
    if (p!.mode === "url") return str(p, "url");
    return isObj(p!.requestedSchema) ? null : "params.requestedSchema must be an object";
  },
  "roots/list": () => null,
  // Notifications.
  "notifications/cancelled": (p) => (p && (p.requestId === undefined || isId(p.requestId)) ? null : "params.requestId must be a string or number"),
  "notifications/progress": (p) =>
    p && isId(p.progressToken) && typeof p.progress === "number" ? null : "params.progressToken and params.progress are required",
  "notifications/message": (p) => (p && isLogLevel(p.level) ? null : "params.level must be a log level"),
  "notifications/resources/updated": (p) => str(p, "uri"),
};

/** Null when `params` suit `method` (unknown methods pass: the router answers -32601). */
export function checkParams(method: string, params: Record<string, unknown> | undefined): string | null {
  // Own keys only: "constructor", "__proto__", "toString" … are unknown methods, not checks.
  const c = Object.hasOwn(checks, method) ? checks[method] : undefined;
  if (c === undefined) return null;
  if (params !== undefined && !isObj(params)) return "params must be an object";
  const meta = params?._meta;
  if (meta !== undefined && !isObj(meta)) return "params._meta must be an object";
  return c(params);
}
