/**
 * Content helpers and the conversion of natural return values into MCP content:
 * strings, numbers, objects, `Image`/`Audio`, content blocks and arrays of them.
 */
import type { Annotations, ContentBlock, EmbeddedResource, ResourceContents, ResourceLink } from "../protocol/types.js";
import { mimeFromName, readFileBytes, sniffMime, toBase64 } from "./bytes.js";

interface MediaInit {
  /** A file to read (Node, Bun, Deno). */
  path?: string;
  data?: Uint8Array | ArrayBuffer;
  /** "png", "wav", … (the README's `format=`); or give `mimeType`. */
  format?: string;
  mimeType?: string;
  annotations?: Annotations;
}

abstract class Media {
  protected abstract readonly kind: "image" | "audio";
  constructor(readonly init: MediaInit) {
    if (!init.path && !init.data) throw new Error(`${this.constructor.name} needs a path or data`);
  }
  async bytes(): Promise<Uint8Array> {
    const d = this.init.data;
    if (d) return d instanceof Uint8Array ? d : new Uint8Array(d);
    return readFileBytes(this.init.path!);
  }
  /** Explicit type, then the format or file name, then the bytes themselves. */
  mimeType(bytes: Uint8Array): string {
    const i = this.init;
    return (
      i.mimeType ??
      (i.format ? mimeFromName(i.format) ?? `${this.kind}/${i.format}` : undefined) ??
      (i.path ? mimeFromName(i.path) : undefined) ??
      sniffMime(bytes) ??
      (this.kind === "image" ? "image/png" : "audio/wav")
    );
  }
  async toContent(): Promise<ContentBlock> {
    const b = await this.bytes();
    const block: any = { type: this.kind, data: toBase64(b), mimeType: this.mimeType(b) };
    if (this.init.annotations) block.annotations = this.init.annotations;
    return block;
  }
}

/** An image for a tool result or prompt: `new Image({ path: "cat.png" })` or `new Image({ data, format: "png" })`. */
export class Image extends Media {
  protected readonly kind = "image";
}
/** An audio clip: `new Audio({ path: "hello.wav" })` or `new Audio({ data, format: "mp3" })`. */
export class Audio extends Media {
  protected readonly kind = "audio";
}

export function text(t: string, annotations?: Annotations): ContentBlock {
  return annotations ? { type: "text", text: t, annotations } : { type: "text", text: t };
}
export function resourceLink(uri: string, name: string, extra: Omit<ResourceLink, "type" | "uri" | "name"> = {}): ResourceLink {
  return { type: "resource_link", uri, name, ...extra };
}
export function embeddedResource(contents: ResourceContents, annotations?: Annotations): EmbeddedResource {
  return annotations ? { type: "resource", resource: contents, annotations } : { type: "resource", resource: contents };
}

const BLOCK_TYPES = new Set(["text", "image", "audio", "resource", "resource_link"]);
export const isContentBlock = (v: unknown): v is ContentBlock =>
  typeof v === "object" && v !== null && BLOCK_TYPES.has((v as any).type);

/** Turn any natural value into content blocks. Async only when a value must be read. */
export function toContent(v: unknown): ContentBlock[] | Promise<ContentBlock[]> {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [{ type: "text", text: v }];
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return [{ type: "text", text: String(v) }];
  if (v instanceof Media) return v.toContent().then((b) => [b]);
  if (isContentBlock(v)) return [v];
  if (v instanceof Uint8Array) return [{ type: "text", text: toBase64(v) }];
  if (Array.isArray(v)) {
    const parts = v.map(toContent);
    if (parts.some((p) => p instanceof Promise)) return Promise.all(parts).then((ps) => ps.flat());
    return (parts as ContentBlock[][]).flat();
  }
  return [{ type: "text", text: JSON.stringify(v) }];
}
