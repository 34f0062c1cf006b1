/** Where the client keeps its tokens and its registrations (one registration per authorization server). */
import type { OAuthClientInformation, OAuthTokens } from "../types.js";

export interface StoredTokens extends OAuthTokens {
  /** The authorization server that issued them; they are never sent on behalf of another. */
  issuer: string;
  /** When the access token expires, in ms since the epoch. */
  expires_at?: number;
  /** Set when these came from a refresh (ms since the epoch): a 401 right after is not refreshed again. */
  refreshed_at?: number;
}

export interface TokenStorage {
  getTokens(): Promise<StoredTokens | undefined>;
  setTokens(tokens: StoredTokens | undefined): Promise<void>;
  /** Client credentials are bound to the authorization server that issued them: keyed by its issuer. */
  getClientInfo(issuer: string): Promise<OAuthClientInformation | undefined>;
  setClientInfo(issuer: string, info: OAuthClientInformation | undefined): Promise<void>;
}

export class InMemoryTokenStorage implements TokenStorage {
  private tokens: StoredTokens | undefined;
  private readonly clients = new Map<string, OAuthClientInformation>();
  async getTokens() {
    return this.tokens;
  }
  async setTokens(t: StoredTokens | undefined) {
    this.tokens = t;
  }
  async getClientInfo(issuer: string) {
    return this.clients.get(issuer);
  }
  async setClientInfo(issuer: string, info: OAuthClientInformation | undefined) {
    if (info) this.clients.set(issuer, info);
    else this.clients.delete(issuer);
  }
}
