/** Reserved `_meta` keys (2026-07-28 names; `progressToken` is shared by every revision). */
export const META = {
  progressToken: "progressToken",
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  clientInfo: "io.modelcontextprotocol/clientInfo",
  logLevel: "io.modelcontextprotocol/logLevel",
  serverInfo: "io.modelcontextprotocol/serverInfo",
  subscriptionId: "io.modelcontextprotocol/subscriptionId",
  /** Legacy (2025-06-18+) key that links a message to a task; kept for completeness. */
  relatedTask: "io.modelcontextprotocol/related-task",
  traceparent: "traceparent",
  tracestate: "tracestate",
  baggage: "baggage",
} as const;

/** RFC 5424 levels as MCP names them, least to most severe. */
export const LOG_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const levelRank = new Map<string, number>(LOG_LEVELS.map((l, i) => [l, i]));
export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === "string" && levelRank.has(v);
}
/** True when a message at `level` passes a threshold of `min`. */
export function logPasses(level: LogLevel, min: LogLevel): boolean {
  return (levelRank.get(level) ?? 0) >= (levelRank.get(min) ?? 0);
}
