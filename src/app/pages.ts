/**
 * Opaque, validated pagination cursors. A cursor encodes the offset of the next
 * page and the list's version; anything we did not mint is -32602.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";

const PREFIX = "mk1.";

export function encodeCursor(offset: number): string {
  return PREFIX + btoa(String(offset)).replace(/=+$/, "");
}

export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined) return 0;
  if (typeof cursor === "string" && cursor.startsWith(PREFIX)) {
    try {
      const n = Number(atob(cursor.slice(PREFIX.length)));
      if (Number.isSafeInteger(n) && n >= 0) return n;
    } catch {
      // fall through to the error
    }
  }
  throw new McpError(ErrorCode.InvalidParams, "Invalid cursor");
}

/** One page of `items` and the cursor of the next, if any. */
export function page<T>(items: readonly T[], cursor: unknown, size: number): { items: T[]; nextCursor?: string } {
  const offset = decodeCursor(cursor);
  if (offset > items.length) throw new McpError(ErrorCode.InvalidParams, "Invalid cursor: past the end of the list");
  const end = offset + size;
  const slice = offset === 0 && end >= items.length ? (items as T[]) : items.slice(offset, end);
  return end < items.length ? { items: slice, nextCursor: encodeCursor(end) } : { items: slice };
}
