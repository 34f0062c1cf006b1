// Server processes as the OS sees them: spawn, CPU time, RSS, and the
// SIGUSR2 heap side channel (see lib/server-common.mjs).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const CLK_TCK = 100;

/**
 * CPU time (ns) consumed so far by every thread of `pid`, from
 * /proc/<pid>/task/<tid>/schedstat (ns resolution); falls back to
 * utime+stime in /proc/<pid>/stat (clock ticks).
 */
export function cpuNs(pid) {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    if (total > 0) return total;
  } catch {
    /* fall through */
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) / CLK_TCK) * 1e9;
}

/** User-mode CPU time (ns) of every thread of `pid`: utime in /proc/<pid>/stat (clock ticks). */
export function userNs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) / CLK_TCK) * 1e9;
}

/** { rss, hwm } in bytes from /proc/<pid>/status (VmRSS, VmHWM = peak RSS). */
export function rssOf(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [])[1] || 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * Spawns a server file: `node --expose-gc <file> --era <era> [--port 0]`.
 * Returns a handle; stdout is left to the caller (stdio transport), stderr is
 * scanned for MCPBENCH_MEM lines and kept (tail) for error messages.
 */
export function spawnServer(file, { era, http, env }) {
  const args = ['--expose-gc', file, '--era', era];
  if (http) args.push('--port', '0');
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const memWaiters = [];
  let errTail = '';
  let errBuf = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    errBuf += d;
    let nl;
    while ((nl = errBuf.indexOf('\n')) !== -1) {
      const line = errBuf.slice(0, nl);
      errBuf = errBuf.slice(nl + 1);
      if (line.startsWith('MCPBENCH_MEM ')) {
        const w = memWaiters.shift();
        if (w) w(JSON.parse(line.slice(13)));
      } else {
        errTail = (errTail + line + '\n').slice(-2000);
      }
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  child.stdin.on('error', () => {}); // EPIPE when the server dies; surfaced via `exited`
  const handle = {
    child,
    pid: child.pid,
    t0,
    exited,
    stderrTail: () => errTail,
    /** Forced GC + heap report through SIGUSR2; resolves { heapUsed, heapTotal, rss, peakHeapUsed, hwm }. */
    mem(timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no MCPBENCH_MEM reply from ${file}`)), timeoutMs);
        memWaiters.push((m) => {
          clearTimeout(timer);
          resolve({ ...m, hwm: rssOf(child.pid).hwm });
        });
        child.kill('SIGUSR2');
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
    },
  };
  return handle;
}

/** Resolves with the port from the server's `READY <port>` line. */
export function waitReady(handle, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error('timed out waiting for READY')), timeoutMs);
    const onData = (d) => {
      buf += d;
      const m = buf.match(/^READY (\d+)\s*$/m);
      if (m) done(null, Number(m[1]));
    };
    const onExit = () => done(new Error(`server exited before READY:\n${handle.stderrTail()}`));
    function done(e, port) {
      clearTimeout(timer);
      handle.child.stdout.off('data', onData);
      handle.child.off('exit', onExit);
      handle.child.stdout.resume(); // keep draining whatever else the server prints
      if (e) reject(e);
      else resolve(port);
    }
    handle.child.stdout.setEncoding('utf8');
    handle.child.stdout.on('data', onData);
    handle.child.on('exit', onExit);
  });
}

/** Time (ms) to import a server file's module graph without serving (MCPBENCH_IMPORT_ONLY=1), in a fresh process. */
export function importTimeMs(file) {
  const code =
    `const t0 = performance.now(); await import(${JSON.stringify(file)});` +
    `process.stdout.write(String(performance.now() - t0));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, MCPBENCH_IMPORT_ONLY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`import of ${file} failed:\n${err}`))));
  });
}
