export * from "./types.js";
export { Endpoint } from "./endpoint.js";
export { Dispatcher } from "./dispatcher.js";
export { DirectPeer, createDirectPair } from "./direct.js";
