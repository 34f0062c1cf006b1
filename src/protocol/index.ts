export * from "./revisions.js";
export * from "./meta.js";
export * from "./errors.js";
export * from "./jsonrpc.js";
export * from "./types.js";
export { checkParams } from "./validate.js";
export * from "./codec.js";
export * from "./methods.js";
export * from "./x-mcp-header.js";
