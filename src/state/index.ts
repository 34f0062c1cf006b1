export { LocalBus, type NotificationBus, type ChangeEvent } from "./bus.js";
export { InMemoryEventStore, type EventStore } from "../transports/http/event-store.js";
export { InMemorySessionStore, applyPatch, type SessionStore, type SessionRecord, type SessionPatch, type SessionMessage } from "./session-store.js";
export { StaticKeys, type KeySource, type Secret } from "./keys.js";
