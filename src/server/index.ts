export { Server } from "./server.js";
export { ServerConnection } from "./connection.js";
export { RequestContext, type AuthInfo, type HttpInfo, type Outbound } from "./context.js";
export { LegacySession, type SessionOutbound } from "./legacy.js";
export { handleModern, readModernMeta, type Listener, type ModernExtras, type ModernRequestInfo } from "./modern.js";
export type { Handler, HandlerMap, Lifespan, NotificationHandler, ServerOptions } from "./types.js";
