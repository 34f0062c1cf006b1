export { serveHttp, nodeListener, toHttpIn, writeOut, type ServeHttpOptions, type RunningHttpServer } from "./http.js";
export { runHttp } from "./serve.js";
export { serveStdio, StdioServerTransport, StdioClientTransport } from "../transports/stdio.js";
