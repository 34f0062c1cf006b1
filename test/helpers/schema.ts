// Test helper: validate MCP wire messages against the official JSON Schemas of
// each protocol revision (spec dir: $MCPKIT_SPEC_DIR or <repo>/../shared/spec).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft7 from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { ErrorObject, ValidateFunction } from "ajv";

export type Side = "server" | "client";
export interface ValidateOptions {
  side: Side;
  /** For responses: the method of the request being answered. */
  method?: string;
}
export type MessageKind = "request" | "notification" | "response" | "error";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SPEC_DIR = process.env.MCPKIT_SPEC_DIR ?? path.resolve(REPO_ROOT, "../shared/spec");

/** Revisions with a schema file, oldest first. */
export function revisions(): string[] {
  return fs.readdirSync(path.join(SPEC_DIR, "schema"))
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .map((f) => f.slice(0, -5))
    .sort();
}

type Json = Record<string, any>;
interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  getSchema(key: string): ValidateFunction | undefined;
}
interface RevSchema {
  rev: string;
  defs: Record<string, Json>;
  prefix: string; // "#/definitions/" or "#/$defs/"
  ajv: AjvLike;
  validators: Map<string, ValidateFunction>;
  requests: Record<Side, Map<string, string>>; // method -> request def, by sender
  notifications: Record<Side, Map<string, string>>;
  errorDefs: Map<number, { name: string; whole: boolean }>; // code -> def
  resultEnvelope: string;
  errorEnvelope: string;
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const other = (s: Side): Side => (s === "server" ? "client" : "server");
const cache = new Map<string, RevSchema>();

function refName(r: RevSchema, ref: unknown): string | undefined {
  return typeof ref === "string" && ref.startsWith(r.prefix) ? ref.slice(r.prefix.length) : undefined;
}
function deref(r: RevSchema, s: Json | undefined): Json | undefined {
  for (let i = 0; i < 10 && s && typeof s.$ref === "string"; i++) s = r.defs[refName(r, s.$ref) ?? ""];
  return s;
}
function methodOf(r: RevSchema, s: Json | undefined): string | undefined {
  const m = deref(r, s)?.properties?.method?.const;
  return typeof m === "string" ? m : undefined;
}

/** method -> def name, read from a union such as ClientRequest (anyOf of $refs, or
 *  a single inlined member as in 2026-07-28's ClientNotification). */
function unionMap(r: RevSchema, union: string, suffix: string): Map<string, string> {
  const map = new Map<string, string>();
  const u = r.defs[union];
  if (!u) return map;
  for (const branch of (u.anyOf ?? u.oneOf ?? [u]) as Json[]) {
    const method = methodOf(r, branch);
    if (!method) throw new Error(`${r.rev}: member of ${union} has no method const`);
    const name = refName(r, branch.$ref)
      ?? Object.keys(r.defs).find((n) => n.endsWith(suffix) && n !== union && !r.defs[n].$ref && methodOf(r, r.defs[n]) === method)
      ?? union;
    map.set(method, name);
  }
  return map;
}

function load(rev: string): RevSchema {
  const hit = cache.get(rev);
  if (hit) return hit;
  const file = path.join(SPEC_DIR, "schema", `${rev}.json`);
  if (!fs.existsSync(file)) throw new Error(`unknown MCP revision "${rev}" (no ${file}; have ${revisions().join(", ")})`);
  const schema = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
  const is2020 = String(schema.$schema ?? "").includes("2020-12");
  const opts = { strict: false, allErrors: true, verbose: true };
  const ajv = (is2020 ? new Ajv2020.default(opts) : new AjvDraft7.default(opts)) as AjvLike;
  addFormats.default(ajv as never);
  ajv.addSchema(schema, `mcp-${rev}`);
  const defsKey = schema.$defs ? "$defs" : "definitions";
  const r = {
    rev, ajv, defs: schema[defsKey] as Record<string, Json>, prefix: `#/${defsKey}/`,
    validators: new Map(), errorDefs: new Map(),
  } as RevSchema;
  r.requests = { client: unionMap(r, "ClientRequest", "Request"), server: unionMap(r, "ServerRequest", "Request") };
  r.notifications = {
    client: unionMap(r, "ClientNotification", "Notification"),
    server: unionMap(r, "ServerNotification", "Notification"),
  };
  r.resultEnvelope = r.defs.JSONRPCResultResponse ? "JSONRPCResultResponse" : "JSONRPCResponse";
  r.errorEnvelope = r.defs.JSONRPCErrorResponse ? "JSONRPCErrorResponse" : "JSONRPCError";
  // Specific error definitions, keyed by code: either whole responses (error.allOf[..].code.const)
  // or bare error objects (code.const), e.g. 2026-07-28's HeaderMismatchError vs ParseError.
  for (const [name, d] of Object.entries(r.defs)) {
    const bare = d.properties?.code?.const;
    if (typeof bare === "number" && d.properties?.message) r.errorDefs.set(bare, { name, whole: false });
    for (const part of (d.properties?.error?.allOf ?? []) as Json[]) {
      const c = part.properties?.code?.const;
      if (typeof c === "number") r.errorDefs.set(c, { name, whole: true });
    }
  }
  cache.set(rev, r);
  return r;
}

function validator(r: RevSchema, name: string): ValidateFunction {
  let v = r.validators.get(name);
  if (!v) {
    if (!r.defs[name]) throw new Error(`${r.rev}: schema has no definition "${name}"`);
    v = r.ajv.getSchema(`mcp-${r.rev}${r.prefix}${name}`);
    if (!v) throw new Error(`${r.rev}: could not compile ${name}`);
    r.validators.set(name, v);
  }
  return v;
}

function branchTypes(r: RevSchema, branches: unknown): string[] {
  if (!Array.isArray(branches)) return [];
  return branches.flatMap((b) => {
    const d = deref(r, b as Json);
    const t = d?.properties?.type?.const;
    return typeof t === "string" ? [t] : d?.anyOf ? branchTypes(r, d.anyOf) : [];
  });
}

function formatErrors(r: RevSchema, name: string, errs: ErrorObject[], at: string): string[] {
  const out: string[] = [];
  const drop = new Set<string>();
  // Friendlier line for "this content item's `type` is not one this revision knows".
  for (const e of errs) {
    const data = e.data as unknown, type = isObj(data) ? data.type : undefined;
    if (e.keyword !== "anyOf" || typeof type !== "string" || !Array.isArray(e.schema)) continue;
    const known = branchTypes(r, e.schema), where = `${at}${e.instancePath}`;
    if (known.length && !known.includes(type)) {
      out.push(`${name} at ${where || "/"}: type "${type}" is not known in ${r.rev} (expected one of: ${[...new Set(known)].join(", ")})`);
      drop.add(e.instancePath);
      continue;
    }
    // Known `type`: report only the errors of the matching branch, not those of every alternative.
    const branch = (e.schema as Json[]).map((b) => refName(r, b.$ref)).find((n) => n && r.defs[n]?.properties?.type?.const === type);
    if (!branch) continue;
    out.push(...check(r, branch, data, where).map((x) => `${name} > ${x}`));
    drop.add(e.instancePath);
  }
  for (const e of errs) {
    if ([...drop].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`))) continue;
    const p = e.params as Json;
    const extra = e.keyword === "const" ? ` (${JSON.stringify(p.allowedValue)})`
      : e.keyword === "enum" ? ` (${JSON.stringify(p.allowedValues)})`
      : e.keyword === "additionalProperties" ? ` (${p.additionalProperty})` : "";
    out.push(`${name} at ${at + e.instancePath || "/"}: ${e.message}${extra}`);
  }
  const uniq = [...new Set(out)];
  return uniq.length > 30 ? [...uniq.slice(0, 30), `... and ${uniq.length - 30} more`] : uniq;
}

function check(r: RevSchema, name: string, value: unknown, at = ""): string[] {
  const v = validator(r, name);
  return v(value) ? [] : formatErrors(r, name, v.errors ?? [], at);
}

/** Validate any value against one named definition of a revision (for non-message types). */
export function validateAgainst(rev: string, typeName: string, value: unknown): string[] {
  return check(load(rev), typeName, value);
}

/** The method -> definition maps derived from the schema's unions. */
export function methodMaps(rev: string): {
  requests: Record<Side, Record<string, string>>;
  notifications: Record<Side, Record<string, string>>;
} {
  const r = load(rev);
  const obj = (m: Map<string, string>) => Object.fromEntries(m);
  return {
    requests: { client: obj(r.requests.client), server: obj(r.requests.server) },
    notifications: { client: obj(r.notifications.client), server: obj(r.notifications.server) },
  };
}

/** Name of the result definition for a request definition (XRequest -> XResult, else EmptyResult/Result). */
export function resultTypeFor(rev: string, method: string, requester: Side): string | undefined {
  const r = load(rev);
  const req = r.requests[requester].get(method);
  if (!req) return undefined;
  const base = req.replace(/Request$/, "");
  return [`${base}Result`, "EmptyResult", "Result"].find((n) => r.defs[n]);
}

export function classify(msg: unknown): MessageKind | undefined {
  if (!isObj(msg)) return undefined;
  if ("method" in msg) return "id" in msg ? "request" : "notification";
  if ("error" in msg) return "error";
  if ("result" in msg) return "response";
  return undefined;
}

const ENVELOPE_KEYS: Record<MessageKind, string[]> = {
  request: ["jsonrpc", "id", "method", "params"],
  notification: ["jsonrpc", "method", "params"],
  response: ["jsonrpc", "id", "result"],
  error: ["jsonrpc", "id", "error"],
};
// 2026-07-28 documents these resultType values (ResultType is a plain string in the schema).
const RESULT_TYPES = ["complete", "input_required"];

function paramsMayRequestTask(r: RevSchema, reqDef: string): boolean {
  const seen = new Set<Json>();
  const walk = (s: Json | undefined, depth: number): boolean => {
    s = deref(r, s);
    if (!s || depth > 4 || seen.has(s)) return false;
    seen.add(s);
    if (s.properties?.task) return true;
    return ((s.anyOf ?? s.oneOf ?? s.allOf ?? []) as Json[]).some((b) => walk(b, depth + 1));
  };
  return walk(r.defs[reqDef]?.properties?.params, 0);
}

/** Validate a message our `side` is about to send. Returns human-readable errors (empty = valid). */
export function validateOutgoing(rev: string, msg: unknown, opts: ValidateOptions): string[] {
  let r: RevSchema;
  try { r = load(rev); } catch (e) { return [(e as Error).message]; }
  if (Array.isArray(msg)) {
    if (!r.defs.JSONRPCBatchRequest && !r.defs.JSONRPCBatchResponse) return [`${rev}: JSON-RPC batches are not allowed in this revision`];
    if (msg.length === 0) return [`${rev}: empty JSON-RPC batch`];
    return msg.flatMap((m, i) => validateOutgoing(rev, m, opts).map((e) => `[${i}] ${e}`));
  }
  const kind = classify(msg);
  if (!kind || !isObj(msg)) return [`not a JSON-RPC request, notification or response: ${JSON.stringify(msg)?.slice(0, 200)}`];
  const errs: string[] = [];
  const extra = Object.keys(msg).filter((k) => !ENVELOPE_KEYS[kind].includes(k));
  if (extra.length) errs.push(`JSON-RPC ${kind} has unexpected top-level member(s): ${extra.join(", ")}`);
  const { side } = opts;

  if (kind === "request" || kind === "notification") {
    errs.push(...check(r, kind === "request" ? "JSONRPCRequest" : "JSONRPCNotification", msg));
    if (typeof msg.method !== "string") return errs;
    const maps = kind === "request" ? r.requests : r.notifications;
    const def = maps[side].get(msg.method);
    if (!def) {
      const hint = maps[other(side)].has(msg.method) ? ` (it is a ${other(side)} ${kind})` : "";
      errs.push(`${rev}: "${msg.method}" is not a ${side} ${kind} method in this revision${hint}`);
      return errs;
    }
    return [...errs, ...check(r, def, msg)];
  }

  if (kind === "error") {
    errs.push(...check(r, r.errorEnvelope, msg));
    const code = isObj(msg.error) ? msg.error.code : undefined;
    const specific = typeof code === "number" ? r.errorDefs.get(code) : undefined;
    if (specific) errs.push(...(specific.whole ? check(r, specific.name, msg) : check(r, specific.name, msg.error, "/error")));
    return errs;
  }

  // Successful response: the result type depends on the method of the request it answers.
  errs.push(...check(r, r.resultEnvelope, msg));
  const method = opts.method;
  if (!method) return [...errs, `cannot validate a response without opts.method (the method of the request it answers)`];
  const reqDef = r.requests[other(side)].get(method);
  const resultDef = resultTypeFor(rev, method, other(side));
  if (!reqDef || !resultDef) {
    const hint = r.requests[side].has(method) ? ` (it is a ${side} request, so the ${other(side)} answers it)` : "";
    return [...errs, `${rev}: the ${side} cannot answer "${method}": not a ${other(side)} request method in this revision${hint}`];
  }
  const result = msg.result;
  if (!isObj(result)) return errs;
  if (r.defs.InputRequiredResult && result.resultType === "input_required") {
    const resp = r.defs[`${resultDef}Response`]?.properties?.result;
    if (!JSON.stringify(resp ?? {}).includes(`${r.prefix}InputRequiredResult"`)) {
      errs.push(`${rev}: "${method}" cannot return an input_required result (${resultDef}Response does not allow InputRequiredResult)`);
    }
    errs.push(...check(r, "InputRequiredResult", result, "/result"));
    if (!("inputRequests" in result) && !("requestState" in result)) {
      errs.push(`InputRequiredResult at /result: at least one of inputRequests or requestState must be present`);
    }
  } else if (r.defs.CreateTaskResult && "task" in result && paramsMayRequestTask(r, reqDef)) {
    errs.push(...check(r, "CreateTaskResult", result, "/result"));
  } else {
    errs.push(...check(r, resultDef, result, "/result"));
  }
  if (r.defs.ResultType && typeof result.resultType === "string" && !RESULT_TYPES.includes(result.resultType)) {
    errs.push(`Result at /result/resultType: unknown resultType "${result.resultType}" (expected ${RESULT_TYPES.join(" | ")})`);
  }
  return errs;
}

export function assertValidOutgoing(rev: string, msg: unknown, opts: ValidateOptions): void {
  const errs = validateOutgoing(rev, msg, opts);
  if (errs.length) throw new Error(describeFailure(rev, msg, opts, errs));
}

function describeFailure(rev: string, msg: unknown, opts: ValidateOptions, errs: string[]): string {
  const json = JSON.stringify(msg, null, 2) ?? String(msg);
  return `invalid outgoing ${opts.side} message for MCP ${rev}${opts.method ? ` (answering ${opts.method})` : ""}:\n`
    + errs.map((e) => `  - ${e}`).join("\n")
    + `\nmessage: ${json.length > 4000 ? `${json.slice(0, 4000)}…` : json}`;
}

/** The official example files of a revision (default 2026-07-28): one folder per schema type. */
export function exampleFiles(rev = "2026-07-28"): { type: string; file: string; json: unknown }[] {
  const dir = path.join(SPEC_DIR, "examples", rev);
  const out: { type: string; file: string; json: unknown }[] = [];
  for (const type of fs.readdirSync(dir).sort()) {
    const sub = path.join(dir, type);
    if (!fs.statSync(sub).isDirectory()) continue;
    for (const f of fs.readdirSync(sub).filter((n) => n.endsWith(".json")).sort()) {
      const file = path.join(sub, f);
      out.push({ type, file, json: JSON.parse(fs.readFileSync(file, "utf8")) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Recorder: collect traffic, learn request id -> method, validate our side's output.

export type Direction = "out" | "in";
export interface RecordedMessage {
  rev: string;
  /** The side whose traffic this is (the sender for "out", the receiver for "in"). */
  side: Side;
  msg: unknown;
  method?: string;
  direction: Direction;
}
export interface Recorder {
  readonly records: RecordedMessage[];
  /** Record one message; direction defaults to "out". Batches are split. */
  record(entry: { rev: string; side: Side; msg: unknown; method?: string; direction?: Direction }): void;
  /** A message `side` sent (validated later). */
  out(rev: string, side: Side, msg: unknown, method?: string): void;
  /** A message `side` received (only used to learn request methods). */
  in(rev: string, side: Side, msg: unknown): void;
  /** Bind rev+side: `const t = rec.tap("2025-11-25", "server"); t.out(msg); t.in(msg)`. */
  tap(rev: string, side: Side): { out(msg: unknown, method?: string): void; in(msg: unknown): void };
  /** Method of the request with this id sent by `requester`, if seen. */
  methodFor(requester: Side, id: unknown): string | undefined;
  errors(): string[];
  assertAllValid(): void;
  clear(): void;
}

export function createRecorder(): Recorder {
  const records: RecordedMessage[] = [];
  const pending = new Map<string, string>(); // `${requester}|${JSON id}` -> method
  const keyOf = (requester: Side, id: unknown) => `${requester}|${JSON.stringify(id)}`;
  const rec: Recorder = {
    records,
    record({ rev, side, msg, method, direction = "out" }) {
      if (Array.isArray(msg)) {
        for (const m of msg) rec.record({ rev, side, msg: m, method, direction });
        return;
      }
      const kind = classify(msg);
      const m = msg as Json;
      if (kind === "request" && typeof m.method === "string") {
        pending.set(keyOf(direction === "out" ? side : other(side), m.id), m.method);
      }
      if (!method && (kind === "response" || kind === "error")) {
        method = pending.get(keyOf(direction === "out" ? other(side) : side, m.id));
      }
      records.push({ rev, side, msg, direction, ...(method ? { method } : {}) });
    },
    out: (rev, side, msg, method) => rec.record({ rev, side, msg, method, direction: "out" }),
    in: (rev, side, msg) => rec.record({ rev, side, msg, direction: "in" }),
    tap: (rev, side) => ({ out: (msg, method) => rec.out(rev, side, msg, method), in: (msg) => rec.in(rev, side, msg) }),
    methodFor: (requester, id) => pending.get(keyOf(requester, id)),
    errors() {
      return records.flatMap((r, i) => {
        if (r.direction !== "out") return [];
        const errs = validateOutgoing(r.rev, r.msg, { side: r.side, method: r.method });
        return errs.length ? [`#${i} ${describeFailure(r.rev, r.msg, { side: r.side, method: r.method }, errs)}`] : [];
      });
    },
    assertAllValid() {
      const errs = rec.errors();
      if (errs.length) throw new Error(`${errs.length} of ${records.filter((r) => r.direction === "out").length} recorded outgoing message(s) invalid:\n${errs.join("\n\n")}`);
    },
    clear() {
      records.length = 0;
      pending.clear();
    },
  };
  return rec;
}
