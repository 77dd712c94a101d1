/**
 * Issue 16's target: the gradient of `xs.reduce((s, v) => s + v * v, 0)` runs within 1.2× of the
 * gradient of the same `for` loop. `pnpm tsx test/bench/callbacks/reduce-vs-for.ts [n]` (after
 * `pnpm build`) generates objective.grad.ts with the CLI, checks each gradient against 2·xs and
 * against central differences (Richardson), times the three gradients interleaved in one run (the machine's
 * drifts fall on all alike), and prints their ratios to the loop's; it exits 1 when reduce's ratio
 * exceeds 1.2.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../support/data.ts';
import { richardsonPartial, spreadIndices } from '../support/finite-differences.ts';
import { timeInterleaved } from '../support/timing.ts';

const TARGET = 1.2;
const n = Number(process.argv[2] ?? 100_000);
const here = fileURLToPath(new URL('.', import.meta.url));

const generated = spawnSync(process.execPath, [join(repoRoot, 'packages/cli/dist/bin.js'), join(here, 'objective.ts')], { encoding: 'utf8' });
if (generated.status !== 0) {
  console.error(`adjoint failed (run pnpm build first):\n${generated.stdout}${generated.stderr}`);
  process.exit(1);
}
const source = await import('./objective.ts');
const companion = await import('./objective.grad.ts');

const xs = Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i) + 0.1);
const variants = [
  { name: 'for loop', f: source.sumSquaresLoop, valueAndGrad: companion.valueAndGrad_sumSquaresLoop },
  { name: 'reduce', f: source.sumSquaresReduce, valueAndGrad: companion.valueAndGrad_sumSquaresReduce },
  { name: 'forEach', f: source.sumSquaresForEach, valueAndGrad: companion.valueAndGrad_sumSquaresForEach },
];

// Correct before fast: d/dxᵢ Σ x² = 2xᵢ, and central differences agree on a few entries.
const small = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i) - 0.3);
for (const { name, f, valueAndGrad } of variants) {
  const { value, grad } = valueAndGrad(small);
  for (const i of spreadIndices(small.length, 5)) {
    const exact = 2 * small[i]!;
    const difference = richardsonPartial((x) => f(x), small, i);
    if (Math.abs(grad.xs[i]! - exact) > 1e-12 || Math.abs(difference - exact) > 1e-8) throw new Error(`${name}: ∂/∂x${i} is ${grad.xs[i]}, 2x is ${exact}, differences ${difference}`);
  }
  if (value !== f(small)) throw new Error(`${name}: value ${value}, f gives ${f(small)}`);
}

console.log(`reduce vs for: gradients of Σ xᵢ² over n = ${n}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const timings = timeInterleaved(
  variants.map(({ name, valueAndGrad }) => ({ name, run: () => valueAndGrad(xs) })),
  { budgetMs: 6000, minRounds: 15, maxRounds: 200, sampleMs: 20, warmupMaxMs: 3000, settleMs: 500 },
  (line) => console.log(line),
);
const loop = timings.get('for loop')!.medianMs;
for (const { name } of variants) {
  const t = timings.get(name)!;
  console.log(`  ${name.padEnd(9)} ${(t.medianMs * 1000).toFixed(1).padStart(9)} µs  ratio to the for loop ${(t.medianMs / loop).toFixed(3)}  (${t.samples} samples)`);
}
const ratio = timings.get('reduce')!.medianMs / loop;
console.log(ratio <= TARGET ? `reduce/for = ${ratio.toFixed(3)}: within ${TARGET}×` : `reduce/for = ${ratio.toFixed(3)}: over the ${TARGET}× target`);
process.exit(ratio <= TARGET ? 0 : 1);
