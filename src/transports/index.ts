export { MemoryTransport, createMemoryTransportPair } from "./memory.js";
export { LineDecoder, DEFAULT_MAX_LINE_BYTES, frame } from "./lines.js";
