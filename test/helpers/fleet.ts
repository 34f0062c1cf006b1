// A real fleet on this machine, for the fleet tests and bench/fleet.mjs: a `redis-server`, mcpkit
// server processes (test/fixtures/fleet-node.ts) sharing it, and `nginx` as a round-robin load
// balancer in front — each on a free loopback port with its own temporary directory and config,
// never the system services. Missing binaries are an error that says how to install them.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NODE_FIXTURE = path.join(ROOT, "test/fixtures/fleet-node.ts");

/** Absolute path of a binary (also looked for in the sbin directories, where Debian puts nginx). */
export function requireBinary(name: string, pkg = name): string {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {}
  }
  throw new Error(`${name} is not installed: the fleet tests need a real ${name}. Install it with \`apt-get update && apt-get install -y ${pkg}\` (.ci/run does this when it is missing).`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // nginx workers run as an unprivileged user when the master is root: let them through.
  fs.chmodSync(d, 0o755);
  return d;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One RESP command over a fresh socket (no client library needed to see that Redis is up). */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    let buf = "";
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.on("error", () => resolve(false));
    s.on("data", (d) => {
      buf += d;
      if (buf.includes("\r\n")) (s.end(), resolve(buf.startsWith("+PONG")));
    });
    s.on("connect", () => s.write("PING\r\n"));
  });
}

function stopProcess(p: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 3000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill("SIGKILL"), graceMs);
    p.once("exit", () => (clearTimeout(t), resolve()));
    p.kill(signal);
  });
}

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const bin = requireBinary("redis-server");
  const port = await freePort();
  const dir = tmpDir("mcpkit-redis-");
  const proc = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--logfile", path.join(dir, "redis.log")], {
    stdio: "ignore",
  });
  let exited = false;
  proc.once("exit", () => (exited = true));
  await until(async () => {
    if (exited) throw new Error(`redis-server exited at start; see ${path.join(dir, "redis.log")}`);
    return redisPing(port);
  }, 15_000, "redis-server to answer PING");
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop: async () => {
      await stopProcess(proc);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface FleetNode {
  name: string;
  port: number;
  /** The node's own MCP endpoint (bypassing the load balancer). */
  url: string;
  proc: ChildProcess;
  /** What the node holds, from its /_fleet endpoint. */
  state(): Promise<{ node: string; sessions: string[]; getStreams: string[]; listeners: number }>;
  /** Kill at once (SIGKILL): no cleanup, as when a machine dies. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/** One mcpkit server process (test/fixtures/fleet-node.ts) on the shared Redis. */
export async function startNode(name: string, redisUrl: string, env: Record<string, string> = {}): Promise<FleetNode> {
  const port = await freePort();
  const proc = spawn(process.execPath, ["--import", "tsx", NODE_FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, FLEET_NODE: name, PORT: String(port), REDIS_URL: redisUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  await until(() => {
    if (proc.exitCode !== null) throw new Error(`fleet node ${name} exited at start:\n${out}`);
    return out.includes(`READY ${port}`);
  }, 30_000, `fleet node ${name} to listen`);
  const base = `http://127.0.0.1:${port}`;
  return {
    name,
    port,
    url: `${base}/mcp`,
    proc,
    state: async () => (await fetch(`${base}/_fleet`)).json() as any,
    kill: () => stopProcess(proc, "SIGKILL"),
    stop: () => stopProcess(proc),
    output: () => out,
  };
}

export interface Balancer {
  port: number;
  url: string;
  dir: string;
  /** nginx's access log: one line per request, with the upstream that served it. */
  accessLog(): string;
  stop(): Promise<void>;
}

const AFFINITY_MAP = `  map $http_mcp_session_id $mcp_affinity {
    ""      $request_id;
    default $http_mcp_session_id;
  }
`;

/**
 * The nginx configuration for MCP behind a load balancer (docs/deployment.md shows the same): round robin,
 * or with `affinity` each legacy session's requests hashed by Mcp-Session-Id to one node (requests
 * without one, initialize and every 2026-07-28 request, spread by a random key).
 */
export function nginxConfig(o: { dir: string; port: number; upstreams: number[]; affinity?: boolean }): string {
  return `worker_processes 1;
pid ${o.dir}/nginx.pid;
error_log ${o.dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format fleet '$request_method $status $upstream_addr';
  access_log ${o.dir}/access.log fleet;
  client_body_temp_path ${o.dir}/tmp/body;
  proxy_temp_path ${o.dir}/tmp/proxy;
  fastcgi_temp_path ${o.dir}/tmp/fastcgi;
  uwsgi_temp_path ${o.dir}/tmp/uwsgi;
  scgi_temp_path ${o.dir}/tmp/scgi;

${o.affinity ? AFFINITY_MAP : ""}
  upstream mcp {
${o.affinity ? "    hash $mcp_affinity consistent;\n" : ""}${o.upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join("\n")}
    keepalive 32;
  }

  server {
    listen 127.0.0.1:${o.port};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      # SSE: pass every event on at once, and let streams stay open.
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

export async function startNginx(upstreams: number[], opts: { affinity?: boolean } = {}): Promise<Balancer> {
  const bin = requireBinary("nginx");
  const port = await freePort();
  const dir = tmpDir("mcpkit-nginx-");
  fs.mkdirSync(path.join(dir, "tmp"));
  fs.chmodSync(path.join(dir, "tmp"), 0o777);
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig({ dir, port, upstreams, affinity: opts.affinity }));
  const test = spawnSync(bin, ["-t", "-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], { encoding: "utf8" });
  if (test.status !== 0) throw new Error(`nginx rejected its configuration:\n${test.stderr}`);
  const proc = spawn(bin, ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log"), "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  await until(async () => {
    if (proc.exitCode !== null) throw new Error(`nginx exited at start: ${err}${fs.readFileSync(path.join(dir, "error.log"), "utf8")}`);
    return new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    });
  }, 15_000, "nginx to listen");
  return {
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    dir,
    accessLog: () => {
      try {
        return fs.readFileSync(path.join(dir, "access.log"), "utf8");
      } catch {
        return "";
      }
    },
    stop: async () => {
      // QUIT: graceful shutdown of master and workers.
      await stopProcess(proc, "SIGQUIT");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Fleet {
  redis: RedisServer;
  nodes: FleetNode[];
  lb: Balancer;
  /** Key prefix of this fleet in Redis. */
  prefix: string;
  stop(): Promise<void>;
}

/** Redis, `count` nodes and nginx in front; stop() ends them all (also if starting failed halfway). */
export async function startFleet(count: number, env: Record<string, string> = {}): Promise<Fleet> {
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => {});
  };
  try {
    const redis = await startRedis();
    started.push(redis);
    const prefix = `fleet-${process.pid}:`;
    const names = ["A", "B", "C", "D", "E", "F"].slice(0, count);
    const nodes = await Promise.all(names.map((n) => startNode(n, redis.url, { FLEET_PREFIX: prefix, ...env })));
    started.push(...nodes);
    const lb = await startNginx(nodes.map((n) => n.port));
    started.push(lb);
    return { redis, nodes, lb, prefix, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
