/**
 * `Context`: what a tool, resource or prompt handler gets as its second
 * argument. The same calls work whichever era the client speaks.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { LogLevel } from "../protocol/meta.js";
import type {
  CreateMessageParams,
  CreateMessageResult,
  ElicitResult,
  ResourceContents,
  Root,
  SamplingMessage,
} from "../protocol/types.js";
import type { RequestContext } from "../server/context.js";
import type { InputOptions, Interaction } from "./interactive.js";
import { compileSchema, type CompiledSchema, type Infer, type SchemaInput } from "./schema.js";

export type ElicitOutcome<T> =
  | { action: "accept"; content: T }
  | { action: "decline"; content?: undefined }
  | { action: "cancel"; content?: undefined };

/** Resource reads from inside a handler go through the server's own registry. */
export type ResourceReader = (uri: string, ctx: RequestContext<any>) => Promise<ResourceContents[]>;

const compiled = new WeakMap<object, CompiledSchema>();

export class Context<L = unknown> {
  constructor(
    /** The low-level request context: ids, era, capabilities, raw params. */
    readonly request: RequestContext<L>,
    private readonly interaction: Interaction,
    private readonly reader: ResourceReader,
  ) {}

  get lifespan(): L {
    return this.request.lifespan;
  }
  get requestId() {
    return this.request.requestId;
  }
  get signal(): AbortSignal {
    return this.request.signal;
  }
  get era() {
    return this.request.era;
  }
  get protocolVersion() {
    return this.request.protocolVersion;
  }
  get clientInfo() {
    return this.request.clientInfo;
  }
  get clientCapabilities() {
    return this.request.clientCapabilities;
  }
  get sessionId() {
    return this.request.sessionId;
  }
  /** HTTP request headers, when the request came over HTTP. */
  get headers(): Headers | undefined {
    return this.request.http?.headers;
  }
  get authInfo() {
    return this.request.authInfo;
  }

  // ---- logging and progress ----------------------------------------------------------------
  log(level: LogLevel, message: unknown, logger?: string): void {
    this.request.log(level, message, logger);
  }
  debug(message: unknown, logger?: string) { this.log("debug", message, logger); }
  info(message: unknown, logger?: string) { this.log("info", message, logger); }
  notice(message: unknown, logger?: string) { this.log("notice", message, logger); }
  warning(message: unknown, logger?: string) { this.log("warning", message, logger); }
  error(message: unknown, logger?: string) { this.log("error", message, logger); }

  /** Report progress (sent only if the client asked, and only while progress grows). */
  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    this.request.reportProgress(progress, total, message);
  }

  /** Read one of this server's resources, as a client would. */
  readResource(uri: string): Promise<ResourceContents[]> {
    return this.reader(uri, this.request);
  }

  // ---- interactive calls (both eras; see interactive.ts for what the modern era asks of a handler)
  /**
   * Ask the user for structured input. `schema` is a flat object schema (zod,
   * valibot, a raw shape or JSON Schema); accepted content is validated against it.
   * `input.key` names the request in a 2026-07-28 `input_required` result.
   */
  async elicit<S extends SchemaInput>(message: string, schema: S, input?: InputOptions): Promise<ElicitOutcome<Infer<S>>> {
    let c = compiled.get(schema);
    if (!c) {
      c = compileSchema(schema);
      compiled.set(schema, c);
    }
    await c.ready;
    const r = (await this.interaction.ask("elicitation/create", { mode: "form", message, requestedSchema: c.json }, input)) as ElicitResult;
    if (r?.action !== "accept") return { action: r?.action === "decline" ? "decline" : "cancel" };
    const v = await c.validate(r.content ?? {});
    if (!v.ok) throw new McpError(ErrorCode.InvalidParams, `Elicitation response does not match the requested schema: ${v.message}`);
    return { action: "accept", content: v.value };
  }

  /** Send the user to a URL (out-of-band flows such as OAuth or payments). */
  async elicitUrl(message: string, url: string, input?: InputOptions): Promise<{ action: "accept" | "decline" | "cancel" }> {
    const params: Record<string, unknown> = { mode: "url", message, url };
    // 2025-11-25 URL elicitation carries an id; 2026-07-28 dropped it.
    if (this.request.era === "legacy") params.elicitationId = crypto.randomUUID();
    const r = (await this.interaction.ask("elicitation/create", params, input)) as ElicitResult;
    return { action: r?.action ?? "cancel" };
  }

  /** Ask the client's model for a completion (sampling; deprecated in 2026-07-28 but served). */
  async sample(
    prompt: string | SamplingMessage[],
    opts: Omit<CreateMessageParams, "messages" | "maxTokens"> & { maxTokens?: number } = {},
    input?: InputOptions,
  ): Promise<CreateMessageResult> {
    const messages = typeof prompt === "string" ? [{ role: "user" as const, content: { type: "text", text: prompt } }] : prompt;
    return (await this.interaction.ask("sampling/createMessage", { maxTokens: 1000, ...opts, messages }, input)) as CreateMessageResult;
  }

  /** The client's roots (deprecated in 2026-07-28 but served). */
  async listRoots(input?: InputOptions): Promise<Root[]> {
    const r = (await this.interaction.ask("roots/list", {}, input)) as { roots?: Root[] };
    return r?.roots ?? [];
  }
}
