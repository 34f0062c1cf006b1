/**
 * Values that are usually ready at once but may be promises. The request path
 * chains through these so that a synchronous handler costs no promise and no
 * microtask per layer; only real asynchrony pays for it.
 */
export type MaybePromise<T> = T | Promise<T>;

export function then<T, R>(v: MaybePromise<T>, ok: (x: T) => MaybePromise<R>, fail?: (e: unknown) => MaybePromise<R>): MaybePromise<R> {
  if (v instanceof Promise) return v.then(ok, fail);
  if (!fail) return ok(v);
  try {
    return ok(v);
  } catch (e) {
    return fail(e);
  }
}

/** Call `f`, turning a synchronous throw into the same path as a rejection. */
export function attempt<R>(f: () => MaybePromise<R>, fail: (e: unknown) => MaybePromise<R>): MaybePromise<R> {
  let r: MaybePromise<R>;
  try {
    r = f();
  } catch (e) {
    return fail(e);
  }
  return r instanceof Promise ? r.catch(fail) : r;
}
