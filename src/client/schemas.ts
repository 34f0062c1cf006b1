/** Client-side checks that need a tool's or an elicitation's JSON Schema, compiled once per schema. */
import { ErrorCode, McpError } from "../protocol/errors.js";
import { jsonSchemaValidator, type Validator } from "../protocol/json-schema.js";

const compiled = new WeakMap<object, Promise<Validator>>();

function validatorFor(schema: Record<string, unknown>): Promise<Validator> {
  let v = compiled.get(schema);
  if (!v) {
    v = jsonSchemaValidator(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** `structuredContent` must match the tool's `outputSchema` (tool errors are exempt). */
export async function checkStructuredContent(tool: string, schema: Record<string, unknown> | undefined, result: Record<string, any>): Promise<void> {
  if (!schema || result.isError) return;
  if (result.structuredContent === undefined) {
    throw new McpError(ErrorCode.InvalidParams, `Tool ${tool} has an output schema but returned no structuredContent`);
  }
  const r = (await validatorFor(schema)).validate(result.structuredContent);
  if (!r.valid) {
    const detail = r.errors.filter((e) => !/does not match/.test(e.error)).map((e) => `${e.instanceLocation}: ${e.error}`).slice(0, 3).join("; ");
    throw new McpError(ErrorCode.InvalidParams, `Tool ${tool} returned structuredContent that does not match its output schema: ${detail}`);
  }
}

/** Fill in the requested schema's defaults for fields an accepted form left out. */
export function applyElicitDefaults(requestedSchema: Record<string, any> | undefined, result: Record<string, any>): Record<string, any> {
  if (result?.action !== "accept" || !requestedSchema?.properties) return result;
  const content: Record<string, unknown> = { ...(result.content ?? {}) };
  let changed = result.content === undefined;
  for (const [k, prop] of Object.entries<any>(requestedSchema.properties)) {
    if (content[k] === undefined && prop && "default" in prop) {
      content[k] = prop.default;
      changed = true;
    }
  }
  return changed ? { ...result, content } : result;
}
