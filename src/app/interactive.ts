/**
 * Era-neutral interactive calls (elicit, sample, listRoots) for handlers.
 *
 * Legacy era: a real request to the client on the live connection.
 * Modern era: the first unanswered call stops the handler with an
 * `input_required` result; the client answers and retries, and the handler is
 * run again from the start. Calls are numbered in order, so on the re-run the
 * answered ones return their answers at once. Earlier answers travel in a
 * signed `requestState` (see request-state.ts), never trusted from the client.
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

export class Interaction {
  private counter = 0;
  /** The first unanswered request, kept even if the handler swallows the signal. */
  pending: InputRequiredSignal | undefined;
  constructor(
    private readonly req: RequestContext<any>,
    private readonly answers: Record<string, unknown>,
  ) {}

  ask(method: InputRequest["method"], params: Params): Promise<any> {
    const req = this.req;
    if (req.era === "legacy") return req.request(method, params);
    const need = requiredClientCapability(method, params);
    if (need && !req.hasClientCapability(need)) {
      return Promise.reject(
        new McpError(ErrorCode.MissingRequiredClientCapability, `This request needs the client capability ${need}`, { requiredCapabilities: capabilityObject(need) }),
      );
    }
    const key = `r${this.counter++}`;
    if (key in this.answers) return Promise.resolve(this.answers[key]);
    const signal = new InputRequiredSignal(key, { method, params });
    this.pending ??= signal;
    return Promise.reject(signal);
  }
}

export interface RoundInput {
  method: string;
  target: string;
  args: unknown;
}

/**
 * Prepare the answers for this run (modern: verify requestState, accept
 * inputResponses only for the keys we asked last round), run `fn`, and turn an
 * InputRequiredSignal into an `input_required` result.
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
  let answers: Record<string, unknown> = {};
  let binding: string | undefined;
  if (params.requestState !== undefined) {
    binding = await bindingOf(round.method, round.target, round.args);
    const state = await sealer.open(params.requestState, binding, principal);
    answers = { ...state.answers };
    const given = (params.inputResponses ?? {}) as Record<string, unknown>;
    for (const k of state.q ?? []) if (k in given) answers[k] = given[k];
  }
  const interaction = new Interaction(req, answers);
  let signal: InputRequiredSignal | undefined;
  try {
    const r = await fn(interaction);
    signal = interaction.pending;
    if (!signal) return r;
  } catch (e) {
    signal = interaction.pending;
    if (!signal) throw e;
  }
  {
    const e = signal;
    binding ??= await bindingOf(round.method, round.target, round.args);
    const requestState = await sealer.seal({ answers, q: [e.key], b: binding, p: principal, exp: Date.now() + sealer.ttlMs });
    return { resultType: "input_required", inputRequests: { [e.key]: e.request }, requestState };
  }
}
