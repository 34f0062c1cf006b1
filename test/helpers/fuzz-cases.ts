/**
 * Seeded generation of hostile and valid stdio lines for test/stdio-fuzz.test.ts.
 * Every case carries what the server must answer (by id, or as a null-id error).
 */
import assert from "node:assert/strict";
import { META } from "../../src/protocol/meta.js";

export const MAX_LINE = 65536;

/** mulberry32: small, fast, seeded. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] };
}

export type Id = string | number;
export type Expect =
  | { t: "result"; id: Id; check?: (r: any) => void }
  | { t: "error"; id: Id; code: number }
  | { t: "null"; code: number; optional?: boolean }
  | { t: "none" };
export interface Case { label: string; bytes: Buffer; expect: Expect[]; lfOnly?: boolean }

export const MODERN_META = { [META.protocolVersion]: "2026-07-28", [META.clientCapabilities]: {} };
const enc = (s: string) => Buffer.from(s, "utf8");
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Build `n` hostile-or-valid lines for one era; every case knows what the server must answer. */
export function generate(era: "legacy" | "modern", n: number, seed: number): Case[] {
  const r = prng(seed);
  let nextId = 1000;
  const id = (): Id => {
    const k = nextId++;
    return r.pick([() => k, () => -k, () => `s${k}`, () => `s${k}\u2028\ud800\u0000"\\\n`, () => `${k}`])();
  };
  const withMeta = (p?: Record<string, unknown>) => (era === "modern" ? { ...p, _meta: { ...MODERN_META, ...(p?._meta as object) } } : p);
  const json = (v: unknown) => JSON.stringify(v);
  const line = (label: string, text: string | Buffer, ...expect: Expect[]): Case => ({ label, bytes: typeof text === "string" ? enc(text) : text, expect });
  const nullErr = (code: number, optional = false): Expect => ({ t: "null", code, optional });
  const add = (i: Id, a: number, b: number) => json({ jsonrpc: "2.0", id: i, method: "tools/call", params: withMeta({ name: "add", arguments: { a, b } }) });
  const sumIs = (s: string) => (res: any) => assert.deepEqual(res.content, [{ type: "text", text: s }]);
  const badParams: [string, Record<string, unknown> | undefined][] = [
    ["tools/call", {}], ["tools/call", { name: 5 }], ["tools/call", { name: "add", arguments: [1, 2] }],
    ["tools/call", { name: "add", arguments: { a: "1", b: 2 } }], ["tools/call", { name: "nope", arguments: {} }],
    ["tools/call", { name: "add\u0000", arguments: { a: 1, b: 2 } }], ["tools/call", { name: "add", requestState: 7 }],
    ["resources/read", { uri: 5 }], ["prompts/get", { name: "x", arguments: { k: 1 } }], ["completion/complete", {}],
    ["tools/list", { cursor: {} }], ["tools/call", { name: "add", arguments: { a: null, b: 1 } }],
  ];
  const unknown: [string, Record<string, unknown> | undefined][] = [
    ["foo/bar", {}], ["tools/lisst", undefined], ["constructor", {}], ["__proto__", {}], ["toString", undefined],
    ["hasOwnProperty", {}], ["a\u0000b", {}], ["resources/read", { uri: "file:///x" }], ["prompts/list", undefined],
    ["completion/complete", { ref: { type: "ref/prompt", name: "p" }, argument: { name: "a", value: "v" } }], ["x".repeat(300), {}],
  ];
  const deep = (d: number, open: string, close: string, inner = "1") => open.repeat(d) + inner + close.repeat(d);

  const gens: (() => Case | undefined)[] = [
    () => {
      const i = id(), a = r.int(2e6) - 1e6, b = r.int(2e6) - 1e6;
      return line("valid add", add(i, a, b), { t: "result", id: i, check: sumIs(String(a + b)) });
    },
    () => {
      const i = id();
      return line("tools/list", json({ jsonrpc: "2.0", id: i, method: "tools/list", params: withMeta() }), {
        t: "result", id: i, check: (res) => assert.equal(res.tools[0].name, "add"),
      });
    },
    () => {
      const i = id();
      const text = json({ jsonrpc: "2.0", id: i, method: "ping", params: withMeta() });
      return line("ping", text, era === "legacy" ? { t: "result", id: i } : { t: "error", id: i, code: -32601 });
    },
    () => {
      const i = id(), [m, p] = r.pick(badParams);
      return line(`bad params ${m}`, json({ jsonrpc: "2.0", id: i, method: m, params: withMeta(p) }), { t: "error", id: i, code: -32602 });
    },
    () => {
      const i = id(), [m, p] = r.pick(unknown);
      return line(`unknown ${m.slice(0, 20)}`, json({ jsonrpc: "2.0", id: i, method: m, params: withMeta(p) }), { t: "error", id: i, code: -32601 });
    },
    () => {
      const i = id(), p = r.pick(["[]", "[1,2]", "1", '"x"', "true", "null", "-0"]);
      return line("non-object params", `{"jsonrpc":"2.0","id":${json(i)},"method":"tools/call","params":${p}}`, { t: "error", id: i, code: -32602 });
    },
    () => {
      const bad = r.pick(["null", "1.5", "true", "false", "{}", "[]", "[1]", "1e400", "-1e-7", '{"a":1}']);
      return line(`bad id ${bad}`, `{"jsonrpc":"2.0","id":${bad},"method":"tools/list"}`, nullErr(-32600));
    },
    () => {
      const i = id(), m = r.pick(["5", "null", '""', "{}", "[]", "true"]);
      return line(`bad method ${m}`, `{"jsonrpc":"2.0","id":${json(i)},"method":${m}}`, { t: "error", id: i, code: -32600 });
    },
    () => {
      const i = id(), v = r.pick(['"1.0"', "2", "null", '"2.0 "', "[]", undefined]);
      const text = v === undefined ? `{"id":${json(i)},"method":"tools/list"}` : `{"jsonrpc":${v},"id":${json(i)},"method":"tools/list"}`;
      return line(`bad jsonrpc ${v}`, text, { t: "error", id: i, code: -32600 });
    },
    () => {
      const i = id();
      return line("no method, no result", `{"jsonrpc":"2.0","id":${json(i)},"params":{}}`, { t: "error", id: i, code: -32600 });
    },
    () => {
      const len = 1 + r.int(120);
      const b = Buffer.alloc(len);
      for (let k = 0; k < len; k++) {
        let x = r.int(256);
        while (x === 10) x = r.int(256);
        b[k] = x;
      }
      let seen = b[len - 1] === 13 ? b.subarray(0, len - 1) : b;
      if (seen.length === 0) return undefined;
      try {
        JSON.parse(strictUtf8.decode(seen));
        return undefined; // by chance valid JSON: not this generator's business
      } catch {
        return line("random bytes", b, nullErr(-32700));
      }
    },
    () => {
      const bad = r.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]);
      const at = r.int(3);
      const parts = [enc('{"jsonrpc":"2.0","id":1,"method":"'), Buffer.from(bad), enc('"}')];
      const b = at === 0 ? Buffer.concat([Buffer.from(bad), ...parts]) : Buffer.concat(parts);
      return line("invalid utf-8", b, nullErr(-32700));
    },
    () => {
      const full = add(id(), 1, 2);
      return line("truncated json", full.slice(0, 1 + r.int(full.length - 1)), nullErr(-32700));
    },
    () => line("raw NUL", r.pick(['{"jsonrpc":"2.0","id":1,"method":"pi\u0000ng"}', '\u0000{"jsonrpc":"2.0"}', "{\u0000}", "\u0000"]), nullErr(-32700)),
    () => line("whitespace / junk", r.pick(["   ", "\t", "{'a':1}", "undefined", "NaN", "[1,]", "{,}", "0x10", "+1", "\u00a0{}"]), nullErr(-32700)),
    () => {
      const v = r.pick(["42", '"str"', "true", "null", "{}", "[]", "\t{}", "-0", "1e999", '{"__proto__":{"jsonrpc":"2.0"}}']);
      return line(`non-message json ${v}`, v, nullErr(-32600));
    },
    () => {
      const k = 1 + r.int(5);
      return line("array of junk", json(Array.from({ length: k }, (_, j) => j)), ...Array.from({ length: k }, () => nullErr(-32600)));
    },
    () => {
      const d = 500 + r.int(9000);
      return r.next() < 0.5
        ? line(`deep array ${d}`, deep(d, "[", "]"), nullErr(-32600))
        : line(`deep object ${d}`, deep(d, '{"a":', "}"), nullErr(-32600));
    },
    () => {
      const i = id(), d = 200 + r.int(5000);
      const text = `{"jsonrpc":"2.0","id":${json(i)},"method":"tools/call","params":${json(withMeta({ name: "add" })).slice(0, -1)},"arguments":{"a":${deep(d, '{"x":', "}")},"b":1}}}`;
      return line(`deep arguments ${d}`, text, { t: "error", id: i, code: -32602 });
    },
    () => {
      const i = id(), j = id();
      return line("batch", `[${add(i, 2, 3)}, 7, {"jsonrpc":"2.0","method":"notifications/whatever"}, ${add(j, 1, 1)}]`,
        { t: "result", id: i, check: sumIs("5") }, nullErr(-32600), { t: "result", id: j, check: sumIs("2") });
    },
    () => {
      const i = id();
      return line("stray response", r.pick([
        json({ jsonrpc: "2.0", id: i, result: {} }),
        json({ jsonrpc: "2.0", id: i, error: { code: -1, message: "x" } }),
        json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "x" } }),
      ]), { t: "none" });
    },
    () => {
      const i = id();
      return line("malformed response", json({ jsonrpc: "2.0", id: i, result: 5 }), { t: "error", id: i, code: -32600 });
    },
    () => line("notification", r.pick([
      '{"jsonrpc":"2.0","method":"notifications/whatever","params":{"x":1}}',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":123456789}}',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":{"evil":1}}}',
      '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"nope","progress":1}}',
      '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      '{"jsonrpc":"2.0","method":"__proto__","params":{"__proto__":{"x":1}}}',
    ]), { t: "none" }),
    // A notification with bad params has no id to answer; a null-id -32600 is tolerated, silence too.
    () => line("notification, bad params", '{"jsonrpc":"2.0","method":"notifications/progress","params":[1]}', nullErr(-32600, true)),
    () => {
      const i = id(), a = r.int(100), b = r.int(100);
      const meta = era === "modern" ? `,"_meta":${json(MODERN_META)}` : "";
      const text = `{"jsonrpc":"2.0","id":${json(i)},"method":"tools/call","params":{"__proto__":{"name":"evil"},"constructor":{"prototype":{"polluted":1}},"name":"add","arguments":{"__proto__":{"a":"x"},"a":${a},"b":${b}}${meta}}}`;
      return line("prototype keys", text, { t: "result", id: i, check: sumIs(String(a + b)) });
    },
    () => {
      const i = id(), [a, b, sum] = r.pick([["1e308", "1e308", "Infinity"], ["1e999", "-1", "Infinity"], ["-0", "-0", "0"], ["12345678901234567890", "0", "12345678901234567000"], ["5e-324", "0", "5e-324"]]);
      const meta = era === "modern" ? `,"_meta":${json(MODERN_META)}` : "";
      return line("huge numbers", `{"jsonrpc":"2.0","id":${json(i)},"method":"tools/call","params":{"name":"add","arguments":{"a":${a},"b":${b}}${meta}}}`, {
        t: "result", id: i, check: sumIs(sum),
      });
    },
    () => {
      const k = nextId++;
      const big = (10n ** 19n + BigInt(k) * 4096n).toString(); // > 2^53, an integer, exact as a double
      return line("huge id", `{"jsonrpc":"2.0","id":${big},"method":"tools/call","params":${json(withMeta({ name: "add", arguments: { a: 1, b: 1 } }))}}`, {
        t: "result", id: Number(big), check: sumIs("2"),
      });
    },
    // "\r" + "\r\n" would be a line holding one "\r": a parse error, so this one always ends in "\n".
    () => ({ ...line("blank line", r.pick(["", "\r"]), { t: "none" }), lfOnly: true }),
    () => {
      if (r.next() > 0.05) return undefined;
      return line("over-long line", add(id(), 1, 2).replace('"add"', `"add","pad":"${"x".repeat(MAX_LINE)}"`), nullErr(-32600));
    },
    () => {
      if (era === "legacy") {
        const i = id();
        return line("second initialize", json({ jsonrpc: "2.0", id: i, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } } }), { t: "error", id: i, code: -32600 });
      }
      const i = id();
      const [meta, code] = r.pick<[unknown, number]>([
        [undefined, -32602], [{}, -32602], [5, -32602], [{ [META.clientCapabilities]: {} }, -32602],
        [{ [META.protocolVersion]: "2025-11-25", [META.clientCapabilities]: {} }, -32022],
        [{ [META.protocolVersion]: 20260728, [META.clientCapabilities]: {} }, -32022],
        [{ [META.protocolVersion]: "2026-07-28", [META.clientCapabilities]: "all" }, -32602],
        [{ [META.protocolVersion]: "2026-07-28", [META.clientCapabilities]: {}, [META.logLevel]: "LOUD" }, -32602],
      ]);
      const params = meta === undefined ? { name: "add" } : { name: "add", _meta: meta };
      return line("modern meta fault", json({ jsonrpc: "2.0", id: i, method: "tools/call", params }), { t: "error", id: i, code });
    },
  ];

  const out: Case[] = [];
  while (out.length < n) {
    const c = r.pick(gens)();
    if (c) out.push(c);
  }
  // A line of exactly the limit is accepted; one byte more is not.
  const i = id();
  const base = add(i, 20, 22).replace('"add"', '"add","pad":""');
  out.push(line("exactly max line", base.replace('"pad":""', `"pad":"${"y".repeat(MAX_LINE - enc(base).length)}"`), { t: "result", id: i, check: sumIs("42") }));
  out.push(line("max line + 1", base.replace('"pad":""', `"pad":"${"y".repeat(MAX_LINE - enc(base).length + 1)}"`), nullErr(-32600)));
  return out;
}
