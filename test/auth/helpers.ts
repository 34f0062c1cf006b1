// Shared set-up for the auth tests: an McpServer behind withBearerAuth with a co-hosted
// authorization server, served on a loopback port, and a fetch recorder.
import { McpServer } from "../../src/app/index.js";
import { Client } from "../../src/client/client.js";
import { serveHttp, type RunningHttpServer } from "../../src/node/http.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions } from "../../src/auth/server/router.js";
import { withBearerAuth, type BearerAuthOptions } from "../../src/auth/resource/bearer.js";
import { OAuthClientProvider, type OAuthClientOptions } from "../../src/auth/client/provider.js";

export const REDIRECT = "http://127.0.0.1:1/callback";

export function demoServer(): McpServer {
  const mcp = new McpServer({ name: "auth-demo", version: "1.0.0" });
  mcp.tool("whoami", { description: "The caller" }, (_a: unknown, ctx: any) => ({ subject: ctx.authInfo?.subject ?? null, clientId: ctx.authInfo?.clientId ?? null, scopes: ctx.authInfo?.scopes ?? [] }));
  mcp.tool("write", { description: "Needs mcp:write" }, () => "written");
  return mcp;
}

export interface Stack {
  running: RunningHttpServer;
  as: AuthorizationServer;
  url: string;
  close(): Promise<void>;
}

/** The demo server at /mcp with a co-hosted authorization server at the origin. */
export async function startStack(
  asOpts: Partial<AuthorizationServerOptions> = {},
  rsOpts: Partial<BearerAuthOptions> = {},
): Promise<Stack> {
  const mcp = demoServer();
  let as!: AuthorizationServer;
  const running = await serveHttp(mcp, {
    port: 0,
    sse: false,
    wrap: (h, url) => {
      as = createAuthorizationServer({
        issuer: new URL(url).origin,
        scopesSupported: ["mcp:read", "mcp:write", "offline_access"],
        local: { authenticate: () => ({ subject: "alice" }) },
        ...asOpts,
      });
      return withBearerAuth(h, { resource: url, authorizationServer: as, requiredScopes: ["mcp:read"], toolScopes: { write: ["mcp:write"] }, scopesSupported: ["mcp:read", "mcp:write"], ...rsOpts });
    },
  });
  return { running, as, url: running.url, close: () => running.close() };
}

export async function connect(url: string, opts: Partial<OAuthClientOptions> = {}, era?: "legacy" | "modern") {
  const provider = new OAuthClientProvider({
    serverUrl: url,
    clientMetadata: { client_name: "auth-test", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] },
    headless: true,
    ...opts,
  });
  const client = new Client({ name: "auth-test", version: "1.0.0" }, era ? { era } : {});
  await client.connect(new StreamableHttpClientTransport(url, { auth: provider }));
  return { client, provider };
}

export interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body?: string;
  status: number;
}

/** A fetch that records every request and its status. */
export function recordingFetch(inner: typeof fetch = globalThis.fetch.bind(globalThis)): { fetch: typeof fetch; log: Recorded[] } {
  const log: Recorded[] = [];
  const f = (async (input: any, init?: RequestInit) => {
    const req = new Request(input, init);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.clone().text();
    const res = await inner(req);
    log.push({ method: req.method, url: req.url, headers: req.headers, body, status: res.status });
    return res;
  }) as typeof fetch;
  return { fetch: f, log };
}

export const textOf = (r: any): string => r.content?.[0]?.text ?? "";
