/**
 * Coalesces outgoing messages into one write per event-loop turn: under load this
 * turns dozens of small writes (and syscalls) into one. Order is kept.
 */
import type { Writable } from "node:stream";
import { frame } from "./lines.js";

export class BatchedLineWriter {
  private queue: unknown[] = [];
  private scheduled = false;
  private closed = false;
  constructor(private readonly out: Writable) {}

  write(message: unknown): void {
    if (this.closed) return;
    this.queue.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.queue.length === 0 || this.closed) return;
    const q = this.queue;
    this.queue = [];
    try {
      this.out.write(frame(q));
    } catch {
      // The reader went away (EPIPE); the close path will report it.
    }
  };

  close(): void {
    this.flush();
    this.closed = true;
  }
}
