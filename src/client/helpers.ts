/** Small pieces of the Client: capability declarations, era-probe reading, list paging. */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { Params } from "../protocol/jsonrpc.js";
import { LATEST_MODERN_REVISION } from "../protocol/revisions.js";
import type { ClientCapabilities } from "../protocol/types.js";
import type { ClientHandlerMap } from "./types.js";

/** A -32022 (unsupported protocol version) whose `data.supported` names our modern revision. */
export function offersModern(e: unknown): boolean {
  const supported = e instanceof McpError && e.code === ErrorCode.UnsupportedProtocolVersion ? (e.data as any)?.supported : undefined;
  return Array.isArray(supported) && supported.includes(LATEST_MODERN_REVISION);
}

/** Declare the capabilities our handlers can serve. */
export function deriveCapabilities(h: ClientHandlerMap): ClientCapabilities {
  const caps: ClientCapabilities = {};
  if (h["sampling/createMessage"]) caps.sampling = {};
  if (h["elicitation/create"]) caps.elicitation = { form: {}, url: {} };
  if (h["roots/list"]) caps.roots = {};
  return caps;
}

/** Legacy revisions know `roots.listChanged`; we send roots/list_changed there. */
export function legacyCapabilities(c: ClientCapabilities): ClientCapabilities {
  return c.roots ? { ...c, roots: { listChanged: true, ...c.roots } } : c;
}

/** Every page of a list, following nextCursor (bounded, so a looping server cannot hang us). */
export async function* allPages<T>(page: (cursor: string | undefined) => Promise<Params>, method: string, key: string, maxPages = 1000): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const r = await page(cursor);
    for (const item of (r[key] as T[]) ?? []) yield item;
    cursor = r.nextCursor as string | undefined;
    if (!cursor) return;
  }
  throw new McpError(ErrorCode.InternalError, `${method}: more than ${maxPages} pages`);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
