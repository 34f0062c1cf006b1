/** Loads `jose`, the optional peer dependency of mcpkit/auth, on first use (JWT verification, private_key_jwt). */
type Jose = typeof import("jose");
let josePromise: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  return (josePromise ??= import("jose").catch((e) => {
    josePromise = undefined;
    throw new Error(`mcpkit/auth: this feature needs the optional dependency "jose" (npm install jose): ${(e as Error).message}`);
  }));
}
