export { Client } from "./client.js";
export type * from "./types.js";
