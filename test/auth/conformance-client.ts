// A client program for the official conformance suite's auth scenarios (and the plain ones):
//   conformance client --command "npx tsx test/auth/conformance-client.ts" --scenario auth/metadata-default
// The suite appends the server URL and sets MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_PROTOCOL_VERSION
// and, for some scenarios, MCP_CONFORMANCE_CONTEXT (JSON: client_id, client_secret, private_key_pem, …).
// Exit 0 on success, 1 on refusal or error (the refusal scenarios allow that).
import { pathToFileURL } from "node:url";
import { Client } from "../../src/client/client.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import { OAuthClientProvider, type OAuthClientOptions } from "../../src/auth/client/provider.js";
import { idJagAssertion } from "../../src/auth/client/grants.js";

/** The options for a scenario; exported so a combined conformance client can reuse them. */
export function oauthOptionsFor(serverUrl: string, scenario: string, context: Record<string, any>): OAuthClientOptions | undefined {
  if (!scenario.startsWith("auth/")) return undefined;
  const base: OAuthClientOptions = {
    serverUrl,
    headless: true,
    clientMetadata: { client_name: "mcpkit conformance client", redirect_uris: ["http://localhost:3000/callback"], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] },
    clientMetadataUrl: "https://conformance-test.local/client-metadata.json",
  };
  if (scenario === "auth/client-credentials-jwt") {
    return { ...base, grant: "client_credentials", clientInformation: { client_id: context.client_id, token_endpoint_auth_method: "private_key_jwt" }, clientKey: { privateKey: context.private_key_pem, algorithm: context.signing_algorithm ?? "ES256" } };
  }
  if (scenario === "auth/client-credentials-basic") {
    return { ...base, grant: "client_credentials", clientInformation: { client_id: context.client_id, client_secret: context.client_secret, token_endpoint_auth_method: "client_secret_basic" } };
  }
  if (scenario === "auth/wif-jwt-bearer") {
    // SEP-1933: the workload's JWT is the grant; a public client (auth method none).
    return { ...base, grant: "jwt_bearer", assertion: context.valid_jwt, clientInformation: { client_id: context.client_id, token_endpoint_auth_method: "none" } };
  }
  if (scenario === "auth/cross-app-access-complete-flow" || scenario === "auth/enterprise-managed-authorization") {
    // SEP-990: exchange the IdP's ID token for an ID-JAG (RFC 8693), then present it (RFC 7523).
    const assertion = idJagAssertion({ tokenEndpoint: context.idp_token_endpoint, idToken: context.idp_id_token, clientId: context.idp_client_id });
    return { ...base, grant: "jwt_bearer", assertion, clientInformation: { client_id: context.client_id, client_secret: context.client_secret, token_endpoint_auth_method: "client_secret_basic" } };
  }
  if (context.client_id) return { ...base, clientInformation: { client_id: context.client_id, client_secret: context.client_secret } };
  return base;
}

async function main(): Promise<void> {
  const url = process.argv[2];
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
  const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? "2025-11-25";
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}");
  const opts = oauthOptionsFor(url, scenario, context);
  const auth = opts ? new OAuthClientProvider(opts) : undefined;
  const client = new Client({ name: "mcpkit-conformance", version: "0.1.0" }, { era: version >= "2026-07-28" ? "modern" : "legacy", protocolVersion: version < "2026-07-28" ? (version as any) : undefined });
  await client.connect(new StreamableHttpClientTransport(url, { auth }));
  const { tools } = (await client.listTools()) as { tools: { name: string }[] };
  const tool = tools.find((t) => t.name === "test-tool") ?? tools.find((t) => t.name === "add_numbers");
  if (tool) await client.callTool(tool.name, tool.name === "add_numbers" ? { a: 1, b: 2 } : {});
  await client.close();
}

// Run only as a program, so a combined conformance client can import oauthOptionsFor.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
