/** Static resources and RFC 6570 resource templates, matched back into typed parameters. */
import { ResourceNotFoundError } from "../protocol/errors.js";
import type { CacheHints, Resource, ResourceContents, ResourceTemplate } from "../protocol/types.js";
import { toBase64 } from "./bytes.js";
import { makeHandle, type Handle } from "./handle.js";
import type { Context } from "./context.js";
import { UriTemplate, type TemplateParams } from "./uri-template.js";

/** A resource's descriptor fields (the URI is given separately), plus how its reads may be cached. */
export interface ResourceOptions extends Partial<Omit<Resource, "uri">> {
  /** Cache hints for reads of this resource (2026-07-28); default: the server's read defaults. */
  cache?: CacheHints;
}
export type CompleteFn = (value: string, context: { arguments: Record<string, string> }) => string[] | Promise<string[]>;
export interface TemplateOptions extends ResourceOptions {
  /** Completions per template variable. */
  complete?: Record<string, CompleteFn>;
  /** Enumerate concrete resources of this template for resources/list. */
  list?: () => Resource[] | Promise<Resource[]>;
}

/** What a resource handler may return: text, bytes, JSON-able data, or contents as-is. */
export type ResourceValue = string | Uint8Array | ArrayBuffer | ResourceContents | ResourceContents[] | { contents: ResourceContents[] } | object;
export type ResourceHandler<P, L> = (params: P, ctx: Context<L>) => ResourceValue | Promise<ResourceValue>;

interface Entry {
  enabled: boolean;
  opts: ResourceOptions;
  handler: ResourceHandler<any, any>;
}
interface StaticEntry extends Entry { descriptor: Resource }
interface TemplateEntry extends Entry { template: UriTemplate; descriptor: ResourceTemplate; opts: TemplateOptions }

export interface RegisteredResource extends Handle {
  readonly uri: string;
}

export class ResourceRegistry {
  private readonly statics = new Map<string, StaticEntry>();
  private readonly templates = new Map<string, TemplateEntry>();
  private listed: Resource[] | undefined;
  private listedTemplates: ResourceTemplate[] | undefined;
  constructor(private readonly changed: () => void) {}

  get hasTemplateCompletions(): boolean {
    for (const t of this.templates.values()) if (t.opts.complete) return true;
    return false;
  }

  add(uri: string, opts: TemplateOptions, handler: ResourceHandler<any, any>): RegisteredResource {
    const meta = pickMeta(opts);
    let entry: StaticEntry | TemplateEntry;
    let map: Map<string, Entry>;
    if (UriTemplate.isTemplate(uri)) {
      if (this.templates.has(uri)) throw new Error(`Resource template ${uri} is already registered`);
      const template = new UriTemplate(uri);
      entry = { enabled: true, opts, handler, template, descriptor: { uriTemplate: uri, name: opts.name ?? uri, ...meta } };
      map = this.templates;
    } else {
      if (this.statics.has(uri)) throw new Error(`Resource ${uri} is already registered`);
      const d: Resource = { uri, name: opts.name ?? uri, ...meta };
      if (opts.size !== undefined) d.size = opts.size;
      entry = { enabled: true, opts, handler, descriptor: d };
      map = this.statics;
    }
    map.set(uri, entry);
    this.touch();
    return Object.assign(makeHandle(map, uri, entry, () => this.touch()), { uri });
  }

  private touch(): void {
    this.listed = undefined;
    this.listedTemplates = undefined;
    this.changed();
  }

  /** Static resources (cached until a change), then what each template's `list` enumerates now. */
  async list(): Promise<Resource[]> {
    this.listed ??= [...this.statics.values()].filter((e) => e.enabled).map((e) => e.descriptor);
    let out = this.listed;
    for (const t of this.templates.values()) if (t.enabled && t.opts.list) out = [...out, ...(await t.opts.list())];
    return out;
  }

  listTemplates(): ResourceTemplate[] {
    this.listedTemplates ??= [...this.templates.values()].filter((t) => t.enabled).map((t) => t.descriptor);
    return this.listedTemplates;
  }

  /** Exact static URIs first, then templates in registration order. */
  resolve(uri: string): { entry: Entry; params: Record<string, string | string[]> } {
    const s = this.statics.get(uri);
    if (s?.enabled) return { entry: s, params: {} };
    for (const t of this.templates.values()) {
      if (!t.enabled) continue;
      const params = t.template.match(uri);
      if (params) return { entry: t, params };
    }
    throw new ResourceNotFoundError(uri);
  }

  templateCompleter(uriTemplate: string, arg: string): CompleteFn | undefined {
    const t = this.templates.get(uriTemplate);
    return t?.enabled ? t.opts.complete?.[arg] : undefined;
  }
}

function pickMeta(o: ResourceOptions): Partial<Resource> {
  const d: Partial<Resource> = {};
  if (o.title !== undefined) d.title = o.title;
  if (o.description !== undefined) d.description = o.description;
  if (o.mimeType !== undefined) d.mimeType = o.mimeType;
  if (o.annotations) d.annotations = o.annotations;
  if (o.icons) d.icons = o.icons;
  if (o._meta) d._meta = o._meta;
  return d;
}

/** Turn a handler's value into resource contents for `uri`. */
export function toContents(uri: string, value: unknown, mimeType?: string): ResourceContents[] {
  if (typeof value === "string") return [{ uri, mimeType: mimeType ?? "text/plain", text: value }];
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
    return [{ uri, mimeType: mimeType ?? "application/octet-stream", blob: toBase64(bytes) }];
  }
  if (Array.isArray(value) && value.every(isContents)) return value;
  if (isContents(value)) return [value];
  if (value && typeof value === "object" && Array.isArray((value as any).contents)) return (value as any).contents;
  return [{ uri, mimeType: mimeType ?? "application/json", text: JSON.stringify(value) }];
}
const isContents = (v: unknown): v is ResourceContents =>
  typeof v === "object" && v !== null && typeof (v as any).uri === "string" && ("text" in v || "blob" in v);

export type { TemplateParams };
