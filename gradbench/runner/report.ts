/** The table `pnpm gradbench` prints: per eval, validation and derivative ÷ primal for each tool. */
import type { SessionSummary } from './summary.ts';

export interface ToolRun {
  summary: SessionSummary;
  error?: string;
  wallSeconds: number;
}

export interface EvalResult {
  evalName: string;
  args: string[];
  /** 1-minute load average when the eval started */
  load: number;
  runs: Partial<Record<'adjoint' | 'manual', ToolRun>>;
  notes: string[];
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const time = (ns: number) => (ns >= 1e9 ? `${(ns / 1e9).toFixed(2)} s` : `${(ns / 1e6).toPrecision(3)} ms`);

function range(values: number[]): string {
  if (values.length === 0) return '—';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi || fmt(lo) === fmt(hi) ? `${fmt(lo)}×` : `${fmt(lo)}–${fmt(hi)}×`;
}

function validation(run: ToolRun | undefined): string {
  if (!run) return '—';
  const s = run.summary;
  const total = s.evaluations.length;
  if (!s.defined) return `not defined${run.error ? ` (${run.error})` : ''}`;
  const text = `${s.validated}/${total}`;
  return s.problems.length === 0 && !run.error ? `${text} ✓` : `${text} ✗${run.error ? ` (${run.error})` : ''}`;
}

/**
 * The derivative ÷ primal column: the range over the workloads of the fastest runs' ratio, then of
 * the medians' ratio (the measure issue 17's targets use); for particle and saddle (no primal),
 * each variant's fastest run.
 */
function cost(run: ToolRun | undefined): string {
  if (!run) return '—';
  const s = run.summary;
  if (s.ratios.length > 0) return `${range(s.ratios.map((r) => r.ratio))} (medians ${range(s.ratios.map((r) => r.medianRatio))})`;
  const byFunction = s.evaluations.filter((e) => e.minNs !== undefined).map((e) => `${e.function} ${time(e.minNs!)}`);
  return byFunction.length ? byFunction.join(', ') : '—';
}

export function renderTable(results: EvalResult[]): string {
  const lines = [
    '| eval | validated (Adjoint) | Adjoint derivative ÷ primal | validated (manual) | manual C++ derivative ÷ primal | load |',
    '|---|---|--:|---|--:|--:|',
  ];
  for (const r of results) {
    const workloads = r.runs.adjoint?.summary.ratios.length;
    const name = workloads ? `${r.evalName} (${workloads} workload${workloads > 1 ? 's' : ''})` : r.evalName;
    lines.push(`| ${name} | ${validation(r.runs.adjoint)} | ${cost(r.runs.adjoint)} | ${validation(r.runs.manual)} | ${cost(r.runs.manual)} | ${r.load.toFixed(2)} |`);
  }
  return lines.join('\n');
}

/**
 * Every workload: the primal's and the derivative's fastest run (and how many runs there were: with
 * few, even the fastest may not be warmed up) and their ratio, with the ratio of the medians, for
 * each tool.
 */
export function renderDetails(results: EvalResult[]): string {
  const lines = [
    '| eval | workload | function | Adjoint primal (runs) | Adjoint derivative (runs) | ratio (of medians) | manual primal (runs) | manual derivative (runs) | ratio (of medians) |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const adjoint = r.runs.adjoint?.summary;
    const manual = r.runs.manual?.summary;
    if (!adjoint) continue;
    if (adjoint.ratios.length === 0) {
      for (const e of adjoint.evaluations) lines.push(`| ${r.evalName} | ${e.workload} | ${e.function} |  | ${e.minNs === undefined ? '—' : `${time(e.minNs)} (${e.runs})`} |  |  |  |  |`);
      continue;
    }
    for (const a of adjoint.ratios) {
      const m = manual?.ratios.find((x) => x.workload === a.workload && x.function === a.function);
      lines.push(
        `| ${r.evalName} | ${a.workload} | ${a.function} | ${time(a.primalNs)} (${a.primalRuns}) | ${time(a.derivativeNs)} (${a.derivativeRuns}) | ${fmt(a.ratio)}× (${fmt(a.medianRatio)}×) | ${m ? `${time(m.primalNs)} (${m.primalRuns})` : '—'} | ${m ? `${time(m.derivativeNs)} (${m.derivativeRuns})` : '—'} | ${m ? `${fmt(m.ratio)}× (${fmt(m.medianRatio)}×)` : '—'} |`,
      );
    }
  }
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.evalName}: ${n}`));
  const problems = results.flatMap((r) =>
    Object.entries(r.runs).flatMap(([tool, run]) =>
      run!.summary.problems.map((p) => `- ${r.evalName} with ${tool}: ${p.function} ${p.workload}: ${p.success ? (p.valid === false ? 'invalid' : 'not analysed') : 'failed'}${p.error ? `: ${p.error.split('\n')[0]}` : ''}`),
    ),
  );
  return [lines.join('\n'), ...(notes.length ? ['', ...notes] : []), ...(problems.length ? ['', 'Problems:', ...problems] : [])].join('\n');
}
