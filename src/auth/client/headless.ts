/** Authorization without a browser: follow the authorization URL's redirects until one reaches the redirect URI. */
import { OAuthError } from "../errors.js";

/** The query of the redirect back to `redirectUri`, read from `Location` headers (at most 10 hops). */
export async function headlessAuthorize(url: URL, redirectUri: string, f: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<URLSearchParams> {
  const target = new URL(redirectUri);
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    if (current.protocol !== "https:" && current.protocol !== "http:") break;
    const res = await f(current.href, { redirect: "manual", signal: AbortSignal.timeout(30_000) });
    await res.body?.cancel();
    const loc = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !loc) {
      throw new OAuthError("interaction_required", `The authorization endpoint answered HTTP ${res.status} instead of redirecting: it needs a user`);
    }
    const next = new URL(loc, current);
    if (next.protocol === target.protocol && next.host === target.host && next.pathname === target.pathname) return next.searchParams;
    current = next;
  }
  throw new OAuthError("interaction_required", "The authorization flow did not come back to the redirect URI");
}
