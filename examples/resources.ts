/**
 * The README's "Resources": a static resource and a resource template whose
 * variable arrives as a typed, percent-decoded parameter.
 *
 *   npx tsx examples/resources.ts     # stdio
 */
import { McpServer } from "mcpkit";

const mcp = new McpServer("My App");

mcp.resource("config://app", { name: "get_config", description: "Static configuration data" }, () => "App configuration here");

mcp.resource("users://{user_id}/profile", { name: "get_user_profile", description: "Dynamic user data" }, ({ user_id }) => `Profile data for user ${user_id}`);

await mcp.run();
