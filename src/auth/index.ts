/**
 * mcpkit/auth — OAuth 2.1 for MCP (authorization spec 2026-07-28, with the 2025-03-26 fallbacks).
 *
 * - Resource server: `withBearerAuth(handler, …)` with `jwtVerifier` (JWKS) or `introspectionVerifier` (RFC 7662).
 * - Authorization server: `createAuthorizationServer` over an `OAuthAuthorizationServerProvider`
 *   (`LocalAuthorizationProvider` by default, `OAuthProxyProvider` to front an upstream identity provider).
 * - Client: `OAuthClientProvider`, given to `StreamableHttpClientTransport` as `auth`.
 *
 * `jose` (an optional peer dependency) is loaded only by the JWT verifier and private_key_jwt;
 * DPoP proofs (RFC 9449) are checked with WebCrypto.
 */
export type * from "./types.js";
export { OAuthError } from "./errors.js";
export { parseWwwAuthenticate, bearerChallenge, formatBearerChallenge, canonicalResource, pkceChallenge, randomToken, type Challenge } from "./util.js";
export { isPublicAddress } from "./ip.js";
export { DPoPProofChecker, DPoPError, jwkThumbprint, type DPoPOptions } from "./dpop.js";

// resource server
export { withBearerAuth, type BearerAuthOptions, type AuthenticatedHttpHandler, type CoHostedAuthorizationServer } from "./resource/bearer.js";
export { tokenVerifier, type TokenVerifier, type VerifiedToken } from "./resource/verifier.js";
export { jwtVerifier, type JwtVerifierOptions } from "./resource/jwt.js";
export { introspectionVerifier, type IntrospectionVerifierOptions } from "./resource/introspection.js";

// authorization server
export { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions } from "./server/router.js";
export type { OAuthAuthorizationServerProvider, AuthorizationParams, AuthorizationCode, AccessToken, RefreshToken, AuthorizeContext, TokenBinding } from "./server/provider.js";
export { LocalAuthorizationProvider, type LocalProviderOptions, type Approval } from "./server/local-provider.js";
export { InMemoryOAuthStore, type OAuthStore } from "./server/store.js";
export { JwtAccessTokens, type JwtAccessTokenOptions, type AccessTokenMinter, type AccessTokenClaims } from "./server/jwt-tokens.js";
export { OAuthProxyProvider, type OAuthProxyOptions, type UpstreamProvider } from "./server/proxy.js";
export { fetchClientMetadataDocument, validateClientMetadataDocument, isClientIdUrl, type ClientMetadataFetchOptions } from "./server/cimd.js";
export type { RegistrationOptions } from "./server/register.js";

// client
export { OAuthClientProvider, type OAuthClientOptions } from "./client/provider.js";
export { InMemoryTokenStorage, type TokenStorage, type StoredTokens } from "./client/storage.js";
export { discover, discoverProtectedResource, discoverAuthorizationServer, authorizationServerMetadataUrls, DiscoveryError, type Discovery } from "./client/discovery.js";
export { headlessAuthorize } from "./client/headless.js";
export type { ClientKey } from "./client/requests.js";
export { idJagAssertion, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT, ID_JAG_TOKEN_TYPE, type AssertionContext, type AssertionSource, type IdJagOptions } from "./client/grants.js";
