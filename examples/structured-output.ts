/**
 * Structured output: tools with an `output` schema return plain objects, which
 * are validated and sent as `structuredContent` (plus a JSON text mirror for
 * older clients). The schema is advertised as the tool's `outputSchema`.
 *
 *   npx tsx examples/structured-output.ts   # stdio
 */
import { McpServer } from "mcpkit";
import * as v from "valibot";
import { z } from "zod";

const mcp = new McpServer("Structured Output Example");

// A zod object
const WeatherData = z.object({
  temperature: z.number().describe("Temperature in Celsius"),
  humidity: z.number().describe("Humidity percentage"),
  condition: z.string(),
  wind_speed: z.number(),
});

mcp.tool("get_weather", { description: "Get weather for a city", input: { city: z.string() }, output: WeatherData }, ({ city }) => ({
  temperature: city === "London" ? 22.5 : 18.0,
  humidity: 45.0,
  condition: "sunny",
  wind_speed: 5.2,
}));

// A valibot object
const LocationInfo = v.object({ latitude: v.number(), longitude: v.number(), name: v.string() });

mcp.tool("get_location", { description: "Get location coordinates", input: { address: z.string() }, output: LocationInfo }, () => ({
  latitude: 51.5074,
  longitude: -0.1278,
  name: "London, UK",
}));

// A map of numbers
mcp.tool(
  "get_statistics",
  { description: "Get statistics", input: { data_type: z.string() }, output: z.record(z.string(), z.number()) },
  () => ({ mean: 42.5, median: 40.0, std_dev: 5.2 }),
);

// structuredContent is always an object: wrap lists and primitives, as FastMCP does with {"result": ...}
mcp.tool("list_cities", { description: "Get a list of cities", output: { result: z.array(z.string()) } }, () => ({
  result: ["London", "Paris", "Tokyo"],
}));

// A plain JSON Schema works too
mcp.tool(
  "get_temperature",
  {
    description: "Get temperature as a simple number",
    input: { city: z.string() },
    output: { type: "object", properties: { result: { type: "number" } }, required: ["result"], additionalProperties: false },
  },
  () => ({ result: 22.5 }),
);

await mcp.run();
