/**
 * OAuth 2.1 shapes shared by the resource server, the authorization server and
 * the client: metadata documents (RFC 8414, RFC 9728), client metadata
 * (RFC 7591 / OIDC DCR / Client ID Metadata Documents) and token responses.
 * Field names are the wire names.
 */

/** RFC 9728 protected-resource metadata. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers?: string[];
  scopes_supported?: string[];
  bearer_methods_supported?: string[];
  resource_name?: string;
  resource_documentation?: string;
  jwks_uri?: string;
  [key: string]: unknown;
}

/** RFC 8414 authorization-server metadata (and the OpenID Discovery fields we read). */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  jwks_uri?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  grant_types_supported?: string[];
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  token_endpoint_auth_signing_alg_values_supported?: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  introspection_endpoint_auth_methods_supported?: string[];
  /** RFC 9207. */
  authorization_response_iss_parameter_supported?: boolean;
  /** Client ID Metadata Documents. */
  client_id_metadata_document_supported?: boolean;
  /** RFC 9449: the DPoP proof algorithms the server accepts. */
  dpop_signing_alg_values_supported?: string[];
  [key: string]: unknown;
}

export type TokenEndpointAuthMethod = "none" | "client_secret_basic" | "client_secret_post" | "private_key_jwt";

/** Client metadata (RFC 7591 §2, OIDC DCR `application_type`). */
export interface OAuthClientMetadata {
  redirect_uris?: string[];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  scope?: string;
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: TokenEndpointAuthMethod | string;
  /** "native" for desktop, CLI and localhost clients; "web" for remote ones (required by MCP 2026-07-28 DCR). */
  application_type?: "native" | "web" | string;
  contacts?: string[];
  tos_uri?: string;
  policy_uri?: string;
  jwks_uri?: string;
  jwks?: { keys: Record<string, unknown>[] };
  software_id?: string;
  software_version?: string;
  [key: string]: unknown;
}

/** A registered client as the authorization server keeps it (and as DCR answers). */
export interface OAuthClientInformation extends OAuthClientMetadata {
  client_id: string;
  client_secret?: string;
  client_id_issued_at?: number;
  /** Seconds since the epoch; 0 = never. */
  client_secret_expires_at?: number;
}

/** A token endpoint response. */
export interface OAuthTokens {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
  [key: string]: unknown;
}

/** An RFC 6749 §5.2 error body. */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  error_uri?: string;
}
