/**
 * Tool, prompt and output schemas from any Standard Schema library (zod 4,
 * valibot, arktype, …), a "raw shape" of them (`{ a: z.number() }`), or a plain
 * JSON Schema object. Each is converted to JSON Schema and given a validator
 * once, at registration; calls only run the validator.
 */
import { jsonSchemaValidator, type Validator } from "../protocol/json-schema.js";
import { compileFast } from "./fast-validate.js";

export interface StandardSchemaV1<I = unknown, O = I> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<O> | Promise<StandardResult<O>>;
    readonly types?: { readonly input: I; readonly output: O };
    readonly jsonSchema?: { input(opts: { target: string }): Record<string, unknown>; output?(opts: { target: string }): Record<string, unknown> };
  };
}
type StandardResult<O> = { value: O; issues?: undefined } | { issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> };

export type JsonSchema = Record<string, unknown>;
/** `{ a: z.number(), b: z.string() }`: an object schema given by its properties. */
export type RawShape = Record<string, StandardSchemaV1>;
export type SchemaInput = StandardSchemaV1 | RawShape | JsonSchema;

/** The output type a schema input describes (plain JSON Schema gives `Record<string, any>`). */
export type Infer<S> = S extends StandardSchemaV1<any, infer O>
  ? O
  : S extends RawShape
    ? { [K in keyof S as undefined extends InferOut<S[K]> ? never : K]: InferOut<S[K]> } & {
        [K in keyof S as undefined extends InferOut<S[K]> ? K : never]?: InferOut<S[K]>;
      }
    : Record<string, any>;
type InferOut<S> = S extends StandardSchemaV1<any, infer O> ? O : never;

export type Validation = { ok: true; value: any } | { ok: false; message: string };

export interface CompiledSchema {
  /** JSON Schema as sent on the wire; filled in by `ready` for libraries converted asynchronously. */
  json: JsonSchema;
  validate(value: unknown): Validation | Promise<Validation>;
  /** Settles when `json` is final. */
  ready: Promise<void>;
}

/** Some libraries' schemas are functions (arktype's `type(...)`), most are objects. */
export const isStandard = (v: unknown): v is StandardSchemaV1 =>
  (typeof v === "object" || typeof v === "function") && v !== null && typeof (v as any)["~standard"]?.validate === "function";

function isRawShape(v: Record<string, unknown>): v is RawShape {
  const vals = Object.values(v);
  return vals.length > 0 && vals.every(isStandard);
}

const TARGET = "draft-2020-12";

/** Which side of a schema the JSON Schema describes: what a caller sends (input) or what a handler's value becomes (output). */
export type SchemaSide = "input" | "output";

/** Convert a Standard Schema to JSON Schema: its own exporter if it has one, else a known vendor package. */
function toJson(s: StandardSchemaV1, side: SchemaSide): JsonSchema | Promise<JsonSchema> {
  const std = s["~standard"];
  const exporter = std.jsonSchema?.[side] ?? std.jsonSchema?.input;
  if (exporter) return strip(exporter({ target: TARGET }));
  if (typeof (s as any).toJsonSchema === "function") return strip((s as any).toJsonSchema());
  if (std.vendor === "valibot") {
    // Optional peer: loaded only when a valibot schema is used.
    return import("@valibot/to-json-schema" as string).then(
      (m: any) => strip(m.toJsonSchema(s, { target: TARGET, errorMode: "ignore" })),
      () => {
        throw new Error("valibot schemas need the @valibot/to-json-schema package (npm install @valibot/to-json-schema)");
      },
    );
  }
  throw new Error(`Cannot convert a ${std.vendor} schema to JSON Schema: pass a JSON Schema object or a library with Standard JSON Schema support`);
}

/** The top-level `$schema` adds nothing on the wire (2020-12 is the default dialect). */
function strip(j: Record<string, unknown>): JsonSchema {
  if (!("$schema" in j)) return j;
  const { $schema: _s, ...rest } = j;
  return rest;
}

function issuesMessage(issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<any> }>): string {
  return issues
    .map((i) => {
      const path = (i.path ?? []).map((p) => (typeof p === "object" && p !== null ? p.key : p)).join(".");
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

function standardValidator(s: StandardSchemaV1): (v: unknown) => Validation | Promise<Validation> {
  const toValidation = (r: StandardResult<unknown>): Validation =>
    r.issues ? { ok: false, message: issuesMessage(r.issues) } : { ok: true, value: (r as any).value };
  return (v) => {
    const r = s["~standard"].validate(v);
    return r instanceof Promise ? r.then(toValidation) : toValidation(r);
  };
}

function jsonValidator(schema: JsonSchema): (v: unknown) => Validation | Promise<Validation> {
  const fast = compileFast(schema);
  if (fast) {
    return (v) => {
      const problem = fast(v);
      return problem === null ? { ok: true, value: v } : { ok: false, message: problem };
    };
  }
  // Loading starts now, at registration, so it is normally done before the first call.
  let validator: Validator | undefined;
  const loaded = jsonSchemaValidator(schema).then((x) => void (validator = x));
  loaded.catch(() => {}); // reported by the call that needs it
  const run = (v: unknown): Validation => {
    const r = validator!.validate(v);
    if (r.valid) return { ok: true, value: v };
    // The leaf errors say what is wrong ("String does not match pattern."); their parents
    // (properties, items, $ref, …) only say that a subschema failed. A `false` schema's own
    // error says less than its parent's ('Property "x" does not match additional properties').
    const errs = r.errors.filter((e) => e.keyword !== "false");
    const leaves = errs.filter((e) => !errs.some((o) => o.keywordLocation.startsWith(e.keywordLocation + "/")));
    const list = (leaves.length ? leaves : r.errors).slice(0, 5);
    return { ok: false, message: list.map((e) => `${e.instanceLocation.replace(/^#\/?/, "") || "(root)"}: ${e.error}`).join("; ") };
  };
  return (v) => (validator ? run(v) : loaded.then(() => run(v)));
}

/**
 * Compile a schema input. `objectRoot` (tools, prompts) requires the JSON Schema
 * to describe an object; a raw shape is always one. `side` "output" (tool output
 * schemas) describes the validated value, e.g. with defaults filled in.
 */
export function compileSchema(input: SchemaInput | undefined, objectRoot = true, side: SchemaSide = "input"): CompiledSchema {
  // `{}` is an empty raw shape: no arguments.
  if (input === undefined || (objectRoot && !isStandard(input) && Object.keys(input).length === 0)) {
    const json: JsonSchema = { type: "object", properties: {} };
    return { json, validate: (v) => ({ ok: true, value: v ?? {} }), ready: Promise.resolve() };
  }
  if (isStandard(input)) {
    const out: CompiledSchema = { json: {}, validate: standardValidator(input), ready: Promise.resolve() };
    const j = toJson(input, side);
    if (j instanceof Promise) out.ready = j.then((x) => void (out.json = x));
    else out.json = j;
    return out;
  }
  if (isRawShape(input)) return compileShape(input, side);
  const json = input as JsonSchema;
  if (objectRoot && json.type !== "object") throw new Error('A tool or prompt JSON Schema must have type "object"');
  return { json, validate: jsonValidator(json), ready: Promise.resolve() };
}

/** A raw shape validates property by property; a property that accepts `undefined` is optional. */
function compileShape(shape: RawShape, side: SchemaSide): CompiledSchema {
  const keys = Object.keys(shape);
  const validators = keys.map((k) => standardValidator(shape[k]));
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const pending: Promise<void>[] = [];
  for (const k of keys) {
    const j = toJson(shape[k], side);
    if (j instanceof Promise) pending.push(j.then((x) => void (properties[k] = x)));
    else properties[k] = j;
    const probe = shape[k]["~standard"].validate(undefined);
    if (probe instanceof Promise ? true : !!probe.issues) required.push(k);
  }
  const json: JsonSchema = { type: "object", properties };
  if (required.length) json.required = required;
  // Synchronous unless a property validator is async: most calls allocate one object.
  const validate = (v: unknown): Validation | Promise<Validation> => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, message: "arguments must be an object" };
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = { ...src };
    const problems: string[] = [];
    let waits: Promise<void>[] | undefined;
    const apply = (k: string, r: Validation) => {
      if (!r.ok) problems.push(`${k}: ${r.message}`);
      else if (r.value !== undefined || k in src) out[k] = r.value;
    };
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const r = validators[i](src[k]);
      if (r instanceof Promise) (waits ??= []).push(r.then((x) => apply(k, x)));
      else apply(k, r);
    }
    const finish = (): Validation => (problems.length ? { ok: false, message: problems.join("; ") } : { ok: true, value: out });
    return waits ? Promise.all(waits).then(finish) : finish();
  };
  return { json, validate, ready: Promise.all(pending).then(() => undefined) };
}
