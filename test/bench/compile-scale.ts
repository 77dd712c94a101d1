/**
 * Compile time against the number of marked functions in one file (issue 19 item 11: a file of
 * 4,000 functions must compile in under 4 times the time of one of 1,000; test/core/compile-scale.test.ts
 * checks by counting that the work grows linearly). Compiles a file of N small marked functions for
 * each N given, in one process warmed up on the first N, `--runs` times each (interleaved, so that a
 * change in the machine's load falls on every N alike), and prints the fastest wall and CPU time of
 * each N and their ratios to the first N's.
 *
 *   pnpm build && pnpm tsx test/bench/compile-scale.ts [--format] [--runs=3] [N ...]     (default 1000 4000)
 *
 * Not a timed test: the numbers go in BENCHMARKS.md, with the machine's load (`uptime`).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { compile } from '../../packages/core/dist/index.js';
import { manyFunctions } from '../support/source-tree.js';

const args = process.argv.slice(2);
const format = args.includes('--format');
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
const counts = args.filter((a) => !a.startsWith('--')).map(Number);
if (counts.length === 0) counts.push(1000, 4000);

/** Milliseconds spent collecting garbage so far (V8's pauses, as Node reports them). */
let collecting = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => (collecting += entry.duration))).observe({ entryTypes: ['gc'] });

/** Wall, CPU (user + system) and garbage-collection seconds of compiling a file of `count` functions, which must all be generated. */
async function measure(count: number): Promise<{ wall: number; cpu: number; gc: number }> {
  const text = manyFunctions(count);
  const collectedBefore = collecting;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await compile([{ path: `many${count}.ts`, text }], { format });
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const generated = result.outputs[0]?.functions.length ?? 0;
  if (generated !== count) throw new Error(`${count} functions: ${generated} generated (${result.diagnostics[0]?.message ?? 'no diagnostic'})`);
  // (the observer hears of the last collections once the current task yields)
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { wall, cpu: (used.user + used.system) / 1e6, gc: (collecting - collectedBefore) / 1000 };
}

await measure(counts[0]!);
const fastest = new Map(counts.map((count) => [count, { wall: Infinity, cpu: Infinity }]));
for (let run = 1; run <= runs; run++) {
  for (const count of counts) {
    const { wall, cpu, gc } = await measure(count);
    const best = fastest.get(count)!;
    fastest.set(count, { wall: Math.min(best.wall, wall), cpu: Math.min(best.cpu, cpu) });
    console.log(`run ${run}: ${String(count).padStart(6)} functions: ${wall.toFixed(2).padStart(7)} s wall, ${cpu.toFixed(2).padStart(7)} s CPU, ${gc.toFixed(2).padStart(6)} s collecting garbage`);
  }
}
const first = fastest.get(counts[0]!)!;
for (const [count, { wall, cpu }] of fastest) {
  const size = count / counts[0]!;
  console.log(
    `fastest of ${runs}: ${String(count).padStart(6)} functions: ${wall.toFixed(2).padStart(7)} s wall (${(wall / first.wall).toFixed(2)}× ${counts[0]}'s), ${cpu.toFixed(2).padStart(7)} s CPU (${(cpu / first.cpu).toFixed(2)}×), for ${size}× the functions`,
  );
}
