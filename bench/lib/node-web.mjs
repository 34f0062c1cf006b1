// A tiny node:http ⇄ fetch bridge for servers that expose a web-standard
// `(Request) => Promise<Response>` handler (the official v2 SDK; maybe mcpkit).
// The v2 SDK's own Node adapter lives in a package this project does not
// install, so the benchmark uses this minimal one: buffer the body, build a
// Request, stream the Response back.

/** Reads the whole request body into a Buffer. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Builds a fetch Request from an IncomingMessage and its already-read body. */
export function toRequest(req, body) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const init = { method: req.method, headers };
  if (body && body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD') init.body = body;
  return new Request(`http://${req.headers.host || '127.0.0.1'}${req.url}`, init);
}

/** Writes a fetch Response to a ServerResponse; SSE bodies are streamed, others sent whole. */
export async function sendResponse(res, response) {
  const headers = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  const type = headers['content-type'];
  if (!response.body || !type || !type.startsWith('text/event-stream')) {
    // Known-size body (JSON, errors): send it in one piece with a content-length.
    const buf = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    if (buf) headers['content-length'] = String(buf.length);
    res.writeHead(response.status, headers);
    return void res.end(buf);
  }
  res.writeHead(response.status, headers);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } finally {
    res.end();
  }
}
