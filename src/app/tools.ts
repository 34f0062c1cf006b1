/** The tool registry: definitions compiled once, a cached list, and the call path. */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { CallToolResult, Icon, Meta, Tool, ToolAnnotations } from "../protocol/types.js";
import type { RequestContext } from "../server/context.js";
import { toContent } from "./content.js";
import { makeHandle, type Handle } from "./handle.js";
import { then, type MaybePromise } from "../protocol/maybe.js";
import type { Context } from "./context.js";
import { compileSchema, type CompiledSchema, type Infer, type SchemaInput } from "./schema.js";

export interface ToolOptions<I extends SchemaInput | undefined = undefined, O extends SchemaInput | undefined = undefined> {
  title?: string;
  description?: string;
  /** Arguments: a Standard Schema object, a raw shape of them, or a JSON Schema with type "object". */
  input?: I;
  /** Structured output: results are validated and sent as `structuredContent` plus a text mirror. */
  output?: O;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: Meta;
}

export type ToolArgs<I> = I extends SchemaInput ? Infer<I> : Record<string, never>;
export type ToolReturn<O> = O extends SchemaInput ? Infer<O> | CallToolResult : unknown;
export type ToolHandler<I, O, L> = (args: ToolArgs<I>, ctx: Context<L>) => ToolReturn<O> | Promise<ToolReturn<O>>;

export interface ToolEntry {
  name: string;
  enabled: boolean;
  descriptor: Tool;
  input: CompiledSchema;
  output: CompiledSchema | undefined;
  handler: (args: any, ctx: Context<any>) => unknown;
}

/** What `mcp.tool(...)` returns: change the tool at run time (clients are notified). */
export interface RegisteredTool extends Handle {
  readonly name: string;
}

export class ToolRegistry {
  private readonly tools = new Map<string, ToolEntry>();
  private listed: Tool[] | undefined;
  constructor(private readonly changed: () => void) {}

  get size(): number {
    return this.tools.size;
  }

  add(name: string, opts: ToolOptions<any, any>, handler: ToolEntry["handler"]): RegisteredTool {
    if (this.tools.has(name)) throw new Error(`Tool ${name} is already registered`);
    const input = compileSchema(opts.input);
    const output = opts.output === undefined ? undefined : compileSchema(opts.output, false, "output");
    const descriptor: Tool = { name, inputSchema: input.json as Tool["inputSchema"] };
    if (opts.title !== undefined) descriptor.title = opts.title;
    if (opts.description !== undefined) descriptor.description = opts.description;
    if (output) descriptor.outputSchema = output.json;
    if (opts.annotations) descriptor.annotations = opts.annotations;
    if (opts.icons) descriptor.icons = opts.icons;
    if (opts._meta) descriptor._meta = opts._meta;
    const entry: ToolEntry = { name, enabled: true, descriptor, input, output, handler };
    // Schemas converted asynchronously (valibot) land in the descriptor when ready.
    void Promise.all([input.ready, output?.ready]).then(() => {
      descriptor.inputSchema = input.json as Tool["inputSchema"];
      if (output) descriptor.outputSchema = output.json;
      this.listed = undefined;
    }, () => {});
    this.tools.set(name, entry);
    this.touch();
    return Object.assign(makeHandle(this.tools, name, entry, () => this.touch()), { name });
  }

  private touch(): void {
    this.listed = undefined;
    this.changed();
  }

  ready(): Promise<unknown> {
    return Promise.all([...this.tools.values()].flatMap((t) => [t.input.ready, t.output?.ready]));
  }

  /** The enabled tools in registration order; rebuilt only after a change. */
  list(): Tool[] {
    if (!this.listed) {
      this.listed = [];
      for (const t of this.tools.values()) if (t.enabled) this.listed.push(t.descriptor);
    }
    return this.listed;
  }

  schemaOf(name: string): Record<string, unknown> | undefined {
    const t = this.tools.get(name);
    return t?.enabled ? t.descriptor.inputSchema : undefined;
  }

  get(name: unknown): ToolEntry {
    const t = typeof name === "string" ? this.tools.get(name) : undefined;
    if (!t || !t.enabled) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${String(name)}`);
    return t;
  }

  /**
   * Validate arguments. Invalid ones are a tool error (isError) from 2025-11-25
   * on, so the model can correct itself; earlier revisions get -32602.
   */
  validateArgs(t: ToolEntry, args: unknown, req: RequestContext<any>): MaybePromise<{ ok: true; value: any } | { ok: false; result: CallToolResult }> {
    return then(t.input.validate(args ?? {}), (v) => {
      if (v.ok) return v;
      const message = `Invalid arguments for tool ${t.name}: ${v.message}`;
      if (req.protocolVersion < "2025-11-25") throw new McpError(ErrorCode.InvalidParams, message);
      return { ok: false as const, result: { content: [{ type: "text" as const, text: message }], isError: true } };
    });
  }

  /** Turn whatever the handler returned into a CallToolResult (synchronously when nothing needs awaiting). */
  toResult(t: ToolEntry, value: unknown): MaybePromise<CallToolResult> {
    if (isCallToolResult(value)) {
      if (t.output && value.structuredContent !== undefined && !value.isError) return this.checkOutput(t, value.structuredContent).then(() => value);
      return value;
    }
    if (t.output) {
      return this.checkOutput(t, value).then((structured) => ({ content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured }));
    }
    return then(toContent(value), (content) => (isPlainObject(value) ? { content, structuredContent: value } : { content }));
  }

  private async checkOutput(t: ToolEntry, value: unknown): Promise<unknown> {
    const v = await t.output!.validate(value);
    if (!v.ok) throw new Error(`Tool ${t.name} returned output that does not match its output schema: ${v.message}`);
    return v.value;
  }
}

const isCallToolResult = (v: unknown): v is CallToolResult =>
  typeof v === "object" && v !== null && Array.isArray((v as any).content) && !("type" in v);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype && !("type" in v);
