/**
 * Newline-delimited framing over bytes, shared by the stdio transports.
 * Platform-neutral (Uint8Array + TextDecoder). An over-long line is skipped up
 * to its newline and reported; invalid UTF-8 is reported; neither ends the stream.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";

export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface LineHandlers {
  line(text: string): void;
  invalid(err: McpError): void;
}

export class LineDecoder {
  private parts: Uint8Array[] = [];
  private size = 0;
  private skipping = false;
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true });
  constructor(
    private readonly out: LineHandlers,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
  }

  /** Input ended: a final unterminated line is still a message. */
  end(): void {
    if (this.size > 0 || this.skipping) this.endLine();
  }

  private keep(part: Uint8Array): void {
    if (part.length === 0 || this.skipping) return;
    if (this.size + part.length > this.maxLineBytes) {
      this.parts = [];
      this.size = 0;
      this.skipping = true;
      return;
    }
    // Copy: the caller's buffer may be reused after push() returns.
    this.parts.push(part.slice());
    this.size += part.length;
  }

  private endLine(): void {
    if (this.skipping) {
      this.skipping = false;
      this.out.invalid(new McpError(ErrorCode.InvalidRequest, `Message too large: lines are limited to ${this.maxLineBytes} bytes`));
      return;
    }
    const bytes = this.parts.length === 1 ? this.parts[0] : concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--; // tolerate CRLF
    if (end === 0) return; // blank lines carry nothing
    let text: string;
    try {
      text = this.utf8.decode(bytes.subarray(0, end));
    } catch {
      this.out.invalid(new McpError(ErrorCode.ParseError, "Parse error: invalid UTF-8"));
      return;
    }
    this.out.line(text);
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One message, one line: JSON.stringify never emits raw newlines, so this is safe framing. */
export function frame(messages: readonly unknown[]): string {
  let s = "";
  for (const m of messages) s += JSON.stringify(m) + "\n";
  return s;
}
