// Bare no-SDK server over Streamable HTTP (node:http). Contract: bench/run.mjs.
import { importOnly, serverArgs, announceReady } from '../lib/server-common.mjs';
import { serveBareHttp } from '../lib/bare.mjs';

if (!importOnly) serveBareHttp({ ...serverArgs(), onListen: announceReady });
