/**
 * Token verification for the resource server. A verifier turns a bearer token into
 * the identity and scopes it carries, or refuses it; the wrapper then checks expiry
 * and audience (RFC 8707) itself, so a custom verifier cannot forget them.
 */
import type { AuthInfo } from "../../server/context.js";

/** What a verifier knows about a valid token. `expiresAt` is in seconds since the epoch. */
export interface VerifiedToken extends AuthInfo {
  /** The resources (audiences) the token was issued for; the wrapper requires ours among them. */
  audience?: string[];
  /** The key the token is bound to (RFC 9449 `cnf.jkt`): the request must prove it with DPoP. */
  confirmation?: { jkt?: string };
}

export interface TokenVerifier {
  /** The token's identity, or undefined (or a throw) when it is not valid. */
  verify(token: string): Promise<VerifiedToken | undefined>;
}

/** A verifier from a function, e.g. a lookup in your own token table. */
export function tokenVerifier(fn: (token: string) => Promise<VerifiedToken | undefined> | VerifiedToken | undefined): TokenVerifier {
  return { verify: async (t) => fn(t) };
}

/** The `aud` claim (string or array) as a list. */
export function audienceList(aud: unknown): string[] | undefined {
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return undefined;
}

/** Scopes from a `scope` string (RFC 8693/9068) or an `scp` claim (string or array). */
export function scopesOf(claims: Record<string, unknown>): string[] {
  const s = claims.scope ?? claims.scp;
  if (typeof s === "string") return s.split(" ").filter(Boolean);
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === "string");
  return [];
}

/** A token's `cnf` claim (RFC 7800) as `confirmation`, when it names a DPoP key thumbprint. */
export function confirmationOf(claims: Record<string, unknown>): { confirmation: { jkt: string } } | {} {
  const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
  return typeof jkt === "string" ? { confirmation: { jkt } } : {};
}
