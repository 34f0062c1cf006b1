/** The one OAuth error class: an RFC 6749 error code, a description and the HTTP status that carries it. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    description?: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? error);
    this.name = "OAuthError";
  }
  get description(): string | undefined {
    return this.message === this.error ? undefined : this.message;
  }
  toJSON(): { error: string; error_description?: string } {
    const d = this.description;
    return d === undefined ? { error: this.error } : { error: this.error, error_description: d };
  }
}

export const invalidRequest = (d: string) => new OAuthError("invalid_request", d);
export const invalidClient = (d: string, basic = false) =>
  new OAuthError("invalid_client", d, 401, basic ? { "www-authenticate": 'Basic realm="token"' } : {});
export const invalidGrant = (d: string) => new OAuthError("invalid_grant", d);
export const invalidScope = (d: string) => new OAuthError("invalid_scope", d);
export const invalidTarget = (d: string) => new OAuthError("invalid_target", d);
export const unauthorizedClient = (d: string) => new OAuthError("unauthorized_client", d);
export const unsupportedGrantType = (d: string) => new OAuthError("unsupported_grant_type", d);
export const invalidClientMetadata = (d: string) => new OAuthError("invalid_client_metadata", d);
export const invalidRedirectUri = (d: string) => new OAuthError("invalid_redirect_uri", d);
export const accessDenied = (d: string) => new OAuthError("access_denied", d);
export const serverError = (d: string) => new OAuthError("server_error", d, 500);
