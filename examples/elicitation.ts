/**
 * Elicitation: a tool that asks the user for more input part-way through.
 * `ctx.elicit` works in every era: a request to the client on 2025-06-18 and
 * later sessions, an `input_required` round trip in 2026-07-28.
 *
 *   npx tsx examples/elicitation.ts   # stdio
 */
import { McpServer } from "mcpkit";
import { z } from "zod";

const mcp = new McpServer("Elicitation Example");

const BookingPreferences = z.object({
  checkAlternative: z.boolean().describe("Would you like to check another date?"),
  alternativeDate: z.string().default("2024-12-26").describe("Alternative date (YYYY-MM-DD)"),
});

mcp.tool(
  "book_table",
  {
    description: "Book a table with date availability check",
    input: { date: z.string(), time: z.string(), party_size: z.number().int() },
  },
  async ({ date, time, party_size }, ctx) => {
    // Date available
    if (date !== "2024-12-25") return `[SUCCESS] Booked for ${date} at ${time}`;
    // Date unavailable: ask the user for an alternative
    const result = await ctx.elicit(`No tables available for ${party_size} on ${date}. Would you like to try another date?`, BookingPreferences);
    if (result.action !== "accept") return "[CANCELLED] Booking cancelled";
    if (result.content.checkAlternative) return `[SUCCESS] Booked for ${result.content.alternativeDate}`;
    return "[CANCELLED] No booking made";
  },
);

await mcp.run();
