/**
 * Which addresses a server may fetch from on a client's say-so (Client ID Metadata
 * Documents): public unicast only. Loopback, private, link-local, shared, documentation,
 * multicast and reserved ranges are refused, also when embedded in IPv6 (mapped, NAT64, 6to4).
 */

export function parseIPv4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : undefined;
}

/** 8 groups of 16 bits, or undefined. Accepts "::" and a trailing dotted IPv4. Zone ids are refused. */
export function parseIPv6(input: string): number[] | undefined {
  let s = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  if (s.includes("%")) return undefined;
  let tail: number[] = [];
  const dot = s.lastIndexOf(":");
  if (s.includes(".")) {
    const v4 = parseIPv4(s.slice(dot + 1));
    if (!v4 || dot < 0) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    s = s.slice(0, dot + 1) + (s[dot - 1] === ":" ? "" : "0");
    if (s.endsWith(":0")) s = s.slice(0, -2);
    else if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const part = (x: string) => (x === "" ? [] : x.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = part(halves[0]);
  const rest = halves.length === 2 ? part(halves[1]) : [];
  const groups = head.length + rest.length + tail.length;
  if ([...head, ...rest].some(Number.isNaN)) return undefined;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return undefined;
  return [...head, ...new Array(8 - groups).fill(0), ...rest, ...tail];
}

function v4Public(b: number[]): boolean {
  const [a, c] = b;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast, reserved, broadcast
  if (a === 100 && c >= 64 && c <= 127) return false; // shared (CGNAT)
  if (a === 169 && c === 254) return false; // link-local
  if (a === 172 && c >= 16 && c <= 31) return false;
  if (a === 192 && c === 168) return false;
  if (a === 192 && c === 0 && (b[2] === 0 || b[2] === 2)) return false; // IETF assignments, TEST-NET-1
  if (a === 192 && c === 88 && b[2] === 99) return false; // 6to4 relay
  if (a === 198 && (c === 18 || c === 19)) return false; // benchmarking
  if (a === 198 && c === 51 && b[2] === 100) return false; // TEST-NET-2
  if (a === 203 && c === 0 && b[2] === 113) return false; // TEST-NET-3
  return true;
}

function v6Public(g: number[]): boolean {
  const v4 = (hi: number, lo: number) => v4Public([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6], g[7]); // IPv4-mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6], g[7]); // NAT64
  if (g[0] === 0x2002) return v4(g[1], g[2]); // 6to4
  if ((g[0] & 0xe000) !== 0x2000) return false; // only global unicast 2000::/3
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false; // documentation
  if (g[0] === 0x2001 && g[1] < 0x0200) return false; // IETF protocol assignments (Teredo, ORCHID, …)
  return true;
}

/** Is `address` (a literal IPv4 or IPv6) a public unicast address? Anything unparseable is not. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return v4Public(v4);
  const v6 = parseIPv6(address);
  return v6 ? v6Public(v6) : false;
}

export const isIpLiteral = (host: string): boolean => parseIPv4(host) !== undefined || parseIPv6(host) !== undefined;
