// HTTP/1.1 request pools for the load generator. Both keep up to `size`
// persistent keep-alive connections and run one request at a time on each.
//
//  RawPool   (default) hand-written HTTP/1.1 over node:net: a request is ONE
//            socket write of a prebuilt string; the reply parser handles
//            Content-Length and chunked bodies. On this class of machine
//            node's http client costs the harness more CPU per call than the
//            bare server spends answering it, so it would measure itself.
//  AgentPool (--http-agent) node:http with a keep-alive http.Agent, maxSockets = size.
import net from 'node:net';
import http from 'node:http';

const CRLF2 = Buffer.from('\r\n\r\n');

class RawConn {
  constructor(port) {
    this.port = port;
    this.sock = null;
    this.buf = null;
    this.waiter = null; // { resolve, reject }
  }

  _connect() {
    const s = net.connect(this.port, '127.0.0.1');
    s.setNoDelay(true);
    s.on('data', (d) => {
      this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
      this._parse();
    });
    const drop = (e) => {
      if (this.sock === s) this.sock = null;
      const w = this.waiter;
      this.waiter = null;
      if (w) w.reject(e || new Error('connection closed by the server'));
    };
    s.on('error', drop);
    s.on('close', () => drop());
    this.sock = s;
    this.buf = null;
  }

  request(head, body) {
    if (!this.sock) this._connect();
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.sock.write(head + body);
    });
  }

  _parse() {
    const buf = this.buf;
    const he = buf.indexOf(CRLF2);
    if (he < 0 || !this.waiter) return;
    const lines = buf.toString('latin1', 0, he).split('\r\n');
    const status = Number(lines[0].slice(9, 12));
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const c = lines[i].indexOf(':');
      headers[lines[i].slice(0, c).toLowerCase()] = lines[i].slice(c + 1).trim();
    }
    let start = he + 4;
    let body;
    let end;
    if (headers['transfer-encoding'] === 'chunked') {
      const parts = [];
      for (;;) {
        const le = buf.indexOf('\r\n', start);
        if (le < 0) return; // incomplete
        const n = parseInt(buf.toString('latin1', start, le), 16);
        if (buf.length < le + 2 + n + 2) return;
        if (n === 0) {
          end = le + 4;
          break;
        }
        parts.push(buf.subarray(le + 2, le + 2 + n));
        start = le + 2 + n + 2;
      }
      body = Buffer.concat(parts).toString('utf8');
    } else {
      const len = Number(headers['content-length'] || 0);
      if (buf.length < start + len) return;
      body = buf.toString('utf8', start, start + len);
      end = start + len;
    }
    this.buf = end < buf.length ? buf.subarray(end) : null;
    const w = this.waiter;
    this.waiter = null;
    w.resolve({ status, headers, body });
  }

  close() {
    if (this.sock) this.sock.destroy();
    this.sock = null;
  }
}

export class RawPool {
  constructor(port, size) {
    this.port = port;
    this.conns = Array.from({ length: size }, () => new RawConn(port));
  }

  /** POST /mcp on connection `slot`; headers is a plain object. */
  post(slot, headers, body) {
    let head = `POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:${this.port}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    for (const k in headers) head += `${k}: ${headers[k]}\r\n`;
    return this.conns[slot % this.conns.length].request(head + '\r\n', body);
  }

  close() {
    for (const c of this.conns) c.close();
  }
}

export class AgentPool {
  constructor(port, size) {
    this.port = port;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: size });
  }

  post(_slot, headers, body) {
    return new Promise((resolve, reject) => {
      const h = { ...headers, 'content-length': Buffer.byteLength(body) };
      const req = http.request({ agent: this.agent, host: '127.0.0.1', port: this.port, path: '/mcp', method: 'POST', headers: h }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}
