/**
 * Protected conformance servers for the suite's `authorization` scenarios
 * (`authorization-server-metadata-endpoint`, `authorization-code-grant`): the
 * conformance server (test/conformance/server.ts) behind `withBearerAuth`, each with
 * a different authorization server in front of it —
 *
 *   co-hosted        createAuthorizationServer at the origin; a pre-registered public client (PKCE, no secret)
 *   path-issuer      an issuer with a path (/oauth, path-aware metadata) that admits confidential clients only
 *                    (secrets, or keys: metadata documents with private_key_jwt)
 *   proxy            the OAuth proxy fronting an upstream identity provider (its own HTTP server,
 *                    no dynamic registration) with per-client consent
 *
 * The suite plays the client: it prints an authorize URL for a browser and waits for
 * the redirect on http://127.0.0.1:<callback port>/callback, so every target has a client
 * registered with exactly that redirect URI. Each target has its own callback port: the
 * suite's callback server leaves keep-alive connections open when it closes, and a
 * browser would send the next run's redirect down one of them. `browse()` is the browser (the user signs in
 * at once, and approves the proxy's consent page).
 *
 *   node --import tsx test/conformance/auth-server.ts [first callback port]   # serve them, print how to run the suite
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { OAuthProxyProvider } from "../../src/auth/server/proxy.js";
import { withBearerAuth } from "../../src/auth/resource/bearer.js";
import { serveHttp, toHttpIn, writeOut, type RunningHttpServer } from "../../src/node/http.js";
import type { AuthorizationServerOptions } from "../../src/auth/server/router.js";
import type { OAuthClientInformation } from "../../src/auth/types.js";
import { buildServer } from "./server.js";

export interface AuthorizationTarget {
  id: string;
  title: string;
  /** What the suite gets: --url, --client-id, --client-secret, --resource. */
  issuer: string;
  clientId: string;
  clientSecret?: string;
  resource: string;
  /** -p: the suite's callback server listens here. */
  callbackPort: number;
}

export type TargetId = "co-hosted" | "path-issuer" | "proxy";
export const TARGET_IDS: TargetId[] = ["co-hosted", "path-issuer", "proxy"];

export interface AuthorizationTargets {
  targets: AuthorizationTarget[];
  close(): Promise<void>;
}

const SCOPES = ["mcp:tools", "mcp:resources", "offline_access"];

/** A protected conformance server whose wrapper builds its authorization server once the URL is known. */
async function protectedServer(as: (mcpUrl: string) => AuthorizationServerOptions): Promise<RunningHttpServer> {
  return serveHttp(buildServer(), {
    port: 0,
    wrap: (handler, url) => {
      const authorizationServer = createAuthorizationServer(as(url));
      return withBearerAuth(handler, { resource: url, authorizationServer, requiredScopes: ["mcp:tools"], scopesSupported: SCOPES });
    },
  });
}

export async function startAuthorizationTargets(callbackPorts: Record<TargetId, number>): Promise<AuthorizationTargets> {
  const redirectOf = (id: TargetId) => `http://127.0.0.1:${callbackPorts[id]}/callback`;
  const closers: (() => Promise<void>)[] = [];
  const targets: AuthorizationTarget[] = [];
  const user = { authenticate: () => ({ subject: "conformance-user" }) };

  // 1. Co-hosted at the origin, a public client.
  const pub: OAuthClientInformation = { client_id: "conformance-public", redirect_uris: [redirectOf("co-hosted")], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"] };
  const coHosted = await protectedServer((url) => ({ issuer: new URL(url).origin, scopesSupported: SCOPES, defaultScopes: ["mcp:tools"], resources: [url], local: { ...user, clients: [pub] } }));
  closers.push(() => coHosted.close());
  targets.push({ id: "co-hosted", title: "co-hosted AS, public client", issuer: new URL(coHosted.url).origin, clientId: pub.client_id, resource: coHosted.url, callbackPort: callbackPorts["co-hosted"] });

  // 2. An issuer with a path that takes confidential clients only (no "none" advertised or accepted;
  //    the suite then authenticates with client_secret_post).
  const confidential: OAuthClientInformation = {
    client_id: "conformance-confidential",
    client_secret: "conformance-secret-0123456789abcdef",
    redirect_uris: [redirectOf("path-issuer")],
    token_endpoint_auth_method: "client_secret_post",
    grant_types: ["authorization_code", "refresh_token"],
  };
  const pathIssuer = await protectedServer((url) => ({
    issuer: `${new URL(url).origin}/oauth`,
    scopesSupported: SCOPES,
    defaultScopes: ["mcp:tools"],
    resources: [url],
    tokenEndpointAuthMethods: ["client_secret_post", "client_secret_basic", "private_key_jwt"],
    local: { ...user, clients: [confidential] },
  }));
  closers.push(() => pathIssuer.close());
  targets.push({
    id: "path-issuer",
    title: "issuer with a path, confidential client",
    issuer: `${new URL(pathIssuer.url).origin}/oauth`,
    clientId: confidential.client_id,
    clientSecret: confidential.client_secret,
    resource: pathIssuer.url,
    callbackPort: callbackPorts["path-issuer"],
  });

  // 3. The OAuth proxy in front of an upstream identity provider on its own port.
  const idp = createServer((req, res) => void upstream.handle(toHttpIn(req, res)).then((out) => writeOut(res, out)));
  await new Promise<void>((r) => idp.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise<void>((r) => (idp.closeAllConnections(), idp.close(() => r()))));
  const idpIssuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  let upstream!: ReturnType<typeof createAuthorizationServer>;
  const proxyClient: OAuthClientInformation = { client_id: "conformance-proxy-client", redirect_uris: [redirectOf("proxy")], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"] };
  const proxied = await protectedServer((url) => {
    const issuer = new URL(url).origin;
    upstream = createAuthorizationServer({
      issuer: idpIssuer,
      registration: false,
      local: { authenticate: () => ({ subject: "idp-user" }), clients: [{ client_id: "mcp-proxy", client_secret: "proxy-secret-0123456789abcdef", redirect_uris: [`${issuer}/callback`] }] },
    });
    const provider = new OAuthProxyProvider({
      issuer,
      upstream: { authorizationEndpoint: `${idpIssuer}/authorize`, tokenEndpoint: `${idpIssuer}/token`, clientId: "mcp-proxy", clientSecret: "proxy-secret-0123456789abcdef", issuer: idpIssuer },
      cookieSecret: "conformance-cookie-secret-0123456789abcdef",
      identify: async (t) => ({ subject: `idp:${(await upstream.verifier.verify(t.access_token))!.subject}` }),
      clients: [proxyClient],
    });
    return { issuer, provider, scopesSupported: SCOPES, defaultScopes: ["mcp:tools"], resources: [url] };
  });
  closers.push(() => proxied.close());
  targets.push({ id: "proxy", title: "OAuth proxy with consent, upstream IdP", issuer: new URL(proxied.url).origin, clientId: proxyClient.client_id, resource: proxied.url, callbackPort: callbackPorts.proxy });

  return { targets, close: async () => void (await Promise.all(closers.map((c) => c()))) };
}

/**
 * The user's browser: follows redirects by hand (keeping cookies), approves a consent
 * page when one is shown, and stops after delivering the redirect to the suite's
 * callback. Returns every URL visited.
 */
export async function browse(authorizeUrl: string, callbackOrigin: string): Promise<string[]> {
  const jar = new Map<string, string>();
  const visited: string[] = [];
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    visited.push(url);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    if (url.startsWith(`${callbackOrigin}/`)) {
      await res.body?.cancel();
      return visited;
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url).href;
      init = {};
      continue;
    }
    const page = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(page);
    if (res.status !== 200 || !form) throw new Error(`browser: ${url} answered ${res.status}: ${page.slice(0, 300)}`);
    const fields = new URLSearchParams({ action: "approve" });
    for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields.set(m[1], m[2]);
    url = new URL(form[1].replace(/&amp;/g, "&"), url).href;
    init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: fields.toString() };
  }
  throw new Error(`browser: too many redirects from ${authorizeUrl}`);
}

// Run when started directly: serve the targets for a manual run of the suite.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const first = Number(process.argv[2] ?? 3000);
  const { targets, close } = await startAuthorizationTargets(Object.fromEntries(TARGET_IDS.map((id, i) => [id, first + i])) as Record<TargetId, number>);
  for (const t of targets) {
    const args = [`--url ${t.issuer}`, `--client-id ${t.clientId}`, ...(t.clientSecret ? [`--client-secret ${t.clientSecret}`] : []), `--resource ${t.resource}`, `-p ${t.callbackPort}`];
    console.log(`${t.title}:\n  npx @modelcontextprotocol/conformance authorization ${args.join(" ")}\n`);
  }
  const stop = () => void close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
