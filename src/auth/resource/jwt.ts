/**
 * A verifier for JWT access tokens (RFC 9068) signed by keys from a JWKS. Uses the
 * optional peer dependency `jose`, loaded on first use, so the rest of mcpkit/auth
 * works without it.
 */
import { loadJose } from "../jose.js";
import { audienceList, confirmationOf, scopesOf, type TokenVerifier, type VerifiedToken } from "./verifier.js";

export interface JwtVerifierOptions {
  /** Where the authorization server publishes its keys (its metadata's `jwks_uri`)… */
  jwksUri?: string | URL;
  /** …or the key set itself… */
  jwks?: { keys: Record<string, unknown>[] };
  /** …or one key (e.g. from `importSPKI`). */
  key?: CryptoKey | Uint8Array;
  /** Expected `iss` (the authorization server's issuer). Required: a token from any other issuer is refused. */
  issuer: string | string[];
  /** Expected `aud`: this server's resource identifier(s). Required: no token for another resource is accepted. */
  audience: string | string[];
  /** Accepted signing algorithms (default: the asymmetric ones jose knows; never "none"). */
  algorithms?: string[];
  /** Accepted `typ` header, e.g. "at+jwt" (RFC 9068). Default: any. */
  typ?: string;
  /** Clock skew allowed on exp/nbf/iat, in seconds (default 30). */
  clockToleranceSec?: number;
  /** fetch used for the JWKS (default global fetch). */
  fetch?: typeof fetch;
  /** JWKS fetch time limit (default 5 s) and cache lifetime (default 10 min). */
  timeoutMs?: number;
  cacheMaxAgeMs?: number;
}

const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

export function jwtVerifier(o: JwtVerifierOptions): TokenVerifier {
  if (!o.jwksUri && !o.jwks && !o.key) throw new TypeError("jwtVerifier: give jwksUri, jwks or key");
  if (!o.issuer || !o.audience) throw new TypeError("jwtVerifier: issuer and audience are required");
  let getKey: Promise<any> | undefined;
  const keyFor = async (jose: Awaited<ReturnType<typeof loadJose>>) => {
    if (o.key) return o.key;
    if (o.jwks) return jose.createLocalJWKSet(o.jwks as any);
    const opts: Record<string | symbol, unknown> = { timeoutDuration: o.timeoutMs ?? 5000, cacheMaxAge: o.cacheMaxAgeMs ?? 600_000 };
    if (o.fetch) opts[jose.customFetch] = o.fetch;
    return jose.createRemoteJWKSet(new URL(String(o.jwksUri)), opts as any);
  };
  return {
    async verify(token: string): Promise<VerifiedToken | undefined> {
      const jose = await loadJose();
      const key = await (getKey ??= keyFor(jose));
      try {
        const { payload } = await jose.jwtVerify(token, key, {
          issuer: o.issuer,
          audience: o.audience,
          algorithms: o.algorithms ?? ASYMMETRIC,
          typ: o.typ,
          clockTolerance: o.clockToleranceSec ?? 30,
          requiredClaims: ["exp"],
        });
        const claims = payload as Record<string, unknown>;
        return {
          token,
          subject: typeof payload.sub === "string" ? payload.sub : undefined,
          clientId: typeof claims.client_id === "string" ? claims.client_id : typeof claims.azp === "string" ? claims.azp : undefined,
          scopes: scopesOf(claims),
          expiresAt: payload.exp,
          audience: audienceList(payload.aud),
          ...confirmationOf(claims),
          extra: { claims },
        };
      } catch (e) {
        if (e instanceof jose.errors.JOSEError && !(e instanceof jose.errors.JWKSTimeout)) return undefined;
        throw e;
      }
    },
  };
}
