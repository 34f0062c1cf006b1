// Bare no-SDK server over stdio (newline-delimited JSON-RPC). Contract: bench/run.mjs.
import { importOnly, serverArgs } from '../lib/server-common.mjs';
import { serveBareStdio } from '../lib/bare.mjs';

if (!importOnly) serveBareStdio(serverArgs());
