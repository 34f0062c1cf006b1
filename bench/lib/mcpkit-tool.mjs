// The `add` tool as an mcpkit user would write it without a schema library:
// a plain JSON Schema (mcpkit compiles it once). Zod works too, but importing it
// costs ~75 ms of start-up that mcpkit does not need.
export const addSchema = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
};

/** Registers `add` plus `extra` padding tools (`add_1` …) on an mcpkit McpServer. */
export function registerAdd(mcp, extra = 0) {
  const add = ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] });
  mcp.tool('add', { description: 'Adds two numbers', input: addSchema }, add);
  for (let i = 1; i <= extra; i++) mcp.tool(`add_${i}`, { description: 'Adds two numbers', input: addSchema }, add);
  return mcp;
}
