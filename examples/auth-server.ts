/**
 * A protected MCP server with its own authorization server, co-hosted on the same origin.
 * Users sign in on a small login/consent page; the access tokens are JWTs (RFC 9068,
 * ES256, keys at <origin>/jwks), so other resource servers can trust this server too
 * (see examples/auth-resource-server.ts).
 *
 *   npx tsx examples/auth-server.ts [--port 8000] [--auto-approve]
 *   npx tsx examples/auth-client.ts http://127.0.0.1:8000/mcp          (opens the login page for you with --open)
 *
 * --auto-approve skips the login page and approves every request as "demo-user": for
 * scripts and tests (`auth-client.ts --headless` follows redirects only, it fills in no form).
 * Never run it anywhere reachable by someone else.
 */
import { McpServer } from "mcpkit";
import { serveHttp } from "mcpkit/node";
import { createAuthorizationServer, JwtAccessTokens, LocalAuthorizationProvider, randomToken, withBearerAuth, type Approval, type AuthorizationParams, type OAuthClientInformation } from "mcpkit/auth";

const args = process.argv.slice(2);
const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : Number(process.env.PORT ?? 8000);
const autoApprove = args.includes("--auto-approve");

const mcp = new McpServer({ name: "Notes (protected)", version: "1.0.0" });
// ctx.authInfo is the verified token: who the user is, which client acts for them, with which scopes.
mcp.tool("whoami", { description: "Who is calling, as the access token says" }, (_args, ctx) => {
  const a = ctx.authInfo;
  return `You are ${a?.subject} (client ${a?.clientId}) with scopes: ${a?.scopes.join(" ")}`;
});
// Listed in toolScopes below: a token without notes:write gets 403 insufficient_scope, and
// the client asks the user again for the larger set of scopes (step-up).
mcp.tool("write_note", { description: "Save a note (needs the notes:write scope)" }, (_args, ctx) => `Saved a note for ${ctx.authInfo?.subject}`);

// ---- login and consent ------------------------------------------------------------------------

/** Authorization requests shown on a login page and not yet answered, by an unguessable id. */
const pending = new Map<string, { params: AuthorizationParams; until: number }>();
const PENDING_MS = 10 * 60_000;
const MAX_PENDING = 1000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, body: string): Response {
  return new Response(`<!doctype html><meta charset="utf-8"><title>Sign in</title><body style="font-family:sans-serif;max-width:32em;margin:3em auto">${body}</body>`, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // A consent page must not be framed by another site (clickjacking) nor run foreign scripts.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
    },
  });
}

/**
 * `authenticate` answers a new authorization request with this page. The request's
 * parameters stay here on the server; the form carries only the id, which acts as the
 * anti-forgery token: a form posted without a live id is refused.
 */
function loginPage(client: OAuthClientInformation, params: AuthorizationParams): Response {
  for (const [id, p] of pending) if (p.until < Date.now()) pending.delete(id);
  // Anyone may start an authorization request: keep at most MAX_PENDING, dropping the oldest.
  for (const id of pending.keys()) {
    if (pending.size < MAX_PENDING) break;
    pending.delete(id);
  }
  const id = randomToken();
  pending.set(id, { params, until: Date.now() + PENDING_MS });
  // client_name comes from dynamic registration, i.e. from anyone: escaped, and shown with
  // the host the user will be sent back to, which is what actually identifies the client.
  const name = escapeHtml(client.client_name ?? client.client_id);
  const back = escapeHtml(new URL(params.redirectUri).host);
  const scopes = params.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("") || "<li>(none)</li>";
  return page(
    200,
    `<h1>Sign in</h1>
<p><b>${name}</b> (returning to <code>${back}</code>) asks to use this MCP server for you, with:</p><ul>${scopes}</ul>
<form method="post" action="login">
<input type="hidden" name="request" value="${id}">
<p><label>User name <input name="user" required pattern="[A-Za-z0-9._@-]{1,64}" autofocus></label></p>
<p><button name="action" value="approve">Allow</button> <button name="action" value="deny" formnovalidate>Deny</button></p>
</form>`,
  );
}

/**
 * The default provider (codes and tokens in memory), plus the endpoint the login form posts
 * to: `routes` are served by the authorization server below its issuer, here /login.
 */
class LoginFormProvider extends LocalAuthorizationProvider {
  readonly routes = { "/login": (req: Request) => this.submit(req) };

  constructor(
    private readonly issuer: string,
    accessTokens: JwtAccessTokens,
  ) {
    super({
      authenticate: (_req, client, params): Approval | Response => (autoApprove ? { subject: "demo-user" } : loginPage(client, params)),
      accessTokens, // mints the access tokens as JWTs (still stored by hash: revocation and introspection work)
      accessTokenTtl: 15 * 60, // a resource server verifying offline cannot see a revocation: keep tokens short-lived
    });
  }

  private async submit(req: Request): Promise<Response> {
    if (req.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } });
    const form = new URLSearchParams(await req.text());
    const id = form.get("request") ?? "";
    const entry = pending.get(id);
    pending.delete(id); // single use: a second post of the same form is refused
    if (!entry || entry.until < Date.now()) return page(400, "<p>This sign-in form has expired. Start again from your MCP client.</p>");
    const { params } = entry;
    let location: string;
    if (form.get("action") === "approve") {
      // A real server checks a password or its own session cookie here; the demo trusts the name.
      const user = form.get("user")?.trim() ?? "";
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(user)) return page(400, "<p>Invalid user name. Start again from your MCP client.</p>");
      // approve() stores a single-use code and gives the redirect back: redirect_uri?code=…&state=…&iss=…
      location = await this.approve(params, { subject: user }, this.issuer);
    } else {
      const u = new URL(params.redirectUri);
      u.searchParams.set("error", "access_denied");
      if (params.state !== undefined) u.searchParams.set("state", params.state);
      u.searchParams.set("iss", this.issuer); // RFC 9207: the client checks who answered
      location = u.href;
    }
    return new Response(null, { status: 302, headers: { location, "cache-control": "no-store" } });
  }
}

// ---- serving ---------------------------------------------------------------------------------

const server = await serveHttp(mcp, {
  port,
  sse: false, // OAuth clients speak Streamable HTTP; no legacy SSE endpoints to protect
  // wrap runs once the port is known: the issuer and resource URLs depend on it.
  wrap: (handler, url) => {
    const issuer = new URL(url).origin;
    // JWT access tokens (RFC 9068: typ at+jwt, ES256, iss, sub, aud = the resource, client_id,
    // scope, exp) signed with a key made at start-up (pass `key` to keep one across restarts).
    // The provider mints them; the authorization server publishes the public key at
    // <issuer>/jwks, named by jwks_uri in its metadata: any resource server can check them offline.
    const tokens = new JwtAccessTokens({ issuer });
    const as = createAuthorizationServer({
      issuer,
      provider: new LoginFormProvider(issuer, tokens),
      accessTokens: tokens,
      scopesSupported: ["notes:read", "notes:write"],
      // No `resources` list: tokens are issued for whatever resource the client names (and
      // only for it: aud), so auth-resource-server.ts can use this server too. A production
      // server lists the resources it serves.
      // `dpop: true` would bind tokens to the client's key (see examples/auth.ts); every
      // resource server taking them must then understand DPoP (withBearerAuth does).
    });
    return withBearerAuth(handler, {
      resource: url,
      authorizationServer: as, // serves the AS endpoints beside /mcp and verifies its tokens
      requiredScopes: ["notes:read"],
      toolScopes: { write_note: ["notes:write"] },
    });
  },
});

process.stdout.write(`READY ${server.url}\n`);
process.stdout.write(
  `Authorization server: ${new URL(server.url).origin} (metadata at /.well-known/oauth-authorization-server, keys at /jwks)\n` +
    `Connect:  npx tsx examples/auth-client.ts ${server.url} --open\n` +
    (autoApprove ? "--auto-approve: every request is approved as demo-user, without a login page\n" : ""),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.close().then(() => process.exit(0)));
