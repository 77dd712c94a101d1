/**
 * Runs one workload in its own process (so that one that runs out of memory cannot take the others
 * with it, and each starts from a clean heap): checks every gradient, then times f, the gradients
 * and the peers interleaved, and writes a WorkloadResult as JSON.
 *
 *   tsx test/bench/worker.ts <workload id> <result file> [--quick]
 */
import { writeFileSync } from 'node:fs';
import { centralGradient, richardsonPartial, spreadIndices } from './support/finite-differences.ts';
import { prepareWorkload } from './support/registry.ts';
import { timeInterleaved, type Timed } from './support/timing.ts';
import type { CheckResult, GradientTool, Reference, ToolName, WorkloadResult } from './support/types.ts';

const ORDER: ToolName[] = ['f', 'adjoint', 'adjoint-inlined', 'hand', 'tfjs', 'jax', 'fd'];

const [id, resultFile, ...flags] = process.argv.slice(2);
if (!id || !resultFile) {
  console.error('usage: worker.ts <workload id> <result file> [--quick]');
  process.exit(2);
}
const quick = flags.includes('--quick');
const log = (line: string) => console.log(line);
const started = performance.now();

const workload = await prepareWorkload(id, { quick });
const result: WorkloadResult = {
  id: workload.id,
  group: workload.group,
  title: workload.title,
  inputs: workload.inputs,
  value: NaN,
  times: {},
  ratios: {},
  checks: [],
  extraChecks: [],
  failed: [],
  skipped: workload.skipped,
  extra: {},
  notes: workload.notes ?? [],
  wallSeconds: 0,
};
for (const s of workload.skipped) log(`    skipped ${s.name}: ${s.reason}`);

// f, and a first idea of its cost.
let fMs = Infinity;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  result.value = workload.f();
  fMs = Math.min(fMs, performance.now() - t0);
}

// Checks that do not depend on the point (golden values on ADBench's test instances).
result.extraChecks = workload.extraChecks?.() ?? [];
for (const c of result.extraChecks) log(`    ${c.ok ? 'ok  ' : 'FAIL'} ${c.label}: ${c.detail}`);

// References: the workload's own (golden gradients), and finite differences on a few entries.
const references: Reference[] = [...(workload.references ?? [])];
const checkBudgetMs = quick ? 2_000 : 6_000;
const fdCount = Math.max(2, Math.min(workload.fdEntries ?? 6, Math.floor(checkBudgetMs / (4 * Math.max(fMs, 1e-3)))));
const point = workload.point.slice();
references.push({
  label: 'finite differences',
  entries: spreadIndices(point.length, fdCount).map((index) => ({ index, expected: richardsonPartial(workload.fAt, point, index) })),
  tolerance: 1e-6,
});

/**
 * How a gradient is compared: a float64 tool entry by entry (relative, floor 1); TF.js (float32)
 * and jax-js (float64, but its exp, log, sin, cos, … in wasm are accurate to about 1e-7 only)
 * relative to the largest entry, within 1e-2: enough to catch a wrong gradient, not rounding.
 */
function tolerance(tool: GradientTool, reference: Reference): { tolerance: number; normwise: boolean } {
  if (tool.precision === 'float32' || tool.name === 'jax') return { tolerance: 1e-2, normwise: true };
  return { tolerance: reference.tolerance, normwise: false };
}

function compare(tool: GradientTool, gradient: ArrayLike<number>, reference: Reference): CheckResult {
  const { tolerance: tol, normwise } = tolerance(tool, reference);
  let scale = 1;
  if (normwise) for (const e of reference.entries) scale = Math.max(scale, Math.abs(e.expected));
  let maxError = 0;
  for (const { index, expected } of reference.entries) {
    const actual = gradient[index]!;
    const error = Math.abs(actual - expected) / (normwise ? scale : Math.max(1, Math.abs(expected)));
    maxError = Number.isNaN(error) ? Infinity : Math.max(maxError, error);
  }
  return { tool: tool.name, against: reference.label, entries: reference.entries.length, maxError, tolerance: tol, ok: maxError <= tol };
}

const passed: GradientTool[] = [];
const seenMs = new Map<string, number>();
let adjointGradient: ArrayLike<number> | undefined;
for (const tool of workload.tools) {
  let evaluated;
  try {
    const t0 = performance.now();
    evaluated = tool.evaluate();
    seenMs.set(tool.name, performance.now() - t0);
  } catch (error) {
    result.failed.push({ name: tool.name, reason: `threw: ${(error as Error).message.split('\n')[0]}` });
    log(`    FAIL ${tool.name} threw: ${(error as Error).message.split('\n')[0]}`);
    continue;
  }
  const checks = references.map((r) => compare(tool, evaluated.gradient, r));
  // Peers are compared with Adjoint's gradient on every entry as well, once Adjoint has passed.
  if (tool.name !== 'adjoint' && adjointGradient) {
    const all: Reference = {
      label: 'Adjoint, every entry',
      entries: Array.from(adjointGradient, (expected, index) => ({ index, expected })),
      tolerance: 1e-8,
    };
    checks.push(compare(tool, evaluated.gradient, all));
  }
  const valueError = Math.abs(evaluated.value - result.value) / Math.max(1, Math.abs(result.value));
  const valueTolerance = tool.precision === 'float32' || tool.name === 'jax' ? 1e-3 : 1e-10;
  checks.push({ tool: tool.name, against: 'value of f', entries: 1, maxError: valueError, tolerance: valueTolerance, ok: valueError <= valueTolerance });
  result.checks.push(...checks);
  for (const c of checks) {
    log(`    ${c.ok ? 'ok  ' : 'FAIL'} ${tool.name} vs ${c.against} (${c.entries} entries): max error ${c.maxError.toExponential(1)} (tolerance ${c.tolerance.toExponential(0)})`);
  }
  if (checks.every((c) => c.ok)) {
    passed.push(tool);
    if (tool.name === 'adjoint') adjointGradient = evaluated.gradient;
  } else {
    result.failed.push({ name: tool.name, reason: 'wrong gradient (see checks); not timed' });
  }
}

// Central finite differences over every input: timed when affordable, else 2N × f.
const fdMs = 2 * point.length * fMs;
const timedFd = fdMs <= (quick ? 300 : 1_000);
// A tool whose checked call took very long (TF.js on the largest GMM and LSTM files) is not called
// again: that call is its one sample, so that the suite stays within minutes.
const singleCallMs = quick ? 3_000 : 10_000;
const timed: Timed[] = [{ name: 'f', run: workload.f }];
for (const tool of passed) {
  const seen = seenMs.get(tool.name)!;
  if (seen > singleCallMs) {
    result.times[tool.name] = { medianMs: seen, minMs: seen, maxMs: seen, samples: 1, callsPerSample: 1, singleCall: true };
    log(`    ${tool.name}: one call of ${(seen / 1000).toFixed(1)} s (the checked one) is its only sample`);
  } else {
    timed.push({ name: tool.name, run: tool.run, seenMs: seen });
  }
}
if (timedFd) timed.push({ name: 'fd', run: () => centralGradient(workload.fAt, point) });

const summaries = timeInterleaved(
  timed,
  {
    budgetMs: quick ? 3_000 : 8_000,
    minRounds: 3,
    maxRounds: quick ? 15 : 31,
    sampleMs: quick ? 10 : 25,
    warmupMaxMs: quick ? 3_000 : 10_000,
    settleMs: quick ? 500 : 2_000,
  },
  log,
);
for (const [name, summary] of summaries) result.times[name as ToolName] = summary;
// The ratio of a single-call tool is to f's median, like the others.
result.times = Object.fromEntries(Object.entries(result.times).sort(([a], [b]) => ORDER.indexOf(a as ToolName) - ORDER.indexOf(b as ToolName)));
if (!timedFd) {
  const f = result.times.f!;
  result.times.fd = { medianMs: 2 * point.length * f.medianMs, minMs: 2 * point.length * f.minMs, maxMs: 2 * point.length * f.maxMs, samples: 0, callsPerSample: 0, estimated: true };
}
for (const [name, summary] of Object.entries(result.times)) result.ratios[name as ToolName] = summary.medianMs / result.times.f!.medianMs;

result.extra = (await workload.extra?.()) ?? {};
result.wallSeconds = (performance.now() - started) / 1000;
const shown = Object.entries(result.times)
  .map(([name, s]) => `${name} ${s.medianMs.toPrecision(3)} ms${name === 'f' ? '' : ` (×${result.ratios[name as ToolName]!.toPrecision(3)})`}`)
  .join(', ');
log(`    ${shown}`);
writeFileSync(resultFile, JSON.stringify(result, null, 2));
process.exit(0);
