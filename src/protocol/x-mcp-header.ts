/**
 * `x-mcp-header` (2026-07-28): a tool input property mirrored into an
 * `Mcp-Param-<Name>` HTTP header. The annotation must be an HTTP token, unique
 * (case-insensitively) within the tool, on a string, integer or boolean property
 * reachable from the root through `properties` only. Clients drop tools whose
 * annotations break these rules.
 */
export interface HeaderParam {
  header: string;
  /** Property path from the root (`["region"]`, or nested through properties). */
  path: string[];
  type: "string" | "integer" | "boolean";
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The header params of a tool, or undefined when any annotation is invalid. */
export function headerParams(inputSchema: Record<string, any> | undefined): HeaderParam[] | undefined {
  const out: HeaderParam[] = [];
  const seen = new Set<string>();
  let ok = true;
  const walk = (schema: any, path: string[]) => {
    for (const [name, prop] of Object.entries<any>(schema?.properties ?? {})) {
      if (!prop || typeof prop !== "object") continue;
      const here = [...path, name];
      if ("x-mcp-header" in prop) {
        const h = prop["x-mcp-header"];
        const type = prop.type;
        if (typeof h !== "string" || !TOKEN.test(h) || seen.has(h.toLowerCase()) || !(type === "string" || type === "integer" || type === "boolean")) {
          ok = false;
          continue;
        }
        seen.add(h.toLowerCase());
        out.push({ header: h, path: here, type });
      }
      if (prop.type === "object" || prop.properties) walk(prop, here);
    }
  };
  walk(inputSchema, []);
  return ok ? out : undefined;
}

export function valueAt(args: unknown, path: string[]): unknown {
  let v: any = args;
  for (const k of path) v = v && typeof v === "object" ? v[k] : undefined;
  return v;
}
