/**
 * The full JSON Schema 2020-12 validator (`@cfworker/json-schema`), loaded on first
 * need. Most tool schemas take the app's compiled fast path and plain clients may
 * never check an output schema, so importing it eagerly would only add to start-up.
 */
import type { Validator } from "@cfworker/json-schema";

export type { Validator };
let loading: Promise<typeof Validator> | undefined;

/** A validator for `schema` (draft 2020-12, all errors collected, not just the first). */
export async function jsonSchemaValidator(schema: Record<string, unknown>): Promise<Validator> {
  loading ??= import("@cfworker/json-schema").then((m) => m.Validator);
  const V = await loading;
  return new V(schema as any, "2020-12", false);
}
