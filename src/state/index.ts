export { LocalBus, type NotificationBus, type ChangeEvent } from "./bus.js";
export { InMemoryEventStore, type EventStore } from "../transports/http/event-store.js";
