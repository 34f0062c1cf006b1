export { Client } from "./client.js";
export type * from "./types.js";
export type { ClientEvents } from "./events.js";
export type { SubscriptionFilter } from "./subscriptions.js";
