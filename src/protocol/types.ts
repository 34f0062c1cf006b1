/**
 * MCP message types across every revision. Fields that only some revisions know
 * are optional here; `codec.ts` shapes outgoing messages for the revision in use.
 */
import type { LogLevel } from "./meta.js";
import type { RequestId } from "./jsonrpc.js";

export type Meta = Record<string, unknown>;
export type JsonObject = Record<string, unknown>;

export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: "light" | "dark";
}
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
}

export interface ClientCapabilities {
  experimental?: Record<string, JsonObject>;
  roots?: { listChanged?: boolean };
  sampling?: { context?: JsonObject; tools?: JsonObject };
  elicitation?: { form?: JsonObject; url?: JsonObject };
  tasks?: JsonObject;
  extensions?: Record<string, JsonObject>;
}
export interface ServerCapabilities {
  experimental?: Record<string, JsonObject>;
  logging?: JsonObject;
  completions?: JsonObject;
  prompts?: { listChanged?: boolean };
  resources?: { subscribe?: boolean; listChanged?: boolean };
  tools?: { listChanged?: boolean };
  tasks?: JsonObject;
  extensions?: Record<string, JsonObject>;
}

export interface Annotations {
  audience?: ("user" | "assistant")[];
  priority?: number;
  lastModified?: string;
}
export interface TextContent { type: "text"; text: string; annotations?: Annotations; _meta?: Meta }
export interface ImageContent { type: "image"; data: string; mimeType: string; annotations?: Annotations; _meta?: Meta }
export interface AudioContent { type: "audio"; data: string; mimeType: string; annotations?: Annotations; _meta?: Meta }
export interface TextResourceContents { uri: string; mimeType?: string; text: string; _meta?: Meta }
export interface BlobResourceContents { uri: string; mimeType?: string; blob: string; _meta?: Meta }
export type ResourceContents = TextResourceContents | BlobResourceContents;
export interface EmbeddedResource { type: "resource"; resource: ResourceContents; annotations?: Annotations; _meta?: Meta }
export interface ResourceLink extends Resource { type: "resource_link" }
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject & { type: "object" };
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: Meta;
}
export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: Meta;
}
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: Meta;
}
export interface PromptArgument { name: string; title?: string; description?: string; required?: boolean }
export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: Meta;
}
export interface PromptMessage { role: "user" | "assistant"; content: ContentBlock }

/** Cache hints, required on cacheable results in 2026-07-28. */
export interface CacheHints { ttlMs?: number; cacheScope?: "public" | "private" }
export interface ResultBase extends CacheHints { _meta?: Meta; resultType?: string; [k: string]: unknown }
export interface Paginated extends ResultBase { nextCursor?: string }

export interface InitializeParams { protocolVersion: string; capabilities: ClientCapabilities; clientInfo: Implementation }
export interface InitializeResult extends ResultBase {
  protocolVersion: string;
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
}
export interface DiscoverResult extends ResultBase {
  supportedVersions: string[];
  capabilities: ServerCapabilities;
  instructions?: string;
}
export interface ListToolsResult extends Paginated { tools: Tool[] }
export interface CallToolParams { name: string; arguments?: JsonObject; _meta?: Meta; inputResponses?: InputResponses; requestState?: string }
export interface CallToolResult extends ResultBase { content: ContentBlock[]; structuredContent?: unknown; isError?: boolean }
export interface ListResourcesResult extends Paginated { resources: Resource[] }
export interface ListResourceTemplatesResult extends Paginated { resourceTemplates: ResourceTemplate[] }
export interface ReadResourceResult extends ResultBase { contents: ResourceContents[] }
export interface ListPromptsResult extends Paginated { prompts: Prompt[] }
export interface GetPromptResult extends ResultBase { description?: string; messages: PromptMessage[] }
export interface CompleteParams {
  ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string };
  argument: { name: string; value: string };
  context?: { arguments?: Record<string, string> };
}
export interface CompleteResult extends ResultBase { completion: { values: string[]; total?: number; hasMore?: boolean } }

/** Server → client requests (legacy: JSON-RPC requests; modern: entries of `inputRequests`). */
export interface SamplingMessage { role: "user" | "assistant"; content: unknown }
export interface CreateMessageParams {
  messages: SamplingMessage[];
  maxTokens: number;
  systemPrompt?: string;
  modelPreferences?: JsonObject;
  includeContext?: "none" | "thisServer" | "allServers";
  temperature?: number;
  stopSequences?: string[];
  metadata?: JsonObject;
  tools?: Tool[];
  toolChoice?: { mode: "auto" | "required" | "none" };
}
export interface CreateMessageResult extends ResultBase { role: "user" | "assistant"; content: unknown; model: string; stopReason?: string }
export interface ElicitFormParams { mode?: "form"; message: string; requestedSchema: JsonObject }
export interface ElicitUrlParams { mode: "url"; message: string; url: string; elicitationId?: string }
export type ElicitParams = ElicitFormParams | ElicitUrlParams;
export interface ElicitResult extends ResultBase { action: "accept" | "decline" | "cancel"; content?: Record<string, unknown> }
export interface Root { uri: string; name?: string; _meta?: Meta }
export interface ListRootsResult extends ResultBase { roots: Root[] }

/** 2026-07-28 multi-round-trip requests. */
export interface InputRequest { method: "elicitation/create" | "sampling/createMessage" | "roots/list"; params?: JsonObject }
export type InputRequests = Record<string, InputRequest>;
export type InputResponses = Record<string, JsonObject>;
export interface InputRequiredResult extends ResultBase {
  resultType: "input_required";
  inputRequests?: InputRequests;
  requestState?: string;
}

export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

export interface ProgressParams { progressToken: RequestId; progress: number; total?: number; message?: string }
export interface LoggingMessageParams { level: LogLevel; logger?: string; data: unknown }
export interface CancelledParams { requestId?: RequestId; reason?: string }
