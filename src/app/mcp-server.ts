/**
 * `McpServer`: the README's FastMCP for TypeScript. Register tools, resources
 * and prompts with plain functions; the same server serves every protocol
 * revision, over any number of transports at once.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import { attempt, then, type MaybePromise } from "../protocol/maybe.js";
import type { Params } from "../protocol/jsonrpc.js";
import type { CacheHints, CompleteParams, Icon, Implementation, PromptArgument, ResourceContents } from "../protocol/types.js";
import type { Transport, Peer } from "../dispatch/types.js";
import type { RequestContext } from "../server/context.js";
import { Server } from "../server/server.js";
import type { ServerConnection } from "../server/connection.js";
import type { Lifespan } from "../server/types.js";
import type { NotificationBus } from "../state/bus.js";
import type { HttpHandlerOptions } from "../transports/http/options.js";
import { createHttpHandler, type McpHttpHandler } from "../transports/http/handler.js";
import { Context } from "./context.js";
import { Interaction, runInteractive } from "./interactive.js";
import { page } from "./pages.js";
import { PromptRegistry, toPromptResult, type PromptHandler, type PromptOptions, type RegisteredPrompt } from "./prompts.js";
import { RequestStateSealer, type RequestStateOptions } from "./request-state.js";
import { ResourceRegistry, toContents, type RegisteredResource, type ResourceHandler, type TemplateOptions } from "./resources.js";
import type { RawShape, SchemaInput } from "./schema.js";
import { ToolRegistry, type RegisteredTool, type ToolHandler, type ToolOptions } from "./tools.js";
import type { TemplateParams } from "./uri-template.js";

export interface McpServerOptions<L = undefined> extends Partial<Implementation> {
  name: string;
  instructions?: string;
  icons?: Icon[];
  /** Runs once per server (not per request or session); its value is `ctx.lifespan`. */
  lifespan?: Lifespan<L>;
  /** Items per page of tools/resources/prompts lists (default 100). */
  pageSize?: number;
  /** 2026-07-28 cache hints: lists and discovery (default 60 s, private), resource reads (default 0, private). */
  cache?: { lists?: CacheHints; reads?: CacheHints };
  /** Signing of 2026-07-28 `requestState` (shared secrets or a shared key source, e.g. RedisKeyring, when several processes serve one endpoint). */
  requestState?: RequestStateOptions;
  /** Carries list-changed and resource-updated notifications; share one across a fleet (mcpkit/redis). */
  bus?: NotificationBus;
}

export interface RunOptions extends HttpHandlerOptions {
  transport?: "stdio" | "http";
  /** HTTP port (default 8000). */
  port?: number;
  /** HTTP bind address (default 127.0.0.1). */
  host?: string;
  /** HTTP endpoint path (default "/mcp"). */
  path?: string;
}

type Hints = Required<CacheHints>;

export class McpServer<L = undefined> {
  /** The low-level server underneath, for anything the high-level API does not cover. */
  readonly server: Server<L>;
  readonly tools: ToolRegistry;
  readonly resources: ResourceRegistry;
  readonly prompts: PromptRegistry;
  private readonly pageSize: number;
  private readonly listCache: Hints;
  private readonly readCache: Hints;
  private readonly sealer: RequestStateSealer;
  private pendingChanges = new Set<"tools" | "resources" | "prompts">();
  private readonly reader = (uri: string, req: RequestContext<any>) => this.read(uri, req, new Interaction(req, {})).then((r) => r.contents);

  constructor(nameOrOptions: string | McpServerOptions<L>) {
    const o: McpServerOptions<L> = typeof nameOrOptions === "string" ? { name: nameOrOptions } : nameOrOptions;
    const { instructions, lifespan, pageSize, cache, requestState, bus, ...info } = o;
    this.pageSize = pageSize ?? 100;
    this.listCache = { ttlMs: cache?.lists?.ttlMs ?? 60_000, cacheScope: cache?.lists?.cacheScope ?? "private" };
    this.readCache = { ttlMs: cache?.reads?.ttlMs ?? 0, cacheScope: cache?.reads?.cacheScope ?? "private" };
    this.sealer = new RequestStateSealer(requestState);
    this.server = new Server<L>(
      { ...info, version: info.version ?? "1.0.0" } as Implementation,
      {
        instructions,
        cache: this.listCache,
        lifespan: lifespan ? (() => lifespan(this)) as Lifespan<L> : undefined,
        capabilities: { completions: {} },
        listChanged: true,
        resourceSubscribe: true,
        bus,
      },
    );
    this.tools = new ToolRegistry(() => this.changed("tools"));
    this.resources = new ResourceRegistry(() => this.changed("resources"));
    this.prompts = new PromptRegistry(() => this.changed("prompts"));
    this.server.toolInputSchema = (name) => this.tools.schemaOf(name);
    this.server.setRequestHandler("completion/complete", (ctx, p) => this.complete(ctx, p as CompleteParams));
  }

  // ---- registration ------------------------------------------------------------------------

  /** Register a tool: `mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b)`. */
  tool<I extends SchemaInput | undefined = undefined, O extends SchemaInput | undefined = undefined>(
    name: string,
    opts: ToolOptions<I, O>,
    handler: ToolHandler<I, O, L>,
  ): RegisteredTool;
  tool(name: string, handler: ToolHandler<undefined, undefined, L>): RegisteredTool;
  tool(name: string, a: any, b?: any): RegisteredTool {
    const [opts, handler] = typeof a === "function" ? [{}, a] : [a, b];
    this.enable("tools");
    return this.tools.add(name, opts, handler);
  }

  /**
   * Register a resource. A URI with `{variables}` is an RFC 6570 template whose
   * variables arrive, percent-decoded, as the handler's first argument.
   */
  resource<T extends string>(uri: T, opts: TemplateOptions, handler: ResourceHandler<TemplateParams<T>, L>): RegisteredResource;
  resource<T extends string>(uri: T, handler: ResourceHandler<TemplateParams<T>, L>): RegisteredResource;
  resource(uri: string, a: any, b?: any): RegisteredResource {
    const [opts, handler] = typeof a === "function" ? [{}, a] : [a, b];
    this.enable("resources");
    return this.resources.add(uri, opts, handler);
  }

  /** Register a prompt: `mcp.prompt("review_code", { args: { code: z.string() } }, ({ code }) => "…")`. */
  prompt<A extends RawShape | PromptArgument[] | undefined = undefined>(name: string, opts: PromptOptions<A>, handler: PromptHandler<A, L>): RegisteredPrompt;
  prompt(name: string, handler: PromptHandler<undefined, L>): RegisteredPrompt;
  prompt(name: string, a: any, b?: any): RegisteredPrompt {
    const [opts, handler] = typeof a === "function" ? [{}, a] : [a, b];
    this.enable("prompts");
    return this.prompts.add(name, opts, handler);
  }

  /**
   * Tell subscribers (legacy resources/subscribe, modern listen streams) that `uri` changed.
   * With a shared bus the promise settles once the change is published (it rejects if the bus is unreachable).
   */
  notifyResourceUpdated(uri: string): Promise<void> {
    return this.server.sendResourceUpdated(uri);
  }

  // ---- serving -----------------------------------------------------------------------------

  /** Schema conversions that finish asynchronously (valibot) are done before serving. */
  async ready(): Promise<void> {
    await Promise.all([this.tools.ready(), this.prompts.ready()]);
  }

  async connect(transport: Transport | Peer): Promise<ServerConnection> {
    await this.ready();
    return this.server.connect(transport);
  }

  /** Serve: stdio by default, or `{ transport: "http", port }`. */
  async run(opts: RunOptions = {}): Promise<void> {
    // Under `mcp run` the CLI serves the server, on the transport its command line asks for (src/cli/host.ts).
    const host = (globalThis as Record<symbol, unknown>)[Symbol.for("mcpkit.runHost")];
    if (typeof host === "function") return host(this, opts);
    const transport = opts.transport ?? "stdio";
    if (transport === "stdio") {
      const { serveStdio } = await import("../transports/stdio.js");
      return serveStdio(this);
    }
    const { runHttp } = await import("../node/serve.js");
    await runHttp(this, opts);
  }

  /** A Streamable HTTP handler for this server, to mount in any framework (`.fetch` or `nodeListener`). */
  httpHandler(opts: HttpHandlerOptions = {}): McpHttpHandler {
    return createHttpHandler(this, opts);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  // ---- request handlers ----------------------------------------------------------------------

  /** Install the low-level handlers of a primitive the first time one is registered. */
  private enable(kind: "tools" | "resources" | "prompts"): void {
    const s = this.server;
    if (kind === "tools" && !s.hasHandler("tools/call")) {
      s.setRequestHandler("tools/list", (_c, p) => this.list("tools", this.tools.list(), p));
      s.setRequestHandler("tools/call", (c, p) => this.callTool(c, p));
    } else if (kind === "resources" && !s.hasHandler("resources/read")) {
      s.setRequestHandler("resources/list", async (_c, p) => this.list("resources", await this.resources.list(), p));
      s.setRequestHandler("resources/templates/list", (_c, p) => this.list("resourceTemplates", this.resources.listTemplates(), p));
      s.setRequestHandler("resources/read", (c, p) => runInteractive(c, this.sealer, { method: "resources/read", target: p.uri, args: {} }, (ia) => this.read(p.uri, c, ia)));
    } else if (kind === "prompts" && !s.hasHandler("prompts/get")) {
      s.setRequestHandler("prompts/list", (_c, p) => this.list("prompts", this.prompts.list(), p));
      s.setRequestHandler("prompts/get", (c, p) => this.getPrompt(c, p));
    }
  }

  private list(key: string, all: readonly unknown[], params: Params): Params {
    const { items, nextCursor } = page(all, params.cursor, this.pageSize);
    const r: Params = { [key]: items, ttlMs: this.listCache.ttlMs, cacheScope: this.listCache.cacheScope };
    if (nextCursor) r.nextCursor = nextCursor;
    return r;
  }

  private callTool(req: RequestContext<L>, params: Params): MaybePromise<Params> {
    const t = this.tools.get(params.name);
    return then(this.tools.validateArgs(t, params.arguments, req), (v) => {
      if (!v.ok) return v.result as unknown as Params;
      const run = (ia: Interaction): MaybePromise<Params> => {
        // Protocol errors stay protocol errors; anything else is a tool error the model can read.
        const toolError = (e: unknown): Params => {
          if (e instanceof McpError || ia.pending.length > 0) throw e;
          return { content: [{ type: "text", text: e instanceof Error ? e.message : String(e) }], isError: true };
        };
        return attempt(() => then(t.handler(v.value, new Context(req, ia, this.reader)), (value) => this.tools.toResult(t, value) as MaybePromise<Params>), toolError);
      };
      // Legacy requests have no rounds to manage: run the handler directly.
      if (req.era === "legacy") return run(new Interaction(req, {}));
      return runInteractive(req, this.sealer, { method: "tools/call", target: t.name, args: params.arguments ?? {} }, (ia) => Promise.resolve(run(ia)));
    });
  }

  private async read(uri: string, req: RequestContext<any>, ia: Interaction): Promise<{ contents: ResourceContents[]; ttlMs: number; cacheScope: string }> {
    const { entry, params } = this.resources.resolve(uri);
    const value = await entry.handler(params, new Context(req, ia, this.reader));
    const cache = entry.opts.cache;
    return {
      contents: toContents(uri, value, entry.opts.mimeType),
      ttlMs: cache?.ttlMs ?? this.readCache.ttlMs,
      cacheScope: cache?.cacheScope ?? this.readCache.cacheScope,
    };
  }

  private async getPrompt(req: RequestContext<L>, params: Params): Promise<Params> {
    const p = this.prompts.get(params.name);
    const args = await this.prompts.validateArgs(p, params.arguments as Record<string, string> | undefined);
    return runInteractive(req, this.sealer, { method: "prompts/get", target: p.descriptor.name, args: params.arguments ?? {} }, async (ia) => {
      const value = await p.handler(args, new Context(req, ia, this.reader));
      return (await toPromptResult(value, p.descriptor.description)) as Params;
    });
  }

  private async complete(req: RequestContext<L>, p: CompleteParams): Promise<Params> {
    const fn = p.ref.type === "ref/prompt" ? this.prompts.completer(p.ref.name, p.argument.name) : this.resources.templateCompleter(p.ref.uri, p.argument.name);
    if (p.ref.type === "ref/prompt") this.prompts.get(p.ref.name);
    const all = fn ? await fn(p.argument.value, { arguments: p.context?.arguments ?? {} }) : [];
    if (!Array.isArray(all)) throw new McpError(ErrorCode.InternalError, "A completion function must return an array of strings");
    const values = all.slice(0, 100).map(String);
    return { completion: { values, total: all.length, hasMore: all.length > values.length } };
  }

  /** Coalesce changes made in one tick into one notification per list. */
  private changed(kind: "tools" | "resources" | "prompts"): void {
    if (this.pendingChanges.size === 0) queueMicrotask(() => this.flushChanges());
    this.pendingChanges.add(kind);
  }
  private flushChanges(): void {
    const kinds = this.pendingChanges;
    this.pendingChanges = new Set();
    if (kinds.has("tools")) this.server.sendToolListChanged();
    if (kinds.has("resources")) this.server.sendResourceListChanged();
    if (kinds.has("prompts")) this.server.sendPromptListChanged();
  }
}
