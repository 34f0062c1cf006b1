/**
 * Protocol revisions mcpkit speaks, oldest first, and the era each belongs to.
 *
 * "legacy" revisions use the initialize handshake and connection-scoped state;
 * the "modern" revision (2026-07-28) is stateless: every request carries its own
 * version and capabilities in `_meta`.
 */
export const REVISIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"] as const;
export type Revision = (typeof REVISIONS)[number];
export type Era = "legacy" | "modern";

export const LEGACY_REVISIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] as const;
export const MODERN_REVISIONS = ["2026-07-28"] as const;
export const LATEST_LEGACY_REVISION: Revision = "2025-11-25";
export const LATEST_MODERN_REVISION: Revision = "2026-07-28";
export const LATEST_REVISION: Revision = "2026-07-28";
/** Assumed by Streamable HTTP servers when a legacy client omits MCP-Protocol-Version. */
export const DEFAULT_LEGACY_HTTP_REVISION: Revision = "2025-03-26";

const known = new Set<string>(REVISIONS);
const modern = new Set<string>(MODERN_REVISIONS);

export function isRevision(v: unknown): v is Revision {
  return typeof v === "string" && known.has(v);
}
export function isLegacyRevision(v: unknown): v is Revision {
  return isRevision(v) && !modern.has(v);
}
export function isModernRevision(v: unknown): v is Revision {
  return typeof v === "string" && modern.has(v);
}
export function eraOf(rev: Revision): Era {
  return modern.has(rev) ? "modern" : "legacy";
}

/** Revisions compare as dates; string order is date order for this format. */
export function atLeast(rev: Revision, min: Revision): boolean {
  return rev >= min;
}

/**
 * Legacy version negotiation: echo a requested legacy revision we support,
 * otherwise answer with our latest legacy revision (the client decides whether
 * it can live with that).
 */
export function negotiateLegacy(requested: unknown, supported: readonly Revision[] = LEGACY_REVISIONS): Revision {
  if (typeof requested === "string" && (supported as readonly string[]).includes(requested) && !modern.has(requested)) {
    return requested as Revision;
  }
  const legacy = supported.filter((r) => !modern.has(r));
  return legacy.length ? legacy[legacy.length - 1] : LATEST_LEGACY_REVISION;
}
