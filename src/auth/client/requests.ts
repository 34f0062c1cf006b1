/** The client's calls to the authorization server: registration (RFC 7591), token requests, client authentication. */
import { OAuthError } from "../errors.js";
import { formatBasic } from "../http.js";
import { loadJose } from "../jose.js";
import type { AuthorizationServerMetadata, OAuthClientInformation, OAuthClientMetadata, OAuthTokens } from "../types.js";
import { randomToken } from "../util.js";
import { wantsNonce, type DPoPSigner } from "./dpop.js";

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** A key for private_key_jwt: a PKCS#8 PEM or a CryptoKey, and its algorithm (default ES256). */
export interface ClientKey {
  privateKey: string | CryptoKey;
  algorithm?: string;
  kid?: string;
}

/** The method to authenticate with: the registered one, else the best the server supports. */
export function chooseAuthMethod(client: OAuthClientInformation, m: AuthorizationServerMetadata, key?: ClientKey): string {
  if (client.token_endpoint_auth_method) return client.token_endpoint_auth_method;
  if (key) return "private_key_jwt";
  const supported = m.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (!client.client_secret) return "none";
  if (supported.includes("client_secret_basic")) return "client_secret_basic";
  if (supported.includes("client_secret_post")) return "client_secret_post";
  return "client_secret_basic";
}

async function assertion(client: OAuthClientInformation, audience: string, key: ClientKey): Promise<string> {
  const jose = await loadJose();
  const alg = key.algorithm ?? "ES256";
  const k = typeof key.privateKey === "string" ? await jose.importPKCS8(key.privateKey, alg) : key.privateKey;
  return new jose.SignJWT({})
    .setProtectedHeader({ alg, typ: "JWT", ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(client.client_id)
    .setSubject(client.client_id)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .setJti(randomToken(16))
    .sign(k);
}

/** Add the client's authentication to a token-endpoint request. */
export async function authenticate(form: URLSearchParams, headers: Record<string, string>, client: OAuthClientInformation, m: AuthorizationServerMetadata, key?: ClientKey): Promise<void> {
  const method = chooseAuthMethod(client, m, key);
  switch (method) {
    case "client_secret_basic":
      headers.authorization = formatBasic(client.client_id, client.client_secret ?? "");
      return;
    case "client_secret_post":
      form.set("client_id", client.client_id);
      form.set("client_secret", client.client_secret ?? "");
      return;
    case "private_key_jwt":
      if (!key) throw new Error("private_key_jwt needs a private key");
      form.set("client_id", client.client_id);
      form.set("client_assertion_type", JWT_BEARER_ASSERTION);
      form.set("client_assertion", await assertion(client, m.issuer, key));
      return;
    default:
      form.set("client_id", client.client_id);
  }
}

export async function oauthError(res: Response): Promise<OAuthError> {
  const text = await res.text().catch(() => "");
  try {
    const b = JSON.parse(text);
    if (typeof b?.error === "string") return new OAuthError(b.error, typeof b.error_description === "string" ? b.error_description : undefined, res.status);
  } catch {
    // not JSON
  }
  return new OAuthError("server_error", `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`, res.status);
}

/** POST to the token endpoint; the tokens, or the server's OAuthError. With `dpop`, a proof goes along (and once more with the server's nonce). */
export async function tokenRequest(f: typeof fetch, m: AuthorizationServerMetadata, form: URLSearchParams, client: OAuthClientInformation, key?: ClientKey, dpop?: DPoPSigner): Promise<OAuthTokens> {
  const endpoint = m.token_endpoint;
  if (!endpoint) throw new Error(`Authorization server ${m.issuer} has no token endpoint`);
  const send = async () => {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    await authenticate(form, headers, client, m, key);
    if (dpop) headers.dpop = await dpop.proof("POST", endpoint);
    return f(endpoint, { method: "POST", headers, body: form.toString(), signal: AbortSignal.timeout(30_000) });
  };
  let res = await send();
  // RFC 9449 §8: the server wants a nonce in the proof; retry once with the one it gave.
  if (dpop && !res.ok && dpop.takeNonce(endpoint, res) && (await wantsNonce(res))) {
    await res.body?.cancel();
    res = await send();
  }
  if (!res.ok) throw await oauthError(res);
  dpop?.takeNonce(endpoint, res);
  const tokens = (await res.json()) as OAuthTokens;
  if (typeof tokens?.access_token !== "string" || typeof tokens.token_type !== "string") throw new OAuthError("invalid_response", "The token response has no access_token or token_type");
  const type = tokens.token_type.toLowerCase();
  if (type !== "bearer" && !(dpop && type === "dpop")) throw new OAuthError("invalid_response", `Unsupported token_type ${tokens.token_type}`);
  return tokens;
}

/** Dynamic client registration (RFC 7591). */
export async function registerClient(f: typeof fetch, m: AuthorizationServerMetadata, metadata: OAuthClientMetadata): Promise<OAuthClientInformation> {
  if (!m.registration_endpoint) throw new Error(`Authorization server ${m.issuer} offers no registration`);
  const res = await f(m.registration_endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(metadata),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw await oauthError(res);
  const info = (await res.json()) as OAuthClientInformation;
  if (typeof info?.client_id !== "string") throw new OAuthError("invalid_response", "The registration response has no client_id");
  return { ...metadata, ...info };
}
