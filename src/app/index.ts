export { McpServer, type McpServerOptions, type RunOptions } from "./mcp-server.js";
export { Context, type ElicitOutcome } from "./context.js";
export { Image, Audio, text, resourceLink, embeddedResource, toContent } from "./content.js";
export { user, assistant, type PromptOptions, type RegisteredPrompt, type MessageInit } from "./prompts.js";
export type { ToolOptions, RegisteredTool } from "./tools.js";
export type { TemplateOptions, ResourceOptions, RegisteredResource } from "./resources.js";
export { UriTemplate, type TemplateParams } from "./uri-template.js";
export { compileSchema, type SchemaInput, type StandardSchemaV1, type RawShape, type Infer } from "./schema.js";
export { RequestStateSealer, type RequestStateOptions } from "./request-state.js";
