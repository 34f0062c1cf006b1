/**
 * Era-neutral interactive calls (elicit, sample, listRoots) for handlers.
 *
 * Legacy era: a real request to the client on the live connection.
 * Modern era: an unanswered call stops the handler with an `input_required`
 * result; the client answers and retries, and the handler is run again from
 * the start. Calls are keyed `r0`, `r1`, … in order (or by the key the handler
 * gives), so on the re-run the answered ones return their answers at once.
 * Calls made together (`Promise.all`) are asked together, in one round.
 * Earlier answers travel in a signed `requestState` (see request-state.ts).
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { Params } from "../protocol/jsonrpc.js";
import { capabilityObject, requiredClientCapability } from "../protocol/methods.js";
import type { InputRequest } from "../protocol/types.js";
import type { RequestContext } from "../server/context.js";
import { bindingOf, type RequestStateSealer } from "./request-state.js";

/** Thrown (and caught by the runner) when a modern handler needs an answer it does not have yet. */
export class InputRequiredSignal {
  constructor(
    readonly key: string,
    readonly request: InputRequest,
  ) {}
}

/** Options of one interactive call. */
export interface InputOptions {
  /**
   * Its key in a 2026-07-28 `input_required` result (default: `r0`, `r1`, … in
   * call order). Name it when a client expects a fixed key; keep keys unique
   * within one handler. Ignored in the legacy era.
   */
  key?: string;
}

export class Interaction {
  private counter = 0;
  /** The unanswered requests of this run, kept even if the handler swallows the signals. */
  readonly pending: InputRequiredSignal[] = [];
  /** Keys whose answers this run used (they travel on in requestState). */
  readonly used = new Set<string>();
  constructor(
    private readonly req: RequestContext<any>,
    private readonly answers: Record<string, unknown>,
  ) {}

  ask(method: InputRequest["method"], params: Params, opts: InputOptions = {}): Promise<any> {
    const req = this.req;
    if (req.era === "legacy") return req.request(method, params);
    const need = requiredClientCapability(method, params);
    if (need && !req.hasClientCapability(need)) {
      return Promise.reject(
        new McpError(ErrorCode.MissingRequiredClientCapability, `This request needs the client capability ${need}`, { requiredCapabilities: capabilityObject(need) }),
      );
    }
    const key = opts.key ?? `r${this.counter++}`;
    if (Object.hasOwn(this.answers, key)) {
      const answer = this.answers[key];
      const problem = answerProblem(method, answer);
      if (problem) return Promise.reject(new McpError(ErrorCode.InvalidParams, `inputResponses.${key} ${problem}`));
      this.used.add(key);
      return Promise.resolve(answer);
    }
    const signal = new InputRequiredSignal(key, { method, params });
    if (!this.pending.some((p) => p.key === key)) this.pending.push(signal);
    return Promise.reject(signal);
  }
}

/** A quick shape check of a client's answer (null when it will do). */
function answerProblem(method: string, v: unknown): string | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "must be an object";
  const a = v as Record<string, unknown>;
  switch (method) {
    case "elicitation/create":
      return a.action === "accept" || a.action === "decline" || a.action === "cancel" ? null : 'must have action "accept", "decline" or "cancel"';
    case "sampling/createMessage":
      return typeof a.role === "string" && typeof a.content === "object" && a.content !== null ? null : "must have role and content";
    case "roots/list":
      return Array.isArray(a.roots) ? null : "must have a roots array";
    default:
      return null;
  }
}

export interface RoundInput {
  method: string;
  target: string;
  args: unknown;
}

/**
 * Prepare the answers for this run (modern: verify requestState, then accept
 * inputResponses only for the keys asked last round; with no requestState
 * yet, any given ones), run `fn`, and turn the unanswered calls into an
 * `input_required` result.
 */
export async function runInteractive<R extends Params>(
  req: RequestContext<any>,
  sealer: RequestStateSealer,
  round: RoundInput,
  fn: (interaction: Interaction) => Promise<R>,
): Promise<R | Params> {
  if (req.era === "legacy") return fn(new Interaction(req, {}));
  const principal = req.authInfo?.subject ?? req.authInfo?.clientId;
  const params = req.params ?? {};
  const given = (params.inputResponses ?? {}) as Record<string, unknown>;
  let answers: Record<string, unknown> = {};
  let earlier: Record<string, unknown> = {};
  let binding: string | undefined;
  if (params.requestState !== undefined) {
    binding = await bindingOf(round.method, round.target, round.args);
    const state = await sealer.open(params.requestState, binding, principal);
    earlier = state.answers;
    answers = { ...earlier };
    for (const k of state.q ?? []) if (Object.hasOwn(given, k)) answers[k] = given[k];
  } else {
    // First round: nothing asked yet, so nothing to override; the answers are
    // the client's word either way, and unknown keys are never looked at.
    answers = { ...given };
  }
  const interaction = new Interaction(req, answers);
  try {
    const r = await fn(interaction);
    if (interaction.pending.length === 0) return r;
  } catch (e) {
    if (interaction.pending.length === 0) throw e;
  }
  // Sibling calls started together (Promise.all) may reach their ask a few
  // microtasks after the first rejection ended the handler: let them land.
  await new Promise((r) => setTimeout(r, 0));
  const asked = interaction.pending;
  binding ??= await bindingOf(round.method, round.target, round.args);
  // Earlier rounds' answers, and this round's that the handler used: a stray key never travels on.
  const kept: Record<string, unknown> = { ...earlier };
  for (const k of interaction.used) kept[k] = answers[k];
  const requestState = await sealer.seal({ answers: kept, q: asked.map((s) => s.key), b: binding, p: principal, exp: Date.now() + sealer.ttlMs });
  return { resultType: "input_required", inputRequests: Object.fromEntries(asked.map((s) => [s.key, s.request])), requestState };
}
