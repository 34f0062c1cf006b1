/**
 * RFC 6570 URI templates, for resource templates: matching a concrete URI back
 * into its variables (percent-decoded), and expansion. Supports every operator
 * (`{var}`, `{+var}`, `{#var}`, `{.var}`, `{/var*}`, `{;var}`, `{?q,r}`, `{&x}`)
 * with explode and prefix modifiers.
 */

// ---- types: the variables a template names, worked out at compile time ------------------------
type Op = "+" | "#" | "/" | "." | ";" | "?" | "&";
type Exprs<T extends string> = T extends `${string}{${infer E}}${infer Rest}` ? E | Exprs<Rest> : never;
type Body<E extends string> = E extends `${Op}${infer L}` ? L : E;
type Split<L extends string> = L extends `${infer A},${infer B}` ? A | Split<B> : L;
type Items<T extends string> = Split<Body<Exprs<T>>>;
type Name<I extends string> = I extends `${infer N}*` ? N : I extends `${infer N}:${string}` ? N : I;
/** `{ name: string }` for `greeting://{name}`; exploded variables (`{/path*}`) are string arrays. */
export type TemplateParams<T extends string> = string extends T
  ? Record<string, string | string[]>
  : { [I in Items<T> as Name<I>]: I extends `${string}*` ? string[] : string };

// ---- runtime ----------------------------------------------------------------------------------
interface VarSpec { name: string; explode: boolean; prefix?: number }
interface Expr { op: "" | Op; vars: VarSpec[] }

const OPS: Record<string, { first: string; sep: string; named: boolean; reserved: boolean }> = {
  "": { first: "", sep: ",", named: false, reserved: false },
  "+": { first: "", sep: ",", named: false, reserved: true },
  "#": { first: "#", sep: ",", named: false, reserved: true },
  ".": { first: ".", sep: ".", named: false, reserved: false },
  "/": { first: "/", sep: "/", named: false, reserved: false },
  ";": { first: ";", sep: ";", named: true, reserved: false },
  "?": { first: "?", sep: "&", named: true, reserved: false },
  "&": { first: "&", sep: "&", named: true, reserved: false },
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export class UriTemplate {
  readonly variables: string[];
  private readonly parts: (string | Expr)[] = [];
  private readonly re: RegExp;
  private readonly groups: Expr[] = [];

  constructor(readonly template: string) {
    const tokens = template.split(/(\{[^{}]*\})/);
    for (const t of tokens) {
      if (!t) continue;
      if (t.startsWith("{") && t.endsWith("}")) this.parts.push(parseExpr(t.slice(1, -1), template));
      else if (t.includes("{") || t.includes("}")) throw new Error(`Invalid URI template: ${template}`);
      else this.parts.push(t);
    }
    this.variables = this.parts.flatMap((p) => (typeof p === "string" ? [] : p.vars.map((v) => v.name)));
    let src = "^";
    for (const p of this.parts) {
      if (typeof p === "string") {
        src += escapeRe(p);
        continue;
      }
      this.groups.push(p);
      src += exprPattern(p);
    }
    this.re = new RegExp(src + "$");
  }

  static isTemplate(s: string): boolean {
    return /\{[^{}]+\}/.test(s);
  }

  /** The variables of `uri`, percent-decoded, or undefined when it does not fit the template. */
  match(uri: string): Record<string, string | string[]> | undefined {
    const m = this.re.exec(uri);
    if (!m) return undefined;
    const out: Record<string, string | string[]> = {};
    this.groups.forEach((g, i) => {
      const raw = m[i + 1];
      if (raw === undefined || raw === "") return;
      readExpr(g, raw, out);
    });
    return out;
  }

  expand(values: Record<string, unknown>): string {
    return this.parts.map((p) => (typeof p === "string" ? p : expandExpr(p, values))).join("");
  }
}

function parseExpr(body: string, template: string): Expr {
  const op = (body[0] in OPS && body[0] !== "" ? body[0] : "") as Expr["op"];
  const list = op ? body.slice(1) : body;
  const vars = list.split(",").map((item) => {
    const m = /^([A-Za-z0-9_.%]+)(\*|:(\d{1,4}))?$/.exec(item.trim());
    if (!m) throw new Error(`Invalid URI template expression {${body}} in ${template}`);
    return { name: m[1], explode: m[2] === "*", prefix: m[3] ? Number(m[3]) : undefined };
  });
  return { op, vars };
}

/** One capture group per expression; its text is split into variables afterwards. */
function exprPattern(e: Expr): string {
  const o = OPS[e.op];
  // Query parts are lazy so that `{?q}{&page}` leaves `&page=…` to the second expression.
  const body = o.reserved ? "[^?#]*?" : e.op === "?" || e.op === "&" ? "[^#]*?" : e.op === "/" ? "[^?#]*" : "[^/?#]*";
  return o.first ? `(?:${escapeRe(o.first)}(${body}))?` : `(${body})`;
}

function readExpr(e: Expr, raw: string, out: Record<string, string | string[]>): void {
  const o = OPS[e.op];
  if (o.named) {
    const pairs = raw.split(o.sep).map((kv) => {
      const i = kv.indexOf("=");
      return i === -1 ? [decode(kv), ""] : [decode(kv.slice(0, i)), decode(kv.slice(i + 1))];
    });
    for (const v of e.vars) {
      const vals = pairs.filter(([k]) => k === v.name).map(([, val]) => val);
      if (vals.length) out[v.name] = v.explode ? vals : vals[0];
    }
    return;
  }
  const pieces = raw.split(o.sep);
  if (e.vars.length === 1) {
    const v = e.vars[0];
    out[v.name] = v.explode ? pieces.map(decode) : decode(o.reserved ? raw : pieces.join(o.sep));
    return;
  }
  e.vars.forEach((v, i) => {
    if (pieces[i] !== undefined) out[v.name] = decode(pieces[i]);
  });
}

const enc = (s: string, reserved: boolean) =>
  reserved ? encodeURI(s).replace(/%25([0-9A-Fa-f]{2})/g, "%$1") : encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

function expandExpr(e: Expr, values: Record<string, unknown>): string {
  const o = OPS[e.op];
  const parts: string[] = [];
  for (const v of e.vars) {
    const val = values[v.name];
    if (val === undefined || val === null) continue;
    const list = Array.isArray(val) ? val.map(String) : [String(val)];
    const items = list.map((s) => enc(v.prefix ? s.slice(0, v.prefix) : s, o.reserved));
    if (o.named) {
      if (v.explode) parts.push(...items.map((x) => `${v.name}=${x}`));
      else parts.push(`${v.name}=${items.join(",")}`);
    } else parts.push(items.join(v.explode ? o.sep : ","));
  }
  return parts.length ? o.first + parts.join(o.sep) : "";
}
