/**
 * A resource server only: an MCP server that accepts access tokens from an external
 * authorization server (Keycloak, Auth0, Entra ID… or examples/auth-server.ts) and issues
 * none itself. Tokens are JWTs (RFC 9068) checked offline against the issuer's keys.
 *
 *   npx tsx examples/auth-server.ts --port 9000                       (an authorization server to trust)
 *   npx tsx examples/auth-resource-server.ts --issuer http://127.0.0.1:9000 [--port 8000]
 *   npx tsx examples/auth-client.ts http://127.0.0.1:8000/mcp --open
 *
 * The issuer may also come from MCP_AUTH_ISSUER. Needs `jose` (an optional peer dependency
 * of mcpkit, loaded only by the JWT verifier): npm install jose.
 */
import { McpServer } from "mcpkit";
import { serveHttp } from "mcpkit/node";
import { discoverAuthorizationServer, jwtVerifier, withBearerAuth } from "mcpkit/auth";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const port = Number(option("--port") ?? process.env.PORT ?? 8000);
// The issuer identifier exactly as the authorization server spells it (an origin has no trailing slash).
const issuer = (option("--issuer") ?? process.env.MCP_AUTH_ISSUER)?.replace(/^(https?:\/\/[^/]+)\/$/, "$1");
if (!issuer) {
  process.stderr.write("usage: auth-resource-server.ts --issuer <authorization server URL> [--port N]   (or MCP_AUTH_ISSUER)\n");
  process.exit(2);
}

// RFC 8414 discovery, once at startup: the metadata must name this very issuer (checked),
// and its jwks_uri says where the signing keys are. The keys themselves are fetched on the
// first token and cached (10 min), re-fetched when a token names an unknown key (rotation).
const metadata = await discoverAuthorizationServer(issuer, fetch);
if (!metadata) throw new Error(`No authorization server metadata found for ${issuer}`);
if (!metadata.jwks_uri) throw new Error(`${issuer} publishes no jwks_uri: it does not issue JWT access tokens (use introspection, see below)`);
const jwksUri = metadata.jwks_uri;

const mcp = new McpServer({ name: "Notes (resource server)", version: "1.0.0" });
mcp.tool("whoami", { description: "Who is calling, as the access token says" }, (_args, ctx) => {
  const a = ctx.authInfo;
  // jwtVerifier keeps the verified claims in extra.claims (iss, aud, exp, client_id…).
  const claims = (a?.extra?.claims ?? {}) as { iss?: string };
  return `You are ${a?.subject} (client ${a?.clientId}) with scopes: ${a?.scopes.join(" ")}; token issued by ${claims.iss}`;
});
mcp.tool("write_note", { description: "Save a note (needs the notes:write scope)" }, (_args, ctx) => `Saved a note for ${ctx.authInfo?.subject}`);

const server = await serveHttp(mcp, {
  port,
  sse: false,
  wrap: (handler, url) =>
    withBearerAuth(handler, {
      // This server's canonical URI: a token is accepted only if its aud names it, so a token
      // issued for another server (even by the same issuer) is refused.
      resource: url,
      // Named in the protected-resource metadata (RFC 9728): clients discover the issuer there.
      authorizationServers: [issuer],
      verifier: jwtVerifier({ jwksUri, issuer, audience: url, typ: "at+jwt" }),
      // Opaque tokens instead (RFC 7662): ask the authorization server about each one, as a
      // client registered there (cache answers briefly to save round trips):
      //   verifier: introspectionVerifier({ endpoint: metadata.introspection_endpoint!,
      //     clientId: "notes-rs", clientSecret: process.env.RS_SECRET, issuer, cacheMs: 30_000 }),
      requiredScopes: ["notes:read"],
      toolScopes: { write_note: ["notes:write"] },
    }),
});

process.stdout.write(`READY ${server.url}\n`);
process.stdout.write(`Trusting tokens from ${issuer} (keys: ${jwksUri})\nConnect:  npx tsx examples/auth-client.ts ${server.url} --open\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.close().then(() => process.exit(0)));
