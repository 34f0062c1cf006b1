/**
 * Checking DPoP proofs (RFC 9449 §4.3) for the resource server and the token endpoint:
 * a JWT signed with the client's key (`typ` dpop+jwt, an asymmetric `alg`, the public key
 * in `jwk`), naming the request (`htm`, `htu`), fresh (`iat`), never replayed (`jti`), bound
 * to the access token it travels with (`ath`), and, when nonces are on, carrying a nonce
 * this server handed out. The result is the key's thumbprint (`jkt`), which a bound token's
 * `cnf.jkt` must equal. WebCrypto only (no `jose`): DPoP works wherever the core runs.
 */
import { OAuthError } from "./errors.js";
import { base64url, base64urlDecode, decodeJwtPart, safeEqual, sha256 } from "./util.js";

const DPOP_ALGS = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

export interface DPoPOptions {
  /** Accepted proof algorithms (default: ES256, ES384, ES512, RS256, PS256, EdDSA). */
  algs?: string[];
  /** How old (by `iat`) a proof may be, in seconds (default 120); 60 s of clock skew is allowed the other way. */
  maxAgeSeconds?: number;
  /**
   * Require server nonces (RFC 9449 §8, §9): a proof without a current one is answered with
   * `use_dpop_nonce` and a `DPoP-Nonce` header. Default off. Nonces are stateless (an HMAC of
   * the minute); processes behind one load balancer need the same `nonceSecret`.
   */
  nonces?: boolean;
  nonceSecret?: string;
  /**
   * Proof ids remembered against replay, per process (default 50,000). When it is full of
   * live ids, new proofs are refused until some expire: never forgetting a live one keeps a
   * replay from slipping through. Processes behind a load balancer each keep their own.
   */
  replayCacheSize?: number;
}

/** A refused proof: `invalid_dpop_proof`, or `use_dpop_nonce` with the nonce to use. */
export class DPoPError extends OAuthError {
  constructor(error: "invalid_dpop_proof" | "use_dpop_nonce", description: string, status: number, nonce?: string) {
    super(error, description, status, nonce ? { "dpop-nonce": nonce } : {});
  }
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const NONCE_WINDOW_MS = 60_000;
const NONCE_WINDOWS = 5;
const enc = new TextEncoder();

/** A proof that passed every check; `commit()` records its `jti` (refusing a replay), once the request is otherwise accepted. */
export interface CheckedProof {
  jkt: string;
  commit(): void;
}

/** WebCrypto parameters of each JWS algorithm (RFC 7518 §3; JWS ECDSA signatures are raw r‖s, as WebCrypto's). */
const WEBCRYPTO: Record<string, { key: any; verify: any }> = {
  ES256: { key: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  ES384: { key: { name: "ECDSA", namedCurve: "P-384" }, verify: { name: "ECDSA", hash: "SHA-384" } },
  ES512: { key: { name: "ECDSA", namedCurve: "P-521" }, verify: { name: "ECDSA", hash: "SHA-512" } },
  RS256: { key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  PS256: { key: { name: "RSA-PSS", hash: "SHA-256" }, verify: { name: "RSA-PSS", saltLength: 32 } },
  EdDSA: { key: { name: "Ed25519" }, verify: { name: "Ed25519" } },
};

/** The members of a public key that its RFC 7638 thumbprint covers, in order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = { EC: ["crv", "kty", "x", "y"], RSA: ["e", "kty", "n"], OKP: ["crv", "kty", "x"] };

/** RFC 7638 JWK thumbprint (SHA-256, base64url). */
export async function jwkThumbprint(jwk: Record<string, unknown>): Promise<string> {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (!members || members.some((m) => typeof jwk[m] !== "string")) throw new TypeError("Unsupported or incomplete JWK");
  return sha256(JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]]))));
}

async function verifySignature(jws: string, alg: string, jwk: Record<string, unknown>): Promise<boolean> {
  const p = WEBCRYPTO[alg];
  if (!p) return false;
  try {
    const { kty, crv, x, y, n, e } = jwk;
    const key = await crypto.subtle.importKey("jwk", { kty, crv, x, y, n, e } as JsonWebKey, p.key, false, ["verify"]);
    const dot = jws.lastIndexOf(".");
    return await crypto.subtle.verify(p.verify, key, base64urlDecode(jws.slice(dot + 1)) as Uint8Array<ArrayBuffer>, enc.encode(jws.slice(0, dot)));
  } catch {
    return false;
  }
}

/** `scheme://host[:port]/path` of a URL: what `htu` is compared by (no query, no fragment). */
function htuOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

export class DPoPProofChecker {
  readonly algs: string[];
  private readonly maxAge: number;
  private readonly seen = new Map<string, number>();
  private readonly cap: number;
  private hmacKey: Promise<CryptoKey> | undefined;
  private current: { window: number; nonce: Promise<string> } | undefined;

  constructor(private readonly o: DPoPOptions = {}) {
    this.algs = o.algs ?? DPOP_ALGS;
    if (!this.algs.length || this.algs.some((a) => a === "none" || a.startsWith("HS"))) throw new TypeError("DPoP algs must be asymmetric signature algorithms");
    this.maxAge = o.maxAgeSeconds ?? 120;
    this.cap = o.replayCacheSize ?? 50_000;
  }

  /**
   * Check `proof` (the DPoP header) for a request `method` to `url` (this server's public
   * URL for the request, never one derived from the Host header). `status` is what refusals
   * carry: 400 at the token endpoint, 401 at a resource. The `jti` is recorded by `commit()`:
   * a resource commits only once the token is accepted, so proofs sent with junk tokens
   * cannot fill the replay cache.
   */
  async check(proof: string | null, req: { method: string; url: string; accessToken?: string; status: number }): Promise<CheckedProof> {
    const bad = (why: string) => new DPoPError("invalid_dpop_proof", why, req.status);
    if (!proof || !JWS.test(proof)) throw bad(proof ? "The DPoP proof is not one compact JWT" : "A DPoP proof is required");
    const header: Record<string, any> | undefined = decodeJwtPart(proof, 0);
    const payload = decodeJwtPart(proof, 1);
    if (!header || !payload) throw bad("The DPoP proof is not a JWT of JSON objects");
    if (header?.typ !== "dpop+jwt") throw bad("typ must be dpop+jwt");
    if (typeof header.alg !== "string" || !this.algs.includes(header.alg)) throw bad(`alg must be one of ${this.algs.join(" ")}`);
    const jwk = header.jwk;
    if (!jwk || typeof jwk !== "object" || Array.isArray(jwk) || jwk.kty === "oct" || PRIVATE_MEMBERS.some((m) => m in jwk)) throw bad("jwk must be a public key");
    if (!(await verifySignature(proof, header.alg, jwk))) throw bad("The DPoP proof signature does not verify");
    const { jti, htm, htu, iat, ath, nonce } = payload;
    if (typeof jti !== "string" || !jti || jti.length > 256) throw bad("jti is missing");
    if (htm !== req.method.toUpperCase()) throw bad("htm does not match the request method");
    // §4.3: compared without query and fragment.
    if (typeof htu !== "string" || htuOf(htu) === undefined || htuOf(htu) !== htuOf(req.url)) throw bad("htu does not match the request URL");
    const now = Date.now() / 1000;
    if (typeof iat !== "number" || iat < now - this.maxAge || iat > now + 60) throw bad("iat is not within the accepted window");
    if (req.accessToken !== undefined && ath !== (await sha256(req.accessToken))) throw bad("ath does not match the access token");
    if (this.o.nonces && !(typeof nonce === "string" && (await this.nonceValid(nonce)))) {
      throw new DPoPError("use_dpop_nonce", "Use the DPoP nonce this server gives", req.status, await this.nonce());
    }
    const jkt = await jwkThumbprint(jwk);
    const key = `${jkt} ${jti}`;
    const until = (iat + this.maxAge + 60) * 1000;
    this.remember(key, until, req.status, false);
    return { jkt, commit: () => this.remember(key, until, req.status, true) };
  }

  /** The nonce to hand out now (undefined when nonces are off). */
  async nonce(): Promise<string | undefined> {
    if (!this.o.nonces) return undefined;
    const window = Math.floor(Date.now() / NONCE_WINDOW_MS);
    if (this.current?.window !== window) this.current = { window, nonce: this.nonceFor(window) };
    return this.current.nonce;
  }

  /** Refuse a live `key`; with `record`, remember it (refusing when the cache is full of live ids). */
  private remember(key: string, until: number, status: number, record: boolean): void {
    const now = Date.now();
    const prior = this.seen.get(key);
    if (prior !== undefined && prior > now) throw new DPoPError("invalid_dpop_proof", "The DPoP proof was already used (jti)", status);
    if (!record) return;
    if (this.seen.size >= this.cap) {
      for (const [k, t] of this.seen) if (t <= now) this.seen.delete(k);
      if (this.seen.size >= this.cap) throw new DPoPError("invalid_dpop_proof", "Too many recent DPoP proofs; try again shortly", status);
    }
    this.seen.set(key, until);
  }

  private async nonceFor(window: number): Promise<string> {
    this.hmacKey ??= crypto.subtle.importKey("raw", this.o.nonceSecret ? enc.encode(this.o.nonceSecret) : crypto.getRandomValues(new Uint8Array(32)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await this.hmacKey, enc.encode(String(window))));
    return `${window.toString(36)}.${base64url(mac.subarray(0, 16))}`;
  }

  private async nonceValid(nonce: string): Promise<boolean> {
    const window = parseInt(nonce.slice(0, nonce.indexOf(".")), 36);
    const current = Math.floor(Date.now() / NONCE_WINDOW_MS);
    if (!Number.isSafeInteger(window) || window > current || window <= current - NONCE_WINDOWS) return false;
    return safeEqual(nonce, await this.nonceFor(window));
  }
}
