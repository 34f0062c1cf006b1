/**
 * An OAuth client for a protected MCP server: on the server's 401 it discovers the
 * authorization server, registers itself (dynamic registration or a Client ID Metadata
 * Document), sends the user to sign in, receives the code on a loopback redirect
 * (RFC 8252 §7.3), trades it for tokens (PKCE), then lists the tools and calls whoami.
 *
 *   npx tsx examples/auth-client.ts <mcp url> [--open] [--callback-port N] [--headless]
 *
 *   --open            open the sign-in page in the default browser (otherwise the URL is printed)
 *   --callback-port   port of the loopback redirect URI (default: any free port)
 *   --headless        no browser and no user: follow the authorization server's redirects
 *                     directly. Works only when the server approves without a page
 *                     (e.g. examples/auth-server.ts --auto-approve); for tests and scripts.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "mcpkit";
import { StreamableHttpClientTransport } from "mcpkit/http";
import { OAuthClientProvider } from "mcpkit/auth";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const serverUrl = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--callback-port");
if (!serverUrl) {
  process.stderr.write("usage: auth-client.ts <mcp url> [--open] [--callback-port N] [--headless]\n");
  process.exit(2);
}
const headless = args.includes("--headless");

// ---- the loopback redirect ---------------------------------------------------------------------

// The authorization server sends the browser back to http://127.0.0.1:<port>/callback?code=…
// A loopback address is the one redirect a native app can own without a web server of its
// own (RFC 8252 §7.3); it listens on 127.0.0.1 only, so nothing else on the network reaches it.
let deliver: ((url: URL) => void) | undefined;
const callbackServer = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname !== "/callback" || !deliver) return void res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  const failed = url.searchParams.get("error");
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
  res.end(failed ? `Authorization failed: ${failed}. You can close this window.` : "Signed in. You can close this window and return to the terminal.");
  deliver(url);
  deliver = undefined;
});
await new Promise<void>((resolve, reject) => {
  callbackServer.once("error", reject);
  callbackServer.listen(Number(option("--callback-port") ?? 0), "127.0.0.1", resolve);
});
const redirectUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;

/** The callback of the authorization started last (a step-up starts a new one). */
let callback: Promise<URL> = Promise.reject(new Error("no authorization in progress"));
callback.catch(() => {});

function openBrowser(url: string): void {
  const [cmd, ...rest] = process.platform === "darwin" ? ["open"] : process.platform === "win32" ? ["cmd", "/c", "start", '""'] : ["xdg-open"];
  // Best effort: the URL is printed anyway.
  spawn(cmd, [...rest, url], { stdio: "ignore", detached: true }).on("error", () => {}).unref();
}

// ---- OAuth and MCP -----------------------------------------------------------------------------

const auth = new OAuthClientProvider({
  serverUrl,
  clientMetadata: {
    client_name: "mcpkit example client",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  },
  // Tokens and registrations live in memory: every run signs in again. A real app gives a
  // TokenStorage of its own (getTokens/setTokens, getClientInfo/setClientInfo by issuer),
  // e.g. a JSON file readable only by the user (mode 0600) or the OS keychain, so it stays
  // signed in and refreshes silently next time.
  // storage: new FileTokenStorage("~/.config/my-app/tokens.json"),
  headless,
  redirectHandler: (url) => {
    callback = new Promise<URL>((resolve, reject) => {
      deliver = resolve;
      // Give up if the user never comes back.
      setTimeout(() => reject(new Error("No sign-in within 5 minutes")), 5 * 60_000).unref();
    });
    process.stdout.write(`Sign in at:\n  ${url.href}\n(waiting for the redirect to ${redirectUri})\n`);
    if (args.includes("--open")) openBrowser(url.href);
  },
  callbackHandler: () => callback,
});

// The client's first request (the era probe) meets the 401; the client waits for the sign-in,
// however long the person takes, before deciding which era the server speaks.
const client = new Client({ name: "auth-client-example", version: "1.0.0" });
try {
  // The first request gets 401; the provider runs the whole flow and the transport retries.
  await client.connect(new StreamableHttpClientTransport(serverUrl, { auth }));
  process.stdout.write(`Connected to ${client.serverInfo?.name ?? serverUrl} (${client.era} era), authorized by ${auth.discovery?.issuer}\n`);
  const { tools } = await client.listTools();
  process.stdout.write(`tools: ${tools.map((t) => t.name).join(", ")}\n`);
  const who = await client.callTool("whoami");
  process.stdout.write(`whoami: ${who.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("")}\n`);
} catch (e) {
  // e.g. "access_denied" when the user pressed Deny, or the server's refusal of the token
  process.stderr.write(`Failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
} finally {
  await client.close();
  callbackServer.close();
}
