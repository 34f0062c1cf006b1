// The load generator: bare Node, batched writes on stdio, 64 persistent
// keep-alive connections on HTTP (lib/http-wire.mjs), and every reply checked (id, sum,
// modern resultType). Both clients expose the same surface:
//   open()            legacy handshake (HTTP: opens a session); no-op in the modern era
//   call()            one tools/call, checked
//   load(opts)        closed loop with `inFlight` calls outstanding → { calls, ms }
//   latency(opts)     one in flight → array of per-call µs
import { RawPool, AgentPool } from './http-wire.mjs';
import {
  callJson, initializeJson, INITIALIZED_JSON, operands, checkCallReply, checkInitReply, httpHeaders, parseHttpBody,
} from './protocol.mjs';

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

export class StdioClient {
  constructor(handle, era) {
    this.era = era;
    this.stdin = handle.child.stdin;
    this.nextId = 1;
    this.pending = new Map(); // id → expected sum (number) or waiter function
    this.onDrainReplies = null; // load loop hook: called with count of replies in a chunk
    this.failure = null;
    let buf = '';
    const out = handle.child.stdout;
    out.setEncoding('utf8');
    out.on('data', (chunk) => {
      buf += chunk;
      let start = 0;
      let nl;
      let done = 0;
      while ((nl = buf.indexOf('\n', start)) !== -1) {
        const line = buf.slice(start, nl);
        start = nl + 1;
        if (line.trim()) done += this._onLine(line);
      }
      buf = buf.slice(start);
      if (done && this.onDrainReplies) this.onDrainReplies(done);
    });
    handle.exited.then(({ code, sig }) => this._fail(new Error(`server exited (code ${code}, signal ${sig}):\n${handle.stderrTail()}`)));
  }

  _fail(e) {
    if (!this.failure) this.failure = e;
    for (const [id, w] of this.pending) if (typeof w === 'function') w(null, e), this.pending.delete(id);
    if (this.onDrainReplies) this.onDrainReplies(0);
  }

  _onLine(line) {
    const msg = JSON.parse(line);
    if (msg.id === undefined || msg.id === null) {
      if (msg.error) this._fail(new Error(`server error: ${line.slice(0, 300)}`));
      return 0; // a notification: ignore
    }
    const w = this.pending.get(msg.id);
    if (w === undefined) return this._fail(new Error(`reply for unknown id ${msg.id}`)), 0;
    this.pending.delete(msg.id);
    if (typeof w === 'function') return w(msg), 0;
    const bad = checkCallReply(msg, w, this.era);
    if (bad) this._fail(new Error(bad));
    return 1;
  }

  request(json, id) {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.set(id, (msg, e) => (e ? reject(e) : resolve(msg)));
      this.stdin.write(json + '\n');
    });
  }

  async open() {
    if (this.era !== 'legacy') return;
    const id = this.nextId++;
    const bad = checkInitReply(await this.request(initializeJson(id), id));
    if (bad) throw new Error(bad);
    this.stdin.write(INITIALIZED_JSON + '\n');
  }

  async call() {
    const id = this.nextId++;
    const [a, b] = operands(id);
    const bad = checkCallReply(await this.request(callJson(id, a, b, this.era), id), a + b, this.era);
    if (bad) throw new Error(bad);
  }

  /** Keeps `inFlight` calls outstanding; each batch of replies is topped up with ONE write. */
  load({ inFlight, ms, maxCalls = Infinity }) {
    return new Promise((resolve, reject) => {
      const t0 = now();
      const deadline = t0 + ms;
      let sent = 0;
      let calls = 0;
      const issue = (k) => {
        let out = '';
        for (let i = 0; i < k && sent < maxCalls; i++, sent++) {
          const id = this.nextId++;
          const [a, b] = operands(id);
          this.pending.set(id, a + b);
          out += callJson(id, a, b, this.era) + '\n';
        }
        if (out) this.stdin.write(out);
      };
      this.onDrainReplies = (k) => {
        if (this.failure) {
          this.onDrainReplies = null;
          return reject(this.failure);
        }
        calls += k;
        if (now() < deadline) issue(k);
        if (calls === sent) {
          this.onDrainReplies = null;
          resolve({ calls, ms: now() - t0 });
        }
      };
      issue(inFlight);
    });
  }

  /** Up to `n` sequential calls within ~`ms` (at least 20) after 50 unrecorded ones; µs each. */
  async latency({ n, ms }) {
    for (let i = 0; i < 50; i++) await this.call();
    const out = [];
    const deadline = now() + ms;
    for (let i = 0; i < n && (i < 20 || now() < deadline); i++) {
      const t = process.hrtime.bigint();
      await this.call();
      out.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
    return out;
  }
}

export class HttpClient {
  constructor(port, era, { agent = false, size = 64 } = {}) {
    this.era = era;
    this.pool = agent ? new AgentPool(port, size) : new RawPool(port, size);
    this.nextId = 1;
    this.sessionId = undefined;
  }

  /** POSTs one JSON-RPC message on connection `slot`; resolves { status, sessionId, msgs, body }. */
  async post(json, method, name, sessionId = this.sessionId, slot = 0) {
    const res = await this.pool.post(slot, httpHeaders(this.era, method, name, sessionId), json);
    let msgs;
    try {
      msgs = parseHttpBody(res.headers['content-type'], res.body);
    } catch {
      throw new Error(`unparsable HTTP reply (${res.status}): ${res.body.slice(0, 200)}`);
    }
    return { status: res.status, sessionId: res.headers['mcp-session-id'], msgs, body: res.body };
  }

  /** Opens one legacy session (initialize + notifications/initialized); returns its id. */
  async openSession(slot = 0) {
    const r = await this.post(initializeJson(this.nextId++), 'initialize', undefined, null, slot);
    const bad = r.status !== 200 ? `initialize: HTTP ${r.status} ${r.body.slice(0, 200)}` : checkInitReply(r.msgs[0]);
    if (bad) throw new Error(bad);
    if (!r.sessionId) throw new Error('initialize reply carried no Mcp-Session-Id');
    const n = await this.post(INITIALIZED_JSON, 'notifications/initialized', undefined, r.sessionId, slot);
    if (n.status !== 202 && n.status !== 200) throw new Error(`notifications/initialized: HTTP ${n.status}`);
    return r.sessionId;
  }

  async open() {
    if (this.era === 'legacy') this.sessionId = await this.openSession();
  }

  async call(slot = 0) {
    const id = this.nextId++;
    const [a, b] = operands(id);
    const r = await this.post(callJson(id, a, b, this.era), 'tools/call', 'add', this.sessionId, slot);
    if (r.status !== 200) throw new Error(`tools/call: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    if (r.msgs.length !== 1 || r.msgs[0].id !== id) throw new Error(`tools/call: wrong reply id: ${r.body.slice(0, 200)}`);
    const bad = checkCallReply(r.msgs[0], a + b, this.era);
    if (bad) throw new Error(bad);
  }

  async load({ inFlight, ms, maxCalls = Infinity }) {
    const t0 = now();
    const deadline = t0 + ms;
    let calls = 0;
    let started = 0;
    const worker = async (_, slot) => {
      while (now() < deadline && started < maxCalls) {
        started++;
        await this.call(slot);
        calls++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return { calls, ms: now() - t0 };
  }

  async latency({ n, ms }) {
    return StdioClient.prototype.latency.call(this, { n, ms });
  }

  /** Opens `n` more legacy sessions, `concurrency` at a time. */
  async openSessions(n, concurrency = 16) {
    let left = n;
    const worker = async (_, slot) => {
      while (left-- > 0) await this.openSession(slot);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  close() {
    this.pool.close();
  }
}
