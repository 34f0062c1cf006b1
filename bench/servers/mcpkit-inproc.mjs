// In-process face of mcpkit (contract: bench/run.mjs): setup(extraTools, era)
// → { request(msg) → Promise<reply>, close() }, or null when the era is not served.
// `extraTools` padding tools named add_1 … add_N are registered after `add`,
// all with the `add` behaviour; `msg` is a plain JSON-RPC request object.
//
// ---------------------------------------------------------------------------
// MCPKIT: replace with the mcpkit server once the API lands
// ---------------------------------------------------------------------------
// Until then this placeholder runs the bare no-SDK logic (rows are PENDING).
// Import mcpkit from the compiled package under ../../dist (npm run build) and
// drive its in-process dispatch (or an in-memory transport) with raw messages.
import { setup as bareSetup } from './bare-inproc.mjs';

export const PENDING = true; // MCPKIT: delete once this file drives mcpkit

export async function setup(extraTools, era) {
  return bareSetup(extraTools, era);
}
