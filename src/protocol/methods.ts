/** Typed params and results per method, for handler signatures on both sides. */
import type * as T from "./types.js";
import type { Params } from "./jsonrpc.js";
import type { Revision } from "./revisions.js";

export interface ClientRequestMap {
  initialize: [T.InitializeParams, T.InitializeResult];
  ping: [Params | undefined, T.ResultBase];
  "server/discover": [Params | undefined, T.DiscoverResult];
  "tools/list": [{ cursor?: string } | undefined, T.ListToolsResult];
  "tools/call": [T.CallToolParams, T.CallToolResult | T.InputRequiredResult];
  "resources/list": [{ cursor?: string } | undefined, T.ListResourcesResult];
  "resources/templates/list": [{ cursor?: string } | undefined, T.ListResourceTemplatesResult];
  "resources/read": [{ uri: string; inputResponses?: T.InputResponses; requestState?: string }, T.ReadResourceResult | T.InputRequiredResult];
  "resources/subscribe": [{ uri: string }, T.ResultBase];
  "resources/unsubscribe": [{ uri: string }, T.ResultBase];
  "prompts/list": [{ cursor?: string } | undefined, T.ListPromptsResult];
  "prompts/get": [
    { name: string; arguments?: Record<string, string>; inputResponses?: T.InputResponses; requestState?: string },
    T.GetPromptResult | T.InputRequiredResult,
  ];
  "completion/complete": [T.CompleteParams, T.CompleteResult];
  "logging/setLevel": [{ level: string }, T.ResultBase];
  "subscriptions/listen": [{ notifications: T.ListenFilter }, T.ResultBase];
}
export interface ServerRequestMap {
  ping: [Params | undefined, T.ResultBase];
  "sampling/createMessage": [T.CreateMessageParams, T.CreateMessageResult];
  "elicitation/create": [T.ElicitParams, T.ElicitResult];
  "roots/list": [Params | undefined, T.ListRootsResult];
}
export type ClientMethod = keyof ClientRequestMap;
export type ServerMethod = keyof ServerRequestMap;

/** The server capability a client request needs (-32601 when it is not advertised). */
export const METHOD_CAPABILITY: Readonly<Record<string, string>> = {
  "tools/list": "tools",
  "tools/call": "tools",
  "resources/list": "resources",
  "resources/templates/list": "resources",
  "resources/read": "resources",
  "resources/subscribe": "resources",
  "resources/unsubscribe": "resources",
  "prompts/list": "prompts",
  "prompts/get": "prompts",
  "completion/complete": "completions",
  "logging/setLevel": "logging",
};

/** The first legacy revision in which a server may send each server → client request. */
export const SERVER_REQUEST_SINCE: Readonly<Record<string, Revision>> = {
  ping: "2024-11-05",
  "sampling/createMessage": "2024-11-05",
  "roots/list": "2024-11-05",
  "elicitation/create": "2025-06-18",
};

/** The client capability a server → client request (or input request) needs. */
export function requiredClientCapability(method: string, params?: Record<string, any>): string | undefined {
  switch (method) {
    case "sampling/createMessage":
      return params?.tools || params?.toolChoice ? "sampling.tools" : "sampling";
    case "elicitation/create":
      return params?.mode === "url" ? "elicitation.url" : "elicitation.form";
    case "roots/list":
      return "roots";
    default:
      return undefined;
  }
}

/** Whether `caps` declares `path` ("sampling", "elicitation.form", …). `elicitation: {}` means form. */
export function hasClientCapability(caps: T.ClientCapabilities | undefined, path: string): boolean {
  if (!caps) return false;
  const [head, sub] = path.split(".");
  const v = (caps as any)[head];
  if (v === undefined || v === null) return false;
  if (!sub) return true;
  if (head === "elicitation" && sub === "form") return v.form !== undefined || v.url === undefined;
  return v[sub] !== undefined;
}

/** The ClientCapabilities object that `path` names, for -32021's `requiredCapabilities`. */
export function capabilityObject(path: string): T.ClientCapabilities {
  const [head, sub] = path.split(".");
  return { [head]: sub ? { [sub]: {} } : {} } as T.ClientCapabilities;
}
