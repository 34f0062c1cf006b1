// Markdown report: one table per figure, rows = implementations, each cell the
// median over repetitions and its ratio to the bare server of the same
// transport and era (×bare) and to official SDK v1 (×v1).
import { median } from './stats.mjs';

export const SCENARIOS = [
  ['stdio', 'legacy'],
  ['stdio', 'modern'],
  ['http', 'legacy'],
  ['http', 'modern'],
];
export const scenarioKey = (t, e) => `${t}-${e}`;

const METRICS = [
  ['cpuUs', 'Server CPU time per call under load', 'µs of server-process CPU (all threads, /proc/<pid>/task/*/schedstat) per call, 64 in flight; lower is better'],
  ['userUs', 'Server user-mode CPU per call under load', 'µs of user-mode CPU only (utime in /proc/<pid>/stat, 10 ms ticks): the JS/V8 work without kernel and VM syscall costs; lower is better'],
  ['rps', 'Throughput', 'calls/s with 64 in flight; higher is better'],
  ['p50Us', 'Latency p50, one in flight', 'µs round trip, client side; lower is better'],
  ['p99Us', 'Latency p99, one in flight', 'µs round trip, client side; lower is better'],
  ['coldMs', 'Cold start', 'ms from spawn to the first tools/call answer (legacy: after initialize); lower is better'],
  ['idleRssMB', 'Idle RSS', 'MB VmRSS after the first call and a forced GC'],
  ['idleHeapMB', 'Idle heap', 'MB heapUsed after the first call and a forced GC'],
  ['peakRssMB', 'Peak RSS', 'MB VmHWM after warm-up, load and latency runs'],
  ['peakHeapMB', 'Peak heap', 'MB max heapUsed, sampled every 20 ms in the server'],
];

export function fmt(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

const ratio = (v, base) => (v !== undefined && base !== undefined && base > 0 ? `${(v / base).toFixed(2)}×` : undefined);

/** "value (r× bare, r× v1)" with the ratios that apply to this row. */
function cell(v, bare, v1, implId) {
  if (v === undefined) return '–';
  const parts = [];
  const rb = implId !== 'bare' ? ratio(v, bare) : undefined;
  const rv = implId !== 'sdk1' ? ratio(v, v1) : undefined;
  if (rb) parts.push(`${rb} bare`);
  if (rv) parts.push(`${rv} v1`);
  return parts.length ? `${fmt(v)} (${parts.join(', ')})` : fmt(v);
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/**
 * ctx: { impls: [{ id, label, pending, eras }], results, errors, meta }
 * results[implId][key][metric] = samples; key = scenario key | 'import' | 'inproc-<era>'.
 */
export function renderReport(ctx) {
  const { impls, results, errorCells, meta } = ctx;
  const med = (impl, key, metric) => median(results[impl]?.[key]?.[metric] ?? []);
  const label = (impl) => (impl.pending ? `${impl.label} **(PENDING: placeholder runs the bare logic)**` : impl.label);
  const supports = (impl, era) => impl.eras.includes(era);
  const out = [];
  out.push(
    `Node ${meta.node} · ${meta.cpus} × ${meta.cpuModel} · ${meta.date} · medians of ${meta.reps} repetition(s), each rotating load/latency windows through the live servers ${meta.rounds}× (heap per session and in-process: first ${meta.slowReps} repetition(s))`,
  );
  out.push(`Command: \`${meta.command}\` · ${meta.versions} · ${meta.load}`);
  out.push('Cells: median value (ratio to the bare no-SDK server of the same transport and era, ratio to official SDK v1). n/a = the implementation has no such era.');

  const valueOrNa = (impl, key, era, metric) => {
    if (!supports(impl, era)) return { text: 'n/a' };
    if (errorCells.has(`${impl.id}/${key}`)) return { text: 'ERR' };
    return { v: med(impl.id, key, metric) };
  };

  for (const [metric, title, unit] of METRICS) {
    const header = ['impl', ...SCENARIOS.map(([t, e]) => `${t} ${e}`)];
    const rows = impls.map((impl) => [
      label(impl),
      ...SCENARIOS.map(([t, e]) => {
        const key = scenarioKey(t, e);
        const x = valueOrNa(impl, key, e, metric);
        if (x.text) return x.text;
        return cell(x.v, med('bare', key, metric), med('sdk1', key, metric), impl.id);
      }),
    ]);
    out.push(`\n### ${title}\n_${unit}_\n\n${table(header, rows)}`);
  }

  {
    const key = scenarioKey('http', 'legacy');
    const rows = impls.map((impl) => {
      const x = valueOrNa(impl, key, 'legacy', 'sessionKB');
      return [label(impl), x.text ?? cell(x.v, med('bare', key, 'sessionKB'), med('sdk1', key, 'sessionKB'), impl.id)];
    });
    out.push(`\n### Heap per open legacy session\n_KB heapUsed per session (${meta.sessions} sessions opened over HTTP, forced GC before and after)_\n\n${table(['impl', 'http legacy'], rows)}`);
  }

  {
    const rows = impls.map((impl) => [
      label(impl),
      ...['stdio', 'http'].map((t) =>
        errorCells.has(`${impl.id}/import`) ? 'ERR' : cell(med(impl.id, 'import', t), med('bare', 'import', t), med('sdk1', 'import', t), impl.id),
      ),
    ]);
    out.push(`\n### Import time\n_ms to import the server file's module graph in a fresh process (MCPBENCH_IMPORT_ONLY=1)_\n\n${table(['impl', 'stdio server', 'http server'], rows)}`);
  }

  for (const era of ['legacy', 'modern']) {
    const key = `inproc-${era}`;
    const cols = [];
    for (const op of ['call', 'list']) for (const n of meta.inprocSizes) cols.push([`${op}@${n}`, `${op}${n}`]);
    const rows = impls.map((impl) => [
      label(impl),
      ...cols.map(([, m]) => {
        if (!supports(impl, era)) return 'n/a';
        if (errorCells.has(`${impl.id}/${key}`)) return 'ERR';
        return cell(med(impl.id, key, m), med('bare', key, m), med('sdk1', key, m), impl.id);
      }),
    ]);
    const how =
      era === 'legacy'
        ? 'after initialize, over each SDK\'s InMemoryTransport (bare: direct call)'
        : 'v2: serveStdio over its InMemoryTransport, one pinned instance (bare: direct call)';
    out.push(
      `\n### In-process cost, ${era} era\n_µs of CPU (whole process) per tools/call (of the last-registered tool) and per tools/list with 1, 100, 1,000 registered tools, one in flight, after a ${meta.inprocWarmupMs} ms JIT warm-up, median of ${meta.inprocRounds} rotating windows; ${how}_\n\n${table(['impl', ...cols.map(([h]) => h)], rows)}`,
    );
  }

  {
    const rows = impls.map((impl) => [
      label(impl),
      ...SCENARIOS.map(([t, e]) => {
        const key = scenarioKey(t, e);
        const x = valueOrNa(impl, key, e, 'clientCpuUs');
        return x.text ?? fmt(x.v);
      }),
    ]);
    out.push(`\n### Load generator CPU per call (sanity check)\n_µs of the harness's own CPU per call during the load runs; compare with the server CPU table_\n\n${table(['impl', ...SCENARIOS.map(([t, e]) => `${t} ${e}`)], rows)}`);
  }
  return out.join('\n');
}
