/** The server side of stdio: messages on stdin, answers on stdout, nothing else on stdout. */
import type { Readable, Writable } from "node:stream";
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { Transport, TransportSink } from "../dispatch/types.js";
import { LineDecoder, DEFAULT_MAX_LINE_BYTES } from "./lines.js";
import { BatchedLineWriter } from "./stdio-writer.js";

export interface StdioServerOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Longest accepted line in bytes (default 4 MiB); longer lines are rejected, not fatal. */
  maxLineBytes?: number;
}

export class StdioServerTransport implements Transport {
  private readonly stdin: Readable;
  private readonly writer: BatchedLineWriter;
  private sink: TransportSink | undefined;
  private done = false;
  private readonly maxLineBytes: number;

  constructor(opts: StdioServerOptions = {}) {
    this.stdin = opts.stdin ?? process.stdin;
    this.writer = new BatchedLineWriter(opts.stdout ?? process.stdout);
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    const decoder = new LineDecoder({ line: (t) => sink.message(t), invalid: (e) => sink.invalid?.(e) }, this.maxLineBytes);
    this.stdin.on("data", (chunk: Buffer) => decoder.push(chunk));
    this.stdin.on("end", () => {
      decoder.end();
      this.finish();
    });
    this.stdin.on("error", (e) => this.finish(e));
    this.stdin.on("close", () => this.finish());
  }

  send(message: JsonRpcMessage): void {
    this.writer.write(message);
  }

  private finish(reason?: Error): void {
    if (this.done) return;
    this.done = true;
    this.writer.close();
    this.sink?.closed(reason);
  }

  async close(): Promise<void> {
    this.stdin.pause();
    this.finish();
  }
}
