/** Dynamic client registration (RFC 7591), with OIDC's `application_type`. */
import { invalidClientMetadata, invalidRedirectUri, OAuthError } from "../errors.js";
import { json, NO_STORE, readJson } from "../http.js";
import type { OAuthClientInformation, OAuthClientMetadata } from "../types.js";
import { isLoopbackHost, nowSeconds, parseScopes, randomToken } from "../util.js";

export interface RegistrationOptions {
  /** Scopes a client may register for (default: the server's scopes_supported, if any). */
  validScopes?: string[];
  /** Scope given to a client that names none. */
  defaultScopes?: string[];
  /** Lifetime of issued client secrets in seconds (default 0: never expire). */
  clientSecretTtl?: number;
  /** Token endpoint auth methods a client may register (set by the server from its own list). */
  authMethods?: readonly string[];
}

/**
 * A redirect URI a client may register: https; http on a loopback host; or, for a
 * native application, a private-use scheme with a dot (RFC 8252 §7.1). Never a fragment.
 */
export function validRedirectUri(uri: string, applicationType?: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (uri.includes("#")) return false;
  if (u.protocol === "https:") return true; // native apps may use claimed https URLs too (RFC 8252 §7.2)
  if (u.protocol === "http:") return isLoopbackHost(u.hostname);
  if (/^(javascript|data|file|vbscript|blob|about):$/i.test(u.protocol)) return false;
  return applicationType === "native" && u.protocol.slice(0, -1).includes(".");
}

/** What dynamic registration hands out (private_key_jwt clients come pre-registered or as metadata documents). */
export const REGISTRABLE_METHODS = ["client_secret_basic", "client_secret_post", "none"];
const GRANTS = new Set(["authorization_code", "refresh_token", "client_credentials"]);

export function checkClientMetadata(m: OAuthClientMetadata, o: RegistrationOptions): OAuthClientMetadata {
  if (!m || typeof m !== "object" || Array.isArray(m)) throw invalidClientMetadata("Client metadata must be a JSON object");
  const appType = m.application_type ?? "web";
  if (appType !== "web" && appType !== "native") throw invalidClientMetadata("application_type must be web or native");
  const grants = m.grant_types ?? ["authorization_code", "refresh_token"];
  if (!Array.isArray(grants) || grants.some((g) => !GRANTS.has(g))) throw invalidClientMetadata(`grant_types may contain only ${[...GRANTS].join(", ")}`);
  const responseTypes = m.response_types ?? (grants.includes("authorization_code") ? ["code"] : []);
  if (!Array.isArray(responseTypes) || responseTypes.some((r) => r !== "code")) throw invalidClientMetadata("response_types may contain only code");
  const allowed = o.authMethods ? REGISTRABLE_METHODS.filter((a) => o.authMethods!.includes(a)) : REGISTRABLE_METHODS;
  // RFC 7591 §2: the default is client_secret_basic; a server that does not take it substitutes one it does.
  const method = m.token_endpoint_auth_method ?? (allowed.includes("client_secret_basic") ? "client_secret_basic" : allowed[0]);
  if (!allowed.includes(method)) throw invalidClientMetadata(`token_endpoint_auth_method must be one of ${allowed.join(", ")}`);
  if (grants.includes("client_credentials") && method === "none") throw invalidClientMetadata("client_credentials needs a confidential client");
  const uris = m.redirect_uris ?? [];
  if (!Array.isArray(uris) || uris.some((u) => typeof u !== "string")) throw invalidRedirectUri("redirect_uris must be an array of strings");
  if (grants.includes("authorization_code") && !uris.length) throw invalidRedirectUri("redirect_uris is required for the authorization_code grant");
  // A web client may not register a private-use scheme (only native ones do, OIDC DCR §2).
  for (const u of uris) if (!validRedirectUri(u, appType)) throw invalidRedirectUri(`Redirect URI not allowed: ${u}`);
  let scope = m.scope;
  if (scope !== undefined && typeof scope !== "string") throw invalidClientMetadata("scope must be a string");
  const valid = o.validScopes;
  if (scope && valid) {
    const bad = parseScopes(scope).filter((s) => !valid.includes(s));
    if (bad.length) throw new OAuthError("invalid_client_metadata", `Scopes not allowed: ${bad.join(" ")}`);
  }
  if (!scope && o.defaultScopes?.length) scope = o.defaultScopes.join(" ");
  for (const k of ["client_uri", "logo_uri", "tos_uri", "policy_uri"] as const) {
    const v = m[k];
    if (v !== undefined && (typeof v !== "string" || !/^https?:\/\//i.test(v))) throw invalidClientMetadata(`${k} must be an http(s) URL`);
  }
  return { ...m, application_type: appType, grant_types: grants, response_types: responseTypes, token_endpoint_auth_method: method, redirect_uris: uris, ...(scope ? { scope } : {}) };
}

export async function handleRegister(req: Request, o: RegistrationOptions, save: (c: OAuthClientInformation) => Promise<void>): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const body = (await readJson(req)) as OAuthClientMetadata;
  const meta = checkClientMetadata(body, o);
  // Fields the server assigns are never taken from the request.
  const { client_id: _i, client_secret: _s, client_id_issued_at: _a, client_secret_expires_at: _e, ...rest } = meta as OAuthClientInformation;
  const now = nowSeconds();
  const client: OAuthClientInformation = { ...rest, client_id: randomToken(16), client_id_issued_at: now };
  if (meta.token_endpoint_auth_method !== "none") {
    client.client_secret = randomToken(32);
    client.client_secret_expires_at = o.clientSecretTtl ? now + o.clientSecretTtl : 0;
  }
  await save(client);
  return json(client, 201, NO_STORE);
}
