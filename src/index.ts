/**
 * mcpkit: the Model Context Protocol for TypeScript, every revision from
 * 2024-11-05 to 2026-07-28, server and client.
 */
export * from "./protocol/index.js";
export { Server, RequestContext, type ServerOptions, type Handler, type Lifespan } from "./server/index.js";
export { Client, type ClientOptions, type CallOptions } from "./client/index.js";
export { createMemoryTransportPair, MemoryTransport } from "./transports/memory.js";
export type { Transport, TransportSink, Peer, RequestOptions } from "./dispatch/types.js";
export * from "./app/index.js";
