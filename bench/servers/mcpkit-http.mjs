// mcpkit server over Streamable HTTP. Contract: see the top of bench/run.mjs
// (standalone process, `--era legacy|modern --port N`, prints `READY <port>` on
// stdout once listening on 127.0.0.1, serves POST /mcp; legacy era = sessions
// keyed by Mcp-Session-Id; import '../lib/server-common.mjs' first and honour `importOnly`).
//
// ---------------------------------------------------------------------------
// MCPKIT: replace with the mcpkit server once the API lands
// ---------------------------------------------------------------------------
// Until then this placeholder serves the bare no-SDK logic, so the "mcpkit"
// rows in the report are PENDING (they just repeat the bare server).
// When filling it in: import mcpkit from the compiled package
// (e.g. `import { … } from '../../dist/index.js'`, built by `npm run build`),
// register the `add` tool and serve both eras on http://127.0.0.1:<port>/mcp;
// `../lib/node-web.mjs` has a tiny node:http ⇄ fetch Request/Response bridge if
// mcpkit exposes a fetch-style handler. Remove the PENDING marker below.
import { importOnly, serverArgs, announceReady } from '../lib/server-common.mjs';
import { serveBareHttp } from '../lib/bare.mjs';

export const PENDING = true; // MCPKIT: delete once this file serves mcpkit

if (!importOnly) serveBareHttp({ ...serverArgs(), onListen: announceReady });
