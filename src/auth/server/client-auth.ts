/**
 * Client authentication at the token, revocation and introspection endpoints:
 * client_secret_basic, client_secret_post, private_key_jwt (RFC 7523, with `jose`)
 * and none (public clients). A client must use the method it registered.
 */
import { invalidClient, invalidRequest } from "../errors.js";
import { parseBasic } from "../http.js";
import { loadJose } from "../jose.js";
import type { OAuthClientInformation } from "../types.js";
import { decodeJwtPayload, nowSeconds, safeEqual } from "../util.js";

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface AuthenticatedClient {
  client: OAuthClientInformation;
  method: string;
  /** Authenticated with a secret or a key (not a public client). */
  confidential: boolean;
}

export interface ClientAuthContext {
  getClient(id: string): Promise<OAuthClientInformation | undefined>;
  issuer: string;
  tokenEndpoint: string;
  /** Replay cache for assertion `jti`s. */
  seenJti: Map<string, number>;
  /** Fetch a client's `jwks_uri` (fenced like a metadata document). */
  fetchJson(url: string): Promise<unknown>;
  /** The methods this server accepts (default: all four). */
  authMethods?: ReadonlySet<string>;
}

export function registeredMethod(c: OAuthClientInformation): string {
  return c.token_endpoint_auth_method ?? (c.client_secret ? "client_secret_basic" : "none");
}

export async function authenticateClient(req: Request, form: URLSearchParams, ctx: ClientAuthContext): Promise<AuthenticatedClient> {
  const basic = parseBasic(req.headers.get("authorization"));
  const postSecret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  const used = [basic && "client_secret_basic", postSecret !== null && "client_secret_post", assertion !== null && "private_key_jwt"].filter(Boolean) as string[];
  if (used.length > 1) throw invalidRequest("Use one client authentication method");
  const method = used[0] ?? "none";
  if (ctx.authMethods && !ctx.authMethods.has(method)) throw invalidClient(method === "none" ? "Client authentication required" : `This server does not accept ${method}`, method === "client_secret_basic");
  let id = basic?.id ?? form.get("client_id");
  if (method === "private_key_jwt") {
    if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION) throw invalidClient("Unsupported client_assertion_type");
    const sub = unverifiedSubject(assertion!);
    if (id !== null && id !== sub) throw invalidClient("client_id does not match the assertion");
    id = sub;
  }
  if (basic && form.get("client_id") !== null && form.get("client_id") !== basic.id) throw invalidClient("client_id does not match the credentials", true);
  if (!id) throw invalidClient("Client authentication required", method === "client_secret_basic");
  const client = await ctx.getClient(id).catch(() => undefined);
  if (!client) throw invalidClient("Unknown client", method === "client_secret_basic");
  const expected = registeredMethod(client);
  if (expected !== method) throw invalidClient(`This client authenticates with ${expected}`, method === "client_secret_basic");
  switch (method) {
    case "none":
      return { client, method, confidential: false };
    case "client_secret_basic":
    case "client_secret_post": {
      const secret = basic?.secret ?? postSecret ?? "";
      if (!client.client_secret || !safeEqual(secret, client.client_secret)) throw invalidClient("Invalid client credentials", method === "client_secret_basic");
      if (client.client_secret_expires_at && client.client_secret_expires_at < nowSeconds()) throw invalidClient("The client secret has expired", method === "client_secret_basic");
      return { client, method, confidential: true };
    }
    default:
      await verifyAssertion(assertion!, client, ctx);
      return { client, method, confidential: true };
  }
}

function unverifiedSubject(jwt: string): string {
  const sub = decodeJwtPayload(jwt)?.sub;
  if (typeof sub === "string") return sub;
  throw invalidClient("Malformed client assertion");
}

async function verifyAssertion(assertion: string, client: OAuthClientInformation, ctx: ClientAuthContext): Promise<void> {
  const jose = await loadJose();
  if (!client.jwks && !client.jwks_uri) throw invalidClient("The client has no registered keys");
  const jwks = client.jwks ?? (await ctx.fetchJson(client.jwks_uri!).catch(() => undefined));
  if (!jwks || typeof jwks !== "object" || !Array.isArray((jwks as any).keys)) throw invalidClient("The client's key set could not be read");
  const keys = jose.createLocalJWKSet(jwks as any);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jose.jwtVerify(assertion, keys, {
      issuer: client.client_id,
      subject: client.client_id,
      audience: [ctx.issuer, ctx.tokenEndpoint],
      requiredClaims: ["exp"],
      clockTolerance: 30,
    }));
  } catch (e) {
    throw invalidClient(`Invalid client assertion: ${(e as Error).message}`);
  }
  if (Number(payload.exp) - nowSeconds() > 3600) throw invalidClient("Client assertion lives too long");
  const jti = payload.jti;
  if (typeof jti === "string") {
    const key = `${client.client_id} ${jti}`;
    const now = Date.now();
    if ((ctx.seenJti.get(key) ?? 0) > now) throw invalidClient("Client assertion replayed");
    if (ctx.seenJti.size > 10_000) for (const [k, until] of ctx.seenJti) if (until <= now) ctx.seenJti.delete(k);
    ctx.seenJti.set(key, (Number(payload.exp) + 60) * 1000);
  }
}
