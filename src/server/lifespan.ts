/** Start and stop a `Lifespan`: a plain function's value, or a generator's first yield and its cleanup. */
import type { Lifespan } from "./types.js";

export class LifespanRunner<L> {
  private started: Promise<L> | undefined;
  private gen: AsyncGenerator<L, void, unknown> | undefined;
  value: L | undefined;

  constructor(private readonly fn: Lifespan<L> | undefined) {}

  start(owner: unknown): Promise<L> {
    this.started ??= (async () => {
      if (!this.fn) return undefined as L;
      const out = this.fn(owner);
      if (out && typeof (out as any).next === "function" && typeof (out as any)[Symbol.asyncIterator] === "function") {
        this.gen = out as AsyncGenerator<L, void, unknown>;
        const first = await this.gen.next();
        if (first.done) throw new Error("lifespan generator finished without yielding a value");
        this.value = first.value;
      } else this.value = await (out as Promise<L> | L);
      return this.value as L;
    })();
    return this.started;
  }

  get isStarted(): boolean {
    return this.started !== undefined;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    try {
      await this.started;
    } catch {
      return;
    }
    const g = this.gen;
    this.gen = undefined;
    this.started = undefined;
    if (g) await g.return(undefined);
  }
}
