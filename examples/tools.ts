/**
 * The README's "Tools": a pure computation and an async tool that calls an
 * HTTP API.
 *
 *   npx tsx examples/tools.ts                                   # stdio
 *   WEATHER_API_URL=http://127.0.0.1:8080 npx tsx examples/tools.ts
 *
 * fetch_weather asks `${WEATHER_API_URL}/<city>` (or `--weather-url <url>`).
 * With neither set it does not touch the network and says so as a tool error.
 */
import { parseArgs } from "node:util";
import { McpServer } from "mcpkit";
import { z } from "zod";

const { values } = parseArgs({ options: { "weather-url": { type: "string" } }, strict: false });
const weatherUrl = (values["weather-url"] as string | undefined) ?? process.env.WEATHER_API_URL;

const mcp = new McpServer("My App");

mcp.tool(
  "calculate_bmi",
  { description: "Calculate BMI given weight in kg and height in meters", input: { weight_kg: z.number(), height_m: z.number() } },
  ({ weight_kg, height_m }) => weight_kg / height_m ** 2,
);

mcp.tool("fetch_weather", { description: "Fetch current weather for a city", input: { city: z.string() } }, async ({ city }, ctx) => {
  // A thrown error becomes a tool error (isError) the model can read.
  if (!weatherUrl) throw new Error("fetch_weather is not configured: set WEATHER_API_URL or pass --weather-url");
  const response = await fetch(`${weatherUrl.replace(/\/+$/, "")}/${encodeURIComponent(city)}`, { signal: ctx.signal });
  return response.text();
});

await mcp.run();
