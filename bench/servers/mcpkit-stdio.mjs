// mcpkit server over stdio. Contract: see the top of bench/run.mjs
// (standalone process, `--era legacy|modern`, prints nothing, exits when stdin ends;
// import '../lib/server-common.mjs' first and honour `importOnly`).
//
// ---------------------------------------------------------------------------
// MCPKIT: replace with the mcpkit server once the API lands
// ---------------------------------------------------------------------------
// Until then this placeholder serves the bare no-SDK logic, so the "mcpkit"
// rows in the report are PENDING (they just repeat the bare server).
// When filling it in: import mcpkit from the compiled package
// (e.g. `import { … } from '../../dist/index.js'`, built by `npm run build`),
// register the `add` tool ({ a: number, b: number } → text content with the sum)
// and serve both eras on stdin/stdout. Remove the PENDING marker below.
import { importOnly, serverArgs } from '../lib/server-common.mjs';
import { serveBareStdio } from '../lib/bare.mjs';

export const PENDING = true; // MCPKIT: delete once this file serves mcpkit

if (!importOnly) serveBareStdio(serverArgs());
