/**
 * JWT access tokens (RFC 9068) for the authorization server, so a resource server that
 * does not share its token store can verify them offline against the JWKS
 * (`jwtVerifier({ jwksUri })`). Signed ES256 with WebCrypto: no `jose` needed to issue them.
 * The local provider still stores each token (by hash), so revocation, introspection and
 * the co-hosted verifier keep working; a resource server verifying offline sees a revoked
 * token as valid until it expires, so keep access tokens short-lived.
 */
import { jwkThumbprint } from "../dpop.js";
import { randomToken, signEs256 } from "../util.js";

/** What an access token says (the local provider's grant). */
export interface AccessTokenClaims {
  clientId: string;
  subject?: string;
  scopes: string[];
  resource?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** DPoP key thumbprint, when the token is bound (`cnf.jkt`). */
  jkt?: string;
}

/** Turns a grant into an access token string (default: a random opaque token). */
export interface AccessTokenMinter {
  mint(claims: AccessTokenClaims): Promise<string>;
}

export interface JwtAccessTokenOptions {
  /** The authorization server's issuer (`iss`). */
  issuer: string;
  /**
   * ECDSA P-256 key pair to sign with. Default: one generated at start-up, so tokens stop
   * verifying when the process restarts; give a stored key for anything long-lived.
   */
  key?: CryptoKeyPair;
}

export class JwtAccessTokens implements AccessTokenMinter {
  private readonly keys: Promise<{ privateKey: CryptoKey; jwk: JsonWebKey & { kid: string } }>;

  constructor(private readonly o: JwtAccessTokenOptions) {
    this.keys = (async () => {
      const pair = o.key ?? ((await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair);
      const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
      if (kty !== "EC" || crv !== "P-256") throw new TypeError("JwtAccessTokens: the key must be ECDSA P-256 (ES256)");
      const kid = await jwkThumbprint({ crv, kty, x, y }); // stable for a given key
      return { privateKey: pair.privateKey, jwk: { kty, crv, x, y, kid, alg: "ES256", use: "sig" } };
    })();
    this.keys.catch(() => {}); // reported by mint() and jwks()
  }

  /** The public key set served at `jwks_uri`. */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    return { keys: [(await this.keys).jwk] };
  }

  async mint(c: AccessTokenClaims): Promise<string> {
    const { privateKey, jwk } = await this.keys;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.o.issuer,
      // RFC 9068 §2.2: sub is the user, or the client itself when no user is involved.
      sub: c.subject ?? c.clientId,
      aud: c.resource ?? this.o.issuer,
      client_id: c.clientId,
      iat: now,
      exp: c.expiresAt,
      jti: randomToken(16),
      ...(c.scopes.length ? { scope: c.scopes.join(" ") } : {}),
      ...(c.jkt ? { cnf: { jkt: c.jkt } } : {}),
    };
    return signEs256({ typ: "at+jwt", kid: jwk.kid }, claims, privateKey);
  }
}
