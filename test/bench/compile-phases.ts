/**
 * Where a compilation's time goes, phase by phase: compiles each file once in a warm process (as
 * compile-worker.ts does) under V8's sampling profiler, and charges every sample to the outermost
 * pipeline step on its stack (parse, TypeScript's type check, lowering, …; 'other' is the rest of
 * `compile`, garbage collection is counted apart). Time in the optimisation passes goes to the
 * innermost pass on the stack (inlining runs the callee-first passes on the callees it inlines),
 * one line per pass of the pipeline's PASSES list. Needs the built compiler (`pnpm build`).
 *
 *   tsx test/bench/compile-phases.ts [--format] <file> ...
 *
 * With --cpu-profile-dir <dir> it also writes each profile, to open in Chrome's DevTools.
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compile } from '../../packages/core/dist/index.js';
// (the built package, as the command line uses it: tsx does not resolve @adjoint/core here)
import { nodeHost } from '../../packages/core/dist/node-host.js';
import { PASSES } from '../../packages/core/dist/phases/3-optimize/index.js';

/** Pipeline steps by the compiled function that runs them (packages/core/dist). */
const PHASES: Array<[phase: string, functions: string[]]> = [
  ['parse', ['parseProgram']],
  ['type check', ['typeErrorsIn']],
  ['lower', ['lowerFunction', 'lowerModuleConstants']],
  ...PASSES.map((pass): [string, string[]] => [`optimize: ${pass.name}`, [pass.run.name]]),
  ['check (and summaries)', ['Analyses', 'check']],
  ['second order (all phases)', ['differentiateAgain']],
  ['differentiate', ['differentiate']],
  ['emit', ['emit', 'emitUnformatted']],
];

/** The phases that nest in one another: a sample goes to the innermost of them on its stack. */
const INNERMOST = new Set(PASSES.map((pass) => `optimize: ${pass.name}`));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const args = process.argv.slice(2);
const format = args.includes('--format');
const profileDir = args.includes('--cpu-profile-dir') ? args[args.indexOf('--cpu-profile-dir') + 1] : undefined;
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--cpu-profile-dir');

await compile([{ path: 'warmup.ts', text: '/** @differentiable */\nexport function warm(x: number[]): number {\n  let s = 0;\n  for (const v of x) s += Math.sin(v) * v;\n  return s;\n}\n' }]);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
for (const file of files) {
  await session.post('Profiler.start');
  const t0 = performance.now();
  const result = await compile([{ path: file }], { format, host: nodeHost });
  const wall = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop');
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `${basename(file)}.cpuprofile`), JSON.stringify(profile));
  }
  const errors = result.diagnostics.filter((d) => d.category === 'error').length;
  console.log(`${file}: ${(wall / 1000).toFixed(2)} s${errors > 0 ? ` (${errors} errors)` : ''}`);
  for (const [phase, ms] of phaseTimes(profile.nodes as ProfileNode[], profile.samples!, profile.timeDeltas!)) {
    console.log(`  ${phase.padEnd(26)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  }
}
session.disconnect();

/** Milliseconds by phase: each sample goes to the outermost phase function on its stack (the innermost pass, among passes). */
function phaseTimes(nodes: ProfileNode[], samples: number[], deltas: number[]): Map<string, number> {
  const phaseOf = new Map(PHASES.flatMap(([phase, names]) => names.map((name) => [name, phase])));
  const coreFile = (url: string) => url.includes('/packages/core/dist/');
  // the phase of each profile node, found from the root down
  const nodePhase = new Map<number, string | undefined>();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const visit = (id: number, inherited: string | undefined, inCompile: boolean) => {
    const { callFrame, children = [] } = byId.get(id)!;
    const own = coreFile(callFrame.url) ? phaseOf.get(callFrame.functionName) : undefined;
    const entersCompile = inCompile || (coreFile(callFrame.url) && callFrame.functionName === 'compile');
    const collects = callFrame.functionName === '(garbage collector)';
    const nested = inherited !== undefined && INNERMOST.has(inherited) && own !== undefined && INNERMOST.has(own);
    const phase = (nested ? own : inherited) ?? own ?? (collects ? 'garbage collection' : entersCompile ? 'other' : undefined);
    nodePhase.set(id, phase);
    for (const child of children) visit(child, nested ? own : (inherited ?? own), entersCompile);
  };
  visit(nodes[0]!.id, undefined, false);
  const times = new Map<string, number>([...PHASES.map(([phase]) => [phase, 0] as [string, number]), ['other', 0], ['garbage collection', 0]]);
  samples.forEach((id, i) => {
    const phase = nodePhase.get(id);
    if (phase) times.set(phase, times.get(phase)! + deltas[i]! / 1000);
  });
  return times;
}
