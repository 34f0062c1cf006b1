/** Where each MCP client keeps its servers, and the shape of an entry. */
import { homedir } from "node:os";
import { join } from "node:path";

export interface Entry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface ClientDef {
  label: string;
  /** The configuration file (user's, or the project's in the current directory). */
  file(project: boolean): string;
  /** Property that holds the servers. */
  key: string;
  entry(e: Entry): Record<string, unknown>;
  /** Folder that exists only when the client is installed (checked unless --force). */
  installedDir?(project: boolean): string | undefined;
  project: boolean;
  after: string;
}

/** The per-user application data folder: macOS, Windows, or XDG. */
function appData(): string {
  if (process.platform === "darwin") return join(homedir(), "Library", "Application Support");
  if (process.platform === "win32") return process.env.APPDATA ?? join(homedir(), "AppData", "Roaming");
  return process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
}

const plain = (e: Entry) => ({ command: e.command, args: e.args, ...(e.env && Object.keys(e.env).length ? { env: e.env } : {}) });
const typed = (e: Entry) => ({ type: "stdio", ...plain(e) });

export const CLIENTS: Record<string, ClientDef> = {
  "claude-desktop": {
    label: "Claude Desktop",
    file: () => join(appData(), "Claude", "claude_desktop_config.json"),
    key: "mcpServers",
    entry: plain,
    installedDir: () => join(appData(), "Claude"),
    project: false,
    after: "Restart Claude Desktop to load it.",
  },
  "claude-code": {
    label: "Claude Code",
    file: (project) => (project ? join(process.cwd(), ".mcp.json") : join(homedir(), ".claude.json")),
    key: "mcpServers",
    entry: typed,
    project: true,
    after: "Claude Code loads it in its next session (claude mcp list shows it).",
  },
  cursor: {
    label: "Cursor",
    file: (project) => join(project ? process.cwd() : homedir(), ".cursor", "mcp.json"),
    key: "mcpServers",
    entry: plain,
    installedDir: (project) => (project ? undefined : join(homedir(), ".cursor")),
    project: true,
    after: "Cursor picks it up in Settings → MCP.",
  },
  vscode: {
    label: "VS Code",
    file: (project) => (project ? join(process.cwd(), ".vscode", "mcp.json") : join(appData(), "Code", "User", "mcp.json")),
    key: "servers",
    entry: typed,
    installedDir: (project) => (project ? undefined : join(appData(), "Code", "User")),
    project: true,
    after: "VS Code lists it under MCP: List Servers.",
  },
};

export const CLIENT_NAMES = [...Object.keys(CLIENTS), "json"];
