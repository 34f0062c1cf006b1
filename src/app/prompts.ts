/** Prompts: arguments described once, handlers returning a string or a list of messages. */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { ContentBlock, Icon, Meta, Prompt, PromptArgument, PromptMessage } from "../protocol/types.js";
import { toContent } from "./content.js";
import { makeHandle, type Handle } from "./handle.js";
import type { Context } from "./context.js";
import type { CompleteFn } from "./resources.js";
import { compileSchema, type CompiledSchema, type Infer, type RawShape } from "./schema.js";

export interface PromptOptions<A extends RawShape | PromptArgument[] | undefined = undefined> {
  title?: string;
  description?: string;
  /** A raw shape of string schemas (`{ code: z.string() }`) or a list of arguments. */
  args?: A;
  /** Completions per argument. */
  complete?: Record<string, CompleteFn>;
  icons?: Icon[];
  _meta?: Meta;
}
export type PromptArgs<A> = A extends RawShape ? Infer<A> : Record<string, string | undefined>;

/** A message a prompt handler may return; content may be text, an Image, or any content block. */
export interface MessageInit { role: "user" | "assistant"; content: unknown }
export type PromptValue = string | (string | MessageInit)[] | { messages: PromptMessage[]; description?: string };
export type PromptHandler<A, L> = (args: PromptArgs<A>, ctx: Context<L>) => PromptValue | Promise<PromptValue>;

/** The README's `base.UserMessage` / `base.AssistantMessage`. */
export const user = (content: unknown): MessageInit => ({ role: "user", content });
export const assistant = (content: unknown): MessageInit => ({ role: "assistant", content });

interface Entry {
  enabled: boolean;
  descriptor: Prompt;
  schema: CompiledSchema | undefined;
  required: string[];
  opts: PromptOptions<any>;
  handler: PromptHandler<any, any>;
}

export interface RegisteredPrompt extends Handle {
  readonly name: string;
}

export class PromptRegistry {
  private readonly prompts = new Map<string, Entry>();
  private listed: Prompt[] | undefined;
  constructor(private readonly changed: () => void) {}

  get hasCompletions(): boolean {
    for (const p of this.prompts.values()) if (p.opts.complete) return true;
    return false;
  }

  add(name: string, opts: PromptOptions<any>, handler: PromptHandler<any, any>): RegisteredPrompt {
    if (this.prompts.has(name)) throw new Error(`Prompt ${name} is already registered`);
    const descriptor: Prompt = { name };
    if (opts.title !== undefined) descriptor.title = opts.title;
    if (opts.description !== undefined) descriptor.description = opts.description;
    if (opts.icons) descriptor.icons = opts.icons;
    if (opts._meta) descriptor._meta = opts._meta;
    let schema: CompiledSchema | undefined;
    let args: PromptArgument[] = [];
    if (Array.isArray(opts.args)) args = opts.args;
    else if (opts.args) {
      schema = compileSchema(opts.args);
      const fill = () => {
        const props = (schema!.json.properties ?? {}) as Record<string, any>;
        const req = new Set((schema!.json.required as string[]) ?? []);
        descriptor.arguments = Object.keys(props).map((k) => {
          const a: PromptArgument = { name: k, required: req.has(k) };
          if (props[k]?.description) a.description = props[k].description;
          if (props[k]?.title) a.title = props[k].title;
          return a;
        });
        entry.required = descriptor.arguments.filter((a) => a.required).map((a) => a.name);
      };
      void schema.ready.then(() => {
        fill();
        this.listed = undefined;
      }, () => {});
    }
    const entry: Entry = { enabled: true, descriptor, schema, required: args.filter((a) => a.required).map((a) => a.name), opts, handler };
    if (args.length) descriptor.arguments = args;
    this.prompts.set(name, entry);
    this.touch();
    return Object.assign(makeHandle(this.prompts, name, entry, () => this.touch()), { name });
  }

  private touch(): void {
    this.listed = undefined;
    this.changed();
  }

  ready(): Promise<unknown> {
    return Promise.all([...this.prompts.values()].map((p) => p.schema?.ready));
  }

  list(): Prompt[] {
    this.listed ??= [...this.prompts.values()].filter((p) => p.enabled).map((p) => p.descriptor);
    return this.listed;
  }

  get(name: unknown): Entry {
    const p = typeof name === "string" ? this.prompts.get(name) : undefined;
    if (!p || !p.enabled) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${String(name)}`);
    return p;
  }

  async validateArgs(p: Entry, args: Record<string, string> | undefined): Promise<any> {
    const given = args ?? {};
    const missing = p.required.filter((k) => given[k] === undefined);
    if (missing.length) throw new McpError(ErrorCode.InvalidParams, `Missing required arguments for prompt ${p.descriptor.name}: ${missing.join(", ")}`);
    if (!p.schema) return given;
    const v = await p.schema.validate(given);
    if (!v.ok) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for prompt ${p.descriptor.name}: ${v.message}`);
    return v.value;
  }

  completer(name: string, arg: string): CompleteFn | undefined {
    const p = this.prompts.get(name);
    return p?.enabled ? p.opts.complete?.[arg] : undefined;
  }
}

/** A prompt handler's value as `prompts/get` result fields. */
export async function toPromptResult(value: PromptValue, description?: string): Promise<{ description?: string; messages: PromptMessage[] }> {
  if (value && typeof value === "object" && !Array.isArray(value) && Array.isArray((value as any).messages)) return value as any;
  const list = typeof value === "string" ? [value] : (value as (string | MessageInit)[]);
  const messages: PromptMessage[] = [];
  for (const m of list) {
    const init = typeof m === "string" ? user(m) : m;
    const blocks: ContentBlock[] = await toContent(init.content);
    // A prompt message holds one content block; several become several messages.
    for (const content of blocks) messages.push({ role: init.role, content });
  }
  return description === undefined ? { messages } : { description, messages };
}
