/**
 * DPoP for the client (RFC 9449): one ES256 key pair per provider (WebCrypto, the private
 * key not extractable), a fresh proof per request (`htm`, `htu` without query or fragment,
 * `jti`, `iat`, `ath` for a resource request, the last `nonce` the server gave), and the
 * nonces each server hands out with `DPoP-Nonce`.
 */
import { randomToken, sha256, signEs256 } from "../util.js";

export class DPoPSigner {
  private keys: Promise<{ pair: CryptoKeyPair; jwk: JsonWebKey }> | undefined;
  private readonly nonces = new Map<string, string>();

  constructor(private readonly keyPair?: CryptoKeyPair) {}

  private key(): Promise<{ pair: CryptoKeyPair; jwk: JsonWebKey }> {
    return (this.keys ??= (async () => {
      const pair = this.keyPair ?? ((await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair);
      const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
      return { pair, jwk: { kty, crv, x, y } };
    })());
  }

  /** A proof for `method url`; with `accessToken`, bound to it (`ath`). */
  async proof(method: string, url: string | URL, accessToken?: string): Promise<string> {
    const { pair, jwk } = await this.key();
    const u = new URL(String(url));
    const htu = `${u.origin}${u.pathname}`;
    const nonce = this.nonces.get(u.origin);
    const payload = { jti: randomToken(16), htm: method.toUpperCase(), htu, iat: Math.floor(Date.now() / 1000), ...(accessToken ? { ath: await sha256(accessToken) } : {}), ...(nonce ? { nonce } : {}) };
    return signEs256({ typ: "dpop+jwt", jwk }, payload, pair.privateKey);
  }

  /** Remember the nonce a response from `url` carries; true when it is a new one. */
  takeNonce(url: string | URL, res: Response): boolean {
    const n = res.headers.get("dpop-nonce");
    if (!n) return false;
    const origin = new URL(String(url)).origin;
    const fresh = this.nonces.get(origin) !== n;
    this.nonces.set(origin, n);
    return fresh;
  }
}

/** True for a response whose challenge or error body says `use_dpop_nonce`. */
export async function wantsNonce(res: Response): Promise<boolean> {
  if (/use_dpop_nonce/.test(res.headers.get("www-authenticate") ?? "")) return true;
  if (res.status !== 400) return false;
  const body = await res.clone().json().catch(() => undefined);
  return body?.error === "use_dpop_nonce";
}
