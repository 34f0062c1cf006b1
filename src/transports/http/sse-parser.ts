/** A small incremental parser for text/event-stream (WHATWG rules: data lines joined, id, event, retry, comments). */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export class SseParser {
  private buf = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;
  /** The last `id:` seen (kept across events, as EventSource does). */
  lastEventId: string | undefined;
  retryMs: number | undefined;
  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.search(/\r\n|\r|\n/)) !== -1) {
      const line = this.buf.slice(0, nl);
      const len = this.buf[nl] === "\r" && this.buf[nl + 1] === "\n" ? 2 : 1;
      // A lone \r at the very end may be half of \r\n: wait for more.
      if (this.buf[nl] === "\r" && nl + 1 === this.buf.length) break;
      this.buf = this.buf.slice(nl + len);
      this.line(line);
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
    this.event = "";
    this.id = undefined;
    if (data === "" && ev.event === "message") return; // priming and keep-alive events carry nothing
    this.onEvent(ev);
  }
}

/** Read an SSE body to its end, calling `onEvent` per event. Resolves when the stream ends. */
export async function readSse(body: ReadableStream<Uint8Array>, parser: SseParser, signal?: AbortSignal): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}
