/** A small incremental parser for text/event-stream (WHATWG rules: data lines joined, id, event, retry, comments). */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** Default bound on one line and on one event's data: 16 MiB. */
export const DEFAULT_MAX_SSE_EVENT_SIZE = 16 * 1024 * 1024;

/** Thrown (and fails the stream) when a line or an event exceeds the parser's bound. */
export class SseTooLargeError extends Error {
  constructor(readonly limit: number, what: "line" | "event") {
    super(`SSE ${what} exceeds the maximum size of ${limit} characters; the stream was abandoned`);
    this.name = "SseTooLargeError";
  }
}

export interface SseParserOptions {
  /** The largest line, and the largest event (its data lines together), in characters. Default 16 MiB. */
  maxEventSize?: number;
}

export class SseParser {
  /** Pieces of the line not yet ended (kept apart, so each chunk is scanned once and copied once). */
  private parts: string[] = [];
  private partsLen = 0;
  /** The last chunk ended with \r: a \n first in the next one belongs to it. */
  private skipLf = false;
  private data: string[] = [];
  private dataSize = 0;
  private event = "";
  private id: string | undefined;
  private readonly max: number;
  /** The last `id:` seen (kept across events, as EventSource does). */
  lastEventId: string | undefined;
  retryMs: number | undefined;
  constructor(private readonly onEvent: (e: SseEvent) => void, opts: SseParserOptions = {}) {
    this.max = opts.maxEventSize ?? DEFAULT_MAX_SSE_EVENT_SIZE;
  }

  /** Feed a chunk. Throws SseTooLargeError when a line or event grows past the bound. */
  push(chunk: string): void {
    let start = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    for (let i = start; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (this.partsLen + i - start > this.max) throw new SseTooLargeError(this.max, "line");
      let line = chunk.slice(start, i);
      if (this.parts.length) {
        this.parts.push(line);
        line = this.parts.join("");
        this.parts = [];
        this.partsLen = 0;
      }
      if (c === 13) {
        if (i + 1 === chunk.length) this.skipLf = true;
        else if (chunk.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      this.line(line);
    }
    if (start < chunk.length) {
      this.partsLen += chunk.length - start;
      if (this.partsLen > this.max) throw new SseTooLargeError(this.max, "line");
      this.parts.push(chunk.slice(start));
    }
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return;
    const i = line.indexOf(":");
    const field = i === -1 ? line : line.slice(0, i);
    let value = i === -1 ? "" : line.slice(i + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.dataSize += value.length + 1;
        if (this.dataSize > this.max) throw new SseTooLargeError(this.max, "event");
        this.data.push(value);
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
    }
  }

  private dispatch(): void {
    if (this.id !== undefined) this.lastEventId = this.id;
    const data = this.data.join("\n");
    const ev = { event: this.event || "message", data, id: this.id };
    this.data = [];
    this.dataSize = 0;
    this.event = "";
    this.id = undefined;
    if (data === "" && ev.event === "message") return; // priming and keep-alive events carry nothing
    this.onEvent(ev);
  }
}

/** Read an SSE body to its end, calling `onEvent` per event. Resolves when the stream ends; rejects (and cancels the body) when the parser refuses it. */
export async function readSse(body: ReadableStream<Uint8Array>, parser: SseParser, signal?: AbortSignal): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      try {
        parser.push(value);
      } catch (e) {
        stop();
        throw e;
      }
    }
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}
