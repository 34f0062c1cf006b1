/**
 * Server-sent events, written to whichever sink the adapter attaches: a web
 * ReadableStream (fetch-style handler) or a Node response (no stream wrapper,
 * no per-chunk promise). Writes made before a sink is attached are buffered.
 */
export interface SseSink {
  write(chunk: string): void;
  end(): void;
}

export class SseStream {
  private sink: SseSink | undefined;
  private pending: string[] = [];
  private ended = false;
  closed = false;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private readonly cancelHooks: (() => void)[] = [];

  /** Called once when the client goes away (or we close): abort work tied to the stream. */
  onCancel(fn: () => void): void {
    if (this.closed) fn();
    else this.cancelHooks.push(fn);
  }

  attach(sink: SseSink): void {
    this.sink = sink;
    for (const c of this.pending) sink.write(c);
    this.pending = [];
    if (this.ended) sink.end();
  }

  private raw(chunk: string): boolean {
    if (this.closed || this.ended) return false;
    if (this.sink) this.sink.write(chunk);
    else this.pending.push(chunk);
    return true;
  }

  /** One `message` event; `id` makes it resumable. */
  send(data: unknown, id?: string): boolean {
    return this.raw(`${id !== undefined ? `id: ${id}\n` : ""}event: message\ndata: ${JSON.stringify(data)}\n\n`);
  }
  event(name: string, data: string, id?: string): boolean {
    return this.raw(`${id !== undefined ? `id: ${id}\n` : ""}event: ${name}\ndata: ${data}\n\n`);
  }
  /** The 2025-11-25 priming event: an id and empty data, so the client can resume from the start. */
  prime(id: string, retryMs?: number): boolean {
    return this.raw(`${retryMs !== undefined ? `retry: ${retryMs}\n` : ""}id: ${id}\ndata: \n\n`);
  }
  comment(text = ""): boolean {
    return this.raw(`: ${text}\n\n`);
  }

  /** Comment lines at an interval keep proxies from timing out a quiet stream. */
  keepAliveEvery(ms: number): void {
    if (ms <= 0 || this.keepAlive) return;
    this.keepAlive = setInterval(() => this.comment("keep-alive"), ms);
    (this.keepAlive as any).unref?.();
  }

  /** Finish the stream normally (after the final message). */
  end(): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    this.stopKeepAlive();
    this.sink?.end();
    this.fireCancel(false);
  }

  /** The client disconnected (or the adapter gave up): stop writing and abort dependants. */
  cancel(): void {
    if (this.closed) return;
    const wasEnded = this.ended;
    this.closed = true;
    this.stopKeepAlive();
    this.pending = [];
    this.fireCancel(!wasEnded);
  }

  private fireCancel(abort: boolean): void {
    const hooks = this.cancelHooks.splice(0);
    if (abort) for (const h of hooks) h();
  }
  private stopKeepAlive(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }

  /** A web ReadableStream view, for the fetch-style handler. */
  toReadable(): ReadableStream<Uint8Array> {
    const enc = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      start: (c) =>
        this.attach({
          write: (s) => c.enqueue(enc.encode(s)),
          end: () => {
            try {
              c.close();
            } catch {
              // already closed by the reader
            }
          },
        }),
      cancel: () => this.cancel(),
    });
  }
}
