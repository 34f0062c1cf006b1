export { createHttpHandler, type McpHttpHandler, type Serveable } from "./handler.js";
export type { HttpHandlerOptions } from "./options.js";
export { InMemoryEventStore, type EventStore } from "./event-store.js";
export { SseStream, type SseSink } from "./sse.js";
export type { HttpIn, HttpOut } from "./types.js";
export { BodyTooLargeError } from "./types.js";
export { encodeHeaderValue, decodeHeaderValue } from "./headers.js";
export { StreamableHttpClientTransport, type HttpClientOptions, type HttpClientAuth } from "./client.js";
