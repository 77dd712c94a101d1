/** The report: markdown tables, the targets of issue 7 met or missed, and an SVG bar chart. */
import type { Machine } from './machine.ts';
import { TOOL_LABELS, type ToolName, type WorkloadResult } from './types.ts';

export interface CompileResult {
  file: string;
  /** Generation time (read, compile, format, write), in a warm process. */
  ms: number;
  companionBytes: number;
  sourceLines: number;
  /** The same compile with prettier off (circuits only). */
  rawMs?: number;
  error?: string;
  timedOutAfterS?: number;
}

export interface Target {
  target: string;
  measured: string;
  met: boolean | undefined;
}

export interface BenchResults {
  machine: Machine;
  mode: 'full' | 'quick';
  wallSeconds: number;
  compile: CompileResult[];
  workloads: WorkloadResult[];
  failures: Array<{ id: string; reason: string }>;
  skippedWorkloads: Array<{ id: string; reason: string }>;
  targets: Target[];
}

const GRADIENT_TOOLS: ToolName[] = ['adjoint', 'adjoint-inlined', 'adjoint-checkpointed', 'hand', 'tfjs', 'jax', 'fd'];

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${ms.toPrecision(3)} ms`;
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '–';
  return r >= 1000 ? `${Math.round(r).toLocaleString('en')}×` : `${r.toPrecision(3)}×`;
}

function cell(w: WorkloadResult, tool: ToolName): string {
  const t = w.times[tool];
  if (t) return `${t.estimated ? '~' : ''}${formatMs(t.medianMs)}${t.singleCall ? '¹' : ''} (${formatRatio(w.ratios[tool]!)})`;
  if (w.failed.some((f) => f.name === tool)) return '**wrong**';
  return '';
}

export function renderTables(b: BenchResults): string {
  const out: string[] = [];
  const m = b.machine;
  out.push(`Measured ${m.date} on ${m.cpu} (${m.nproc} CPUs, ${m.memoryGiB} GiB), Node ${m.node}, ${m.os}, commit ${m.commit}; \`pnpm bench${b.mode === 'quick' ? ' --quick' : ''}\` took ${Math.round(b.wallSeconds / 6) / 10} min; load average ${m.loadAverage.start} at the start, ${m.loadAverage.end ?? '?'} at the end (other processes shared the CPUs).`);
  out.push('');
  out.push('Median time of one call, and in parentheses its ratio to the median time of f (gradient time / f time). Every gradient was checked before it was timed. `~` marks finite differences estimated as 2N × f (too slow to run); ¹ marks a tool timed by one call only (the checked call; repeating it would take minutes); an empty cell means the tool was not run on that workload (reasons below).');
  out.push('');
  const tools = GRADIENT_TOOLS.filter((t) => b.workloads.some((w) => w.times[t] || w.failed.some((f) => f.name === t)));
  out.push(`| workload | inputs | f | ${tools.map((t) => TOOL_LABELS[t]).join(' | ')} | Adjoint vs TF.js |`);
  out.push(`|---|--:|--:|${tools.map(() => '--:|').join('')}--:|`);
  for (const w of b.workloads) {
    const speedup = w.times.tfjs && w.times.adjoint ? `${formatRatio(w.times.tfjs.medianMs / w.times.adjoint.medianMs)} faster` : '';
    const slower = w.times.tfjs && w.times.adjoint && w.times.tfjs.medianMs < w.times.adjoint.medianMs ? `${formatRatio(w.times.adjoint.medianMs / w.times.tfjs.medianMs)} slower` : speedup;
    out.push(`| ${w.title} | ${w.inputs.toLocaleString('en')} | ${formatMs(w.times.f?.medianMs ?? NaN)} | ${tools.map((t) => cell(w, t)).join(' | ')} | ${slower} |`);
  }
  for (const f of b.failures) out.push(`| ${f.id} | | | ${tools.map(() => '').join(' | ')} | failed: ${f.reason.replace(/\|/g, '\\|')} |`);
  out.push('');
  const reasons = new Map<string, string[]>();
  for (const w of b.workloads) {
    for (const s of w.skipped) {
      const key = `${TOOL_LABELS[s.name]}: ${s.reason}`;
      reasons.set(key, [...(reasons.get(key) ?? []), w.id]);
    }
  }
  for (const s of b.skippedWorkloads) out.push(`- Not run: ${s.id} (${s.reason}).`);
  for (const [reason, ids] of reasons) out.push(`- Not run on ${ids.join(', ')}: ${reason}.`);
  const notes = new Set(b.workloads.flatMap((w) => w.notes));
  for (const note of notes) out.push(`- ${note}.`);
  const failedChecks = b.workloads.flatMap((w) => [
    ...w.checks.filter((c) => !c.ok).map((c) => `${w.id}: ${c.tool} vs ${c.against}: max error ${c.maxError.toExponential(1)} > ${c.tolerance}`),
    ...w.extraChecks.filter((c) => !c.ok).map((c) => `${w.id}: ${c.label}: ${c.detail}`),
  ]);
  for (const f of failedChecks) out.push(`- **Check failed**: ${f}`);
  out.push('');

  // Compile time.
  if (b.compile.length > 0) {
    out.push('Companion generation (the `adjoint` command\'s own read–compile–format–write, in a warm process):');
    out.push('');
    out.push('| source | lines | companion | time | without prettier |');
    out.push('|---|--:|--:|--:|--:|');
    for (const c of b.compile) {
      const time = c.timedOutAfterS ? `timed out (> ${c.timedOutAfterS} s)` : c.error ? `failed: ${c.error.split('\n')[0]!.replace(/\|/g, '\\|')}` : formatMs(c.ms);
      out.push(`| ${c.file.replace(/^test\/bench\//, '')} | ${c.sourceLines.toLocaleString('en')} | ${c.companionBytes ? `${Math.round(c.companionBytes / 1024).toLocaleString('en')} KB` : ''} | ${time} | ${c.rawMs !== undefined ? formatMs(c.rawMs) : ''} |`);
    }
    out.push('');
  }

  // Loop tape and mathjs.
  const loop = b.workloads.find((w) => w.id === 'loop/1e6');
  const tape = loop?.extra.tape as Record<string, number> | undefined;
  if (tape?.bytesPerStep !== undefined) {
    out.push(`10⁶-step loop: the tape peaks at ${tape.peakNumbers!.toLocaleString('en')} numbers, ${tape.bytesPerStep!.toFixed(1)} bytes a step (its buffer, doubling when full, reaches ${(tape.bufferBytes! / 2 ** 20).toFixed(0)} MiB); the reverse sweep must read at least ${tape.minimumBytesPerStep} bytes a step (x and v), which is what the hand-written gradient keeps.`);
    out.push('');
    const checkpointed = loop!.extra.checkpointedTape as Record<string, number> | undefined;
    if (checkpointed?.peakBytes !== undefined) {
      const time = loop!.times['adjoint-checkpointed'] && loop!.times.adjoint ? `, in ${formatRatio(loop!.times['adjoint-checkpointed'].medianMs / loop!.times.adjoint.medianMs)} the time of the taped gradient` : '';
      out.push(
        `The same loop checkpointed (\`// @checkpoint\`, at most 3 repetitions of each step): ${checkpointed.slots} stored states of ${checkpointed.width} numbers (${checkpointed.stateBytes!.toLocaleString('en')} bytes) and a tape of at most ${checkpointed.peakNumbers} numbers, ${checkpointed.peakBytes!.toLocaleString('en')} bytes in all, ${formatRatio(tape.peakNumbers! * 8 / checkpointed.peakBytes!)} less than the taped gradient${time}; the schedule ran ${checkpointed.advanced!.toLocaleString('en')} steps again (${(checkpointed.advanced! / tape.steps!).toFixed(2)} a step), besides the one untaped pass that counts the steps.`,
      );
      out.push('');
    }
  }
  const c1k = b.workloads.find((w) => w.id === 'circuit/1k');
  const c10k = b.workloads.find((w) => w.id === 'circuit/10k');
  const mathjs = c1k?.extra.mathjs as { rows?: Array<Record<string, number>>; check?: string; skipped?: string } | undefined;
  if (mathjs?.rows) {
    out.push('mathjs `derivative` (symbolic, `simplify: false`) of ∂/∂x0 on circuits of the same kind, built with shared subexpressions; it differentiates them as trees:');
    out.push('');
    out.push('| operations | expression nodes (as a tree) | derivative nodes | time |');
    out.push('|--:|--:|--:|--:|');
    for (const r of mathjs.rows) out.push(`| ${r.ops} | ${r.expressionNodes!.toLocaleString('en')} | ${r.derivativeNodes!.toLocaleString('en')} | ${formatMs(r.ms!)} |`);
    const sizes = [c1k, c10k].filter(Boolean).map((w) => `${w!.title}: ${Number(w!.extra.expressionTreeSize).toExponential(1)} nodes`);
    out.push('');
    out.push(`Written out as one expression tree, the benchmark circuits have ${sizes.join('; ')}: a symbolic gradient of them cannot be formed. (${mathjs.check}.)`);
    out.push('');
  }

  // Targets.
  out.push('Targets of issue 7, and (rows marked 17) of issue 17, which replaces 7\'s "20× faster than TF.js" with "ahead of jax-js and TF.js":');
  out.push('');
  out.push('| target | measured | met |');
  out.push('|---|---|:-:|');
  for (const t of b.targets) out.push(`| ${t.target} | ${t.measured} | ${t.met === undefined ? 'n/a' : t.met ? 'yes' : '**no**'} |`);
  return out.join('\n');
}

export function evaluateTargets(b: BenchResults): Target[] {
  const targets: Target[] = [];
  const byId = new Map(b.workloads.map((w) => [w.id, w]));
  const ratio = (id: string) => byId.get(id)?.ratios.adjoint;
  const mlp = ratio('mlp');
  targets.push({ target: 'grad_f / f ≤ 2.5 on the MLP', measured: mlp ? formatRatio(mlp) : 'not measured', met: mlp ? mlp <= 2.5 : undefined });
  const gmm1025 = ratio('gmm/gmm_d10_K25');
  const inlined1025 = byId.get('gmm/gmm_d10_K25')?.ratios['adjoint-inlined'];
  targets.push({
    target: 'grad_f / f ≤ 2.5 on GMM d=10 K=25',
    measured: gmm1025 ? `${formatRatio(gmm1025)}${inlined1025 ? ` (${formatRatio(inlined1025)} with the helpers inlined)` : ''}` : 'not measured',
    met: gmm1025 ? gmm1025 <= 2.5 : undefined,
  });
  const groups: Array<[string, (w: WorkloadResult) => boolean]> = [
    ['the other GMM files', (w) => w.group === 'gmm' && w.id !== 'gmm/gmm_d10_K25'],
    ['LSTM', (w) => w.group === 'lstm'],
    ['BA', (w) => w.group === 'ba'],
    ['the circuits', (w) => w.group === 'circuit'],
  ];
  for (const [label, pick] of groups) {
    const ws = b.workloads.filter(pick).filter((w) => w.ratios.adjoint !== undefined);
    if (ws.length === 0) continue;
    const met = ws.filter((w) => w.ratios.adjoint! <= 3);
    const span = (values: number[]) => (values.length === 1 ? formatRatio(values[0]!) : `${formatRatio(Math.min(...values))} to ${formatRatio(Math.max(...values))}`);
    const inlined = ws.map((w) => w.ratios['adjoint-inlined']).filter((r): r is number => r !== undefined);
    const range = `${span(ws.map((w) => w.ratios.adjoint!))}${inlined.length ? ` (${span(inlined)} with the helpers inlined)` : ''}${ws.length > 1 ? `; met on ${met.length} of ${ws.length}` : ''}`;
    targets.push({ target: `grad_f / f ≤ 3 on ${label}`, measured: range, met: met.length === ws.length });
  }
  const m = byId.get('mlp');
  if (m?.times.adjoint && m.times.hand) {
    const r = m.times.adjoint.medianMs / m.times.hand.medianMs;
    targets.push({ target: 'generated / hand-written ≤ 1.25 on the MLP', measured: formatRatio(r), met: r <= 1.25 });
  }
  const withTf = b.workloads.filter((w) => w.times.tfjs && w.times.adjoint);
  if (withTf.length) {
    const speedups = withTf.map((w) => [w, w.times.tfjs!.medianMs / w.times.adjoint!.medianMs] as const);
    const met = speedups.filter(([, s]) => s >= 20);
    const worst = speedups.reduce((a, b) => (b[1] < a[1] ? b : a));
    targets.push({
      target: '≥ 20× faster than TF.js',
      measured: `met on ${met.length} of ${speedups.length} workloads; least ${formatRatio(worst[1])} (${worst[0].title})`,
      met: met.length === speedups.length,
    });
  }
  targets.push(...issue17Targets(b));
  const c1 = b.compile.find((c) => c.file.endsWith('circuit1k.ts'));
  const c10 = b.compile.find((c) => c.file.endsWith('circuit10k.ts'));
  if (c10) {
    targets.push({
      target: 'compile time of the 10k circuit < 10 s',
      measured: c10.timedOutAfterS ? `> ${c10.timedOutAfterS} s (timed out)` : c10.error ? 'failed' : `${formatMs(c10.ms)}${c10.rawMs ? ` (${formatMs(c10.rawMs)} without prettier)` : ''}`,
      met: c10.timedOutAfterS || c10.error ? false : c10.ms < 10_000,
    });
  }
  if (c1 && c10 && Number.isFinite(c1.ms) && Number.isFinite(c10.ms)) {
    const r = c10.ms / c1.ms;
    const raw = c1.rawMs && c10.rawMs ? ` (${(c10.rawMs / c1.rawMs).toFixed(1)} without prettier)` : '';
    targets.push({ target: 'compile time 10k / 1k ≤ 12 (linear)', measured: `${r.toFixed(1)}${raw}`, met: r <= 12 });
  }
  const loop = byId.get('loop/1e6');
  const tape = loop?.extra.tape as Record<string, number> | undefined;
  if (tape?.bytesPerStep !== undefined) {
    targets.push({
      target: '10⁶-step loop: tape memory proportional to what the reverse reads',
      measured: `${tape.bytesPerStep.toFixed(1)} B/step, constant; the reverse reads ${tape.minimumBytesPerStep} B/step (${(tape.bytesPerStep / tape.minimumBytesPerStep!).toFixed(2)}×)`,
      met: tape.bytesPerStep <= 2 * tape.minimumBytesPerStep!,
    });
  }
  if (loop?.ratios.adjoint) targets.push({ target: '10⁶-step loop: grad_f ≤ 3× f', measured: formatRatio(loop.ratios.adjoint), met: loop.ratios.adjoint <= 3 });
  return targets;
}

/** The benchmark-suite targets of issue 17. */
function issue17Targets(b: BenchResults): Target[] {
  const targets: Target[] = [];
  const mlps = b.workloads.filter((w) => w.group === 'mlp' && w.times.adjoint && w.times.hand);
  if (mlps.length) {
    const ratios = mlps.map((w) => [w, w.times.adjoint!.medianMs / w.times.hand!.medianMs] as const);
    targets.push({
      target: '(17) generated / hand-written ≤ 1.1 on both MLPs',
      measured: ratios.map(([w, r]) => `${formatRatio(r)} (${w.title})`).join('; '),
      met: ratios.every(([, r]) => r <= 1.1),
    });
  }
  const gmm = b.workloads.filter((w) => w.group === 'gmm' && w.ratios.adjoint !== undefined);
  if (gmm.length) {
    const met = gmm.filter((w) => w.ratios.adjoint! <= 2);
    const values = gmm.map((w) => w.ratios.adjoint!);
    targets.push({
      target: '(17) grad_f / f ≤ 2.0 on every GMM file',
      measured: `${formatRatio(Math.min(...values))} to ${formatRatio(Math.max(...values))}; met on ${met.length} of ${gmm.length}`,
      met: met.length === gmm.length,
    });
  }
  const peers = b.workloads.filter((w) => w.times.adjoint && (w.times.tfjs || w.times.jax));
  if (peers.length) {
    const behind = peers.filter((w) => [w.times.tfjs, w.times.jax].some((t) => t && t.medianMs < w.times.adjoint!.medianMs));
    const describe = (w: WorkloadResult) => {
      const best = [w.times.tfjs && (['TF.js', w.times.tfjs.medianMs] as const), w.times.jax && (['jax-js', w.times.jax.medianMs] as const)].filter(Boolean).reduce((a, c) => (c![1] < a![1] ? c : a))!;
      return `${w.title}: ${best[0]} ${formatRatio(w.times.adjoint!.medianMs / best[1])} faster`;
    };
    targets.push({
      target: '(17) ahead of jax-js and TF.js on every workload where either runs',
      measured: `ahead on ${peers.length - behind.length} of ${peers.length}${behind.length ? `; behind on ${behind.map(describe).join(', ')}` : ''}`,
      met: behind.length === 0,
    });
  }
  const c10 = b.compile.find((c) => c.file.endsWith('circuit10k.ts'));
  if (c10 && Number.isFinite(c10.ms)) targets.push({ target: '(17) compile time of the 10k circuit < 3 s', measured: formatMs(c10.ms), met: c10.ms < 3000 });
  return targets;
}

const COLORS: Record<string, string> = {
  adjoint: '#1f6fb4',
  'adjoint-inlined': '#8fb8de',
  'adjoint-checkpointed': '#17becf',
  hand: '#2ca02c',
  tfjs: '#f28e2b',
  jax: '#9467bd',
  fd: '#8c8c8c',
};

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars of gradient time / f time, per workload and tool, on a log scale. */
export function renderChart(b: BenchResults): string {
  const tools = GRADIENT_TOOLS.filter((t) => b.workloads.some((w) => w.ratios[t] !== undefined));
  const rows = b.workloads.map((w) => ({ w, bars: tools.filter((t) => w.ratios[t] !== undefined) }));
  const bar = 11;
  const gap = 12;
  const left = 190;
  const plotWidth = 600;
  const top = 58;
  const maxRatio = Math.max(10, ...b.workloads.flatMap((w) => tools.map((t) => w.ratios[t] ?? 0)));
  const decades = Math.ceil(Math.log10(maxRatio));
  const x = (r: number) => left + (Math.log10(Math.max(r, 1)) / decades) * plotWidth;
  const height = top + rows.reduce((s, r) => s + r.bars.length * bar + gap, 0) + 30;
  const width = left + plotWidth + 90;
  const svg: string[] = [];
  svg.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  svg.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  svg.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">Gradient time / f time (log scale; lower is better)</text>`);
  svg.push(`<text x="${left}" y="31" fill="#555">${escape(`${b.machine.cpu}, ${b.machine.nproc} CPUs, Node ${b.machine.node}, ${b.machine.date.slice(0, 10)}`)}</text>`);
  let lx = left;
  for (const t of tools) {
    svg.push(`<rect x="${lx}" y="39" width="10" height="10" fill="${COLORS[t]}"/><text x="${lx + 14}" y="48">${escape(TOOL_LABELS[t])}</text>`);
    lx += 24 + TOOL_LABELS[t].length * 6.2;
  }
  const bottom = height - 24;
  for (let d = 0; d <= decades; d++) {
    const gx = x(10 ** d);
    svg.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${bottom}" stroke="#ddd"/>`);
    svg.push(`<text x="${gx}" y="${bottom + 14}" text-anchor="middle" fill="#555">${d <= 3 ? 10 ** d : `1e${d}`}</text>`);
  }
  const tx = x(3);
  svg.push(`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${bottom}" stroke="#c00" stroke-dasharray="4 3"/><text x="${tx + 3}" y="${top - 6}" fill="#c00">3</text>`);
  let y = top;
  for (const { w, bars } of rows) {
    const h = bars.length * bar;
    svg.push(`<text x="${left - 8}" y="${y + h / 2 + 4}" text-anchor="end">${escape(w.title)}</text>`);
    for (const t of bars) {
      const r = w.ratios[t]!;
      const estimated = w.times[t]?.estimated;
      svg.push(`<rect x="${left}" y="${y + 1}" width="${Math.max(1, x(r) - left)}" height="${bar - 2}" fill="${COLORS[t]}"${estimated ? ' fill-opacity="0.45"' : ''}><title>${escape(`${TOOL_LABELS[t]}: ${formatRatio(r)}${estimated ? ' (estimated)' : ''}`)}</title></rect>`);
      svg.push(`<text x="${x(r) + 3}" y="${y + bar - 2}" font-size="9" fill="#333">${escape(`${estimated ? '~' : ''}${formatRatio(r)}`)}</text>`);
      y += bar;
    }
    y += gap;
  }
  svg.push('</svg>');
  return `${svg.join('\n')}\n`;
}
