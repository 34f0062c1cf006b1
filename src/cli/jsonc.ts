/**
 * Edit one property of a JSON (or JSONC: comments, trailing commas) file in
 * place, keeping everything else byte for byte: other keys, their order,
 * comments, indentation and line endings. The edit is checked by parsing the
 * result again: the document must equal the old one with just that change.
 */

export type Node =
  | { type: "object"; start: number; end: number; props: Prop[] }
  | { type: "array"; start: number; end: number; items: Node[] }
  | { type: "value"; start: number; end: number; value: unknown };
export interface Prop {
  key: string;
  keyStart: number;
  value: Node;
}
type ObjectNode = Extract<Node, { type: "object" }>;

export class JsoncError extends Error {}

export function parseJsonc(text: string): Node | undefined {
  const p = new Parser(text);
  p.skip();
  if (p.pos >= text.length) return undefined; // empty (or only comments)
  const root = p.value();
  p.skip();
  if (p.pos < text.length) p.fail("unexpected text after the end");
  return root;
}

const GAP = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/y;
const SCALAR = /"(?:\\.|[^"\\\n])*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    const before = this.text.slice(0, this.pos).split("\n");
    throw new JsoncError(`line ${before.length}, column ${before.at(-1)!.length + 1}: ${what}`);
  }

  /** Past whitespace and comments. */
  skip(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
    if (c !== 47 /* / */) return;
    GAP.lastIndex = this.pos;
    GAP.exec(t);
    this.pos = GAP.lastIndex;
    if (t.startsWith("/*", this.pos)) this.fail("unterminated comment");
  }

  value(): Node {
    const t = this.text;
    const start = this.pos;
    const c = t[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    SCALAR.lastIndex = this.pos;
    const m = SCALAR.exec(t);
    if (!m) this.fail(c === undefined ? "unexpected end" : `unexpected ${JSON.stringify(c)}`);
    this.pos += m[0].length;
    const tok = m[0];
    let value: unknown;
    if (tok[0] === '"') value = tok.includes("\\") ? unescape(tok, this) : tok.slice(1, -1);
    else value = tok === "true" ? true : tok === "false" ? false : tok === "null" ? null : Number(tok);
    return { type: "value", start, end: this.pos, value };
  }

  private object(): Node {
    const start = this.pos++;
    const props: Prop[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === "}") break;
      if (this.text[this.pos] !== '"') this.fail('expected a "key" or }');
      const keyStart = this.pos;
      const key = this.value();
      this.skip();
      if (this.text[this.pos] !== ":") this.fail("expected :");
      this.pos++;
      this.skip();
      props.push({ key: (key as any).value, keyStart, value: this.value() });
      this.skip();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") this.fail("expected , or }");
    }
    return { type: "object", start, end: ++this.pos, props };
  }

  private array(): Node {
    const start = this.pos++;
    const items: Node[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === "]") break;
      items.push(this.value());
      this.skip();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "]") this.fail("expected , or ]");
    }
    return { type: "array", start, end: ++this.pos, items };
  }
}

function unescape(tok: string, p: Parser): string {
  try {
    return JSON.parse(tok);
  } catch {
    p.fail(`invalid string ${tok.slice(0, 40)}`);
  }
}

/** The plain value of a node (the last of duplicate keys wins, as in JSON.parse). */
export function toValue(n: Node): any {
  if (n.type === "value") return n.value;
  if (n.type === "array") return n.items.map(toValue);
  const o: Record<string, unknown> = {};
  for (const p of n.props) {
    if (p.key === "__proto__") Object.defineProperty(o, p.key, { value: toValue(p.value), enumerable: true, writable: true, configurable: true });
    else o[p.key] = toValue(p.value);
  }
  return o;
}

/** The value at `path`, or undefined. */
export function getIn(text: string, path: string[]): unknown {
  let v = toValue(parseJsonc(text) ?? { type: "object", start: 0, end: 0, props: [] });
  for (const k of path) v = v !== null && typeof v === "object" && Object.hasOwn(v, k) ? v[k] : undefined;
  return v;
}

/** Set `path` to `value` (creating objects on the way), touching nothing else. */
export function setIn(text: string, path: string[], value: unknown): string {
  const root = parseJsonc(text);
  if (!root) return JSON.stringify(nest(path, value), null, 2) + "\n";
  if (root.type !== "object") throw new JsoncError("the top level is not a JSON object");
  const f = new Format(text, root);
  const out = set(f, text, root, path, value);
  check(root, out, path, value);
  return out;
}

function nest(path: string[], value: unknown): unknown {
  return path.reduceRight((v, k) => ({ [k]: v }), value);
}

function set(f: Format, text: string, obj: ObjectNode, path: string[], value: unknown): string {
  const [key, ...more] = path;
  const prop = obj.props.findLast((p) => p.key === key);
  if (!prop) return insert(f, text, obj, key, more.length ? nest(more, value) : value);
  if (more.length && prop.value.type === "object") return set(f, text, prop.value, more, value);
  const v = more.length ? nest(more, value) : value;
  return text.slice(0, prop.value.start) + f.serialize(v, f.lineIndent(prop.keyStart)) + text.slice(prop.value.end);
}

function insert(f: Format, text: string, obj: ObjectNode, key: string, value: unknown): string {
  const objIndent = f.lineIndent(obj.start);
  const last = obj.props.at(-1);
  const indent = last && f.ownLine(last.keyStart) ? f.lineIndent(last.keyStart) : objIndent + f.unit;
  const kv = `${JSON.stringify(key)}: ${f.serialize(value, indent)}`;
  if (!last) {
    const inner = text.slice(obj.start + 1, obj.end - 1);
    if (!inner.trim()) return text.slice(0, obj.start) + `{${f.eol}${indent}${kv}${f.eol}${objIndent}}` + text.slice(obj.end);
    return text.slice(0, obj.start + 1) + `${f.eol}${indent}${kv}` + text.slice(obj.start + 1);
  }
  const p = new Parser(text);
  p.pos = last.value.end;
  p.skip();
  if (text[p.pos] === ",") {
    // A trailing comma: keep the style.
    const at = endOfComment(text, p.pos + 1);
    return text.slice(0, at) + `${f.eol}${indent}${kv},` + text.slice(at);
  }
  // After a `// comment` ending the last property's line, not before it.
  const at = endOfComment(text, last.value.end);
  return text.slice(0, last.value.end) + "," + text.slice(last.value.end, at) + `${f.eol}${indent}${kv}` + text.slice(at);
}

/** From `pos`: past spaces and a `//` comment on the same line, if there is one; else `pos`. */
function endOfComment(text: string, pos: number): number {
  const m = /^[ \t]*\/\/[^\n]*/.exec(text.slice(pos, pos + 10_000));
  return m ? pos + m[0].replace(/\r$/, "").length : pos;
}

class Format {
  readonly eol: string;
  readonly unit: string;
  constructor(
    private readonly text: string,
    root: ObjectNode,
  ) {
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    const first = root.props[0];
    const ind = first && this.ownLine(first.keyStart) ? this.lineIndent(first.keyStart) : "";
    this.unit = ind.startsWith("\t") ? "\t" : ind.length ? " ".repeat(ind.length) : "  ";
  }
  private lineStart(pos: number): number {
    return this.text.lastIndexOf("\n", pos - 1) + 1;
  }
  lineIndent(pos: number): string {
    return /^[ \t]*/.exec(this.text.slice(this.lineStart(pos), pos))![0];
  }
  ownLine(pos: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(pos), pos));
  }
  serialize(value: unknown, indent: string): string {
    return JSON.stringify(value, null, this.unit).split("\n").join(this.eol + indent);
  }
}

/** The new text must parse to the old document with exactly this one change. */
function check(before: Node, after: string, path: string[], value: unknown): void {
  const expected = toValue(before);
  let o = expected;
  for (const k of path.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== "object" || Array.isArray(o[k])) o[k] = {};
    o = o[k];
  }
  o[path.at(-1)!] = value;
  const root = parseJsonc(after);
  if (!root || JSON.stringify(toValue(root)) !== JSON.stringify(expected)) throw new JsoncError("internal error: the edit did not produce the expected document");
}
