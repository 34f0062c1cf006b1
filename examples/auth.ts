/**
 * OAuth end to end on one machine: an MCP server that requires bearer tokens, an
 * authorization server co-hosted beside it, and a client that discovers, registers,
 * authorizes (headless: no browser) and calls a tool that needs a further scope.
 *
 *   npx tsx examples/auth.ts
 */
import { Client, McpServer } from "mcpkit";
import { serveHttp } from "mcpkit/node";
import { StreamableHttpClientTransport } from "mcpkit/http";
import { createAuthorizationServer, OAuthClientProvider, withBearerAuth } from "mcpkit/auth";

const mcp = new McpServer({ name: "Protected", version: "1.0.0" });
mcp.tool("whoami", { description: "Who is calling" }, (_args, ctx) => `You are ${ctx.authInfo?.subject} with ${ctx.authInfo?.scopes.join(" ")}`);
mcp.tool("write_note", { description: "Needs notes:write" }, () => "Saved");

const server = await serveHttp(mcp, {
  port: 0,
  wrap: (handler, url) => {
    const as = createAuthorizationServer({
      issuer: new URL(url).origin,
      scopesSupported: ["notes:read", "notes:write"],
      resources: [url],
      dpop: true, // tokens bound to the client's key (RFC 9449): useless to anyone who copies them
      // Your login goes here: return the user (from your session cookie), or a Response with a login page.
      local: { authenticate: () => ({ subject: "demo-user" }) },
    });
    return withBearerAuth(handler, {
      resource: url,
      authorizationServer: as,
      requiredScopes: ["notes:read"],
      toolScopes: { write_note: ["notes:write"] },
    });
  },
});

const auth = new OAuthClientProvider({
  serverUrl: server.url,
  clientMetadata: { client_name: "Example client", redirect_uris: ["http://127.0.0.1:3000/callback"] },
  headless: true, // a desktop app gives redirectHandler (open a browser) and callbackHandler (await the redirect) instead
});
const client = new Client({ name: "example", version: "1.0.0" });
await client.connect(new StreamableHttpClientTransport(server.url, { auth }));
console.log((await client.callTool("whoami")).content);
console.log((await client.callTool("write_note")).content); // 403 insufficient_scope → step-up → retried
await client.close();
await server.close();
