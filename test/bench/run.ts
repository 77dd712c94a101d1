/**
 * The benchmark suite (issue 7): `pnpm bench` builds the compiler, then this script
 *
 *   1. writes the circuits and generates every companion under test/bench, timing each generation
 *      (compile time, with prettier off as well for the circuits);
 *   2. runs each workload in its own process (worker.ts): every gradient is checked (ADBench's
 *      golden values, a hand-written gradient, finite differences) before f, the gradients and the
 *      peers are timed interleaved;
 *   3. prints a table and writes test/bench/results/{bench-results.json, bench-table.md,
 *      bench-chart.svg}.
 *
 * Options: --quick (a subset, fewer rounds: about 3 minutes), --only <text> (workloads whose id
 * contains it), --no-compile (use the companions already generated), --compile-timeout <s>.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCircuits } from './circuit/write.ts';
import { gmmFiles, LSTM_FILES } from './catalog.ts';
import { adbenchDir, adbenchFile, repoRoot } from './support/data.ts';
import { describeMachine } from './support/machine.ts';
import { renderChart, renderTables, evaluateTargets, type CompileResult, type BenchResults } from './support/report.ts';
import type { WorkloadResult } from './support/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const skipCompile = argv.includes('--no-compile');
const compileTimeoutS = argv.includes('--compile-timeout') ? Number(argv[argv.indexOf('--compile-timeout') + 1]) : quick ? 120 : 300;
const started = performance.now();
const say = (line: string) => console.log(line);

const machine = describeMachine(repoRoot);
say(`Adjoint benchmarks${quick ? ' (--quick)' : ''}: ${machine.cpu}, ${machine.nproc} CPUs, Node ${machine.node}, commit ${machine.commit}`);
const dataPresent = existsSync(adbenchDir);
if (!dataPresent) say(`ADBench data not found at ${adbenchDir} (set ADBENCH_DATA): the GMM, LSTM and BA workloads are skipped.`);

// ---------------------------------------------------------------------------------------------
// The workloads.

const ids: string[] = [];
if (dataPresent) {
  const gmm = gmmFiles();
  const quickGmm = ['gmm_d2_K10', 'gmm_d10_K25', 'gmm_d20_K50'];
  ids.push(...(quick ? gmm.filter((n) => quickGmm.includes(n)) : gmm).map((n) => `gmm/${n}`));
  for (const name of LSTM_FILES) if (adbenchFile(`lstm/${name}.txt`) && (!quick || name === 'lstm_l2_c1024')) ids.push(`lstm/${name}`);
  for (const name of quick ? ['ba1_n49_m7776_p31843'] : ['ba1_n49_m7776_p31843', 'ba4_n372_m47423_p204472']) {
    if (adbenchFile(`ba/${name}.txt`)) ids.push(`ba/${name}`);
  }
}
ids.push('mlp', 'mlp2');
// GradBench's evals whose derivative is a gradient (the tool in gradbench/ answers the others).
ids.push(...(quick ? ['llsq', 'lse', 'det'] : ['llsq', 'lse', 'det', 'ode', 'kmeans']).map((name) => `gradbench/${name}`));
ids.push('circuit/1k');
if (!quick) ids.push('circuit/10k');
ids.push('loop/1e6', 'loop/1e4');
const selected = only ? ids.filter((id) => id.includes(only)) : ids;
const missingLstm = LSTM_FILES.filter((n) => !adbenchFile(`lstm/${n}.txt`));
const skippedWorkloads: Array<{ id: string; reason: string }> = [];
if (dataPresent && missingLstm.length) skippedWorkloads.push({ id: missingLstm.map((n) => `lstm/${n}`).join(', '), reason: 'data file not in ../shared/bench-data/adbench/lstm' });
if (!dataPresent) skippedWorkloads.push({ id: 'GMM, LSTM and BA', reason: `ADBench data not found at ${adbenchDir}` });
if (quick) skippedWorkloads.push({ id: 'circuit/10k', reason: '--quick' });

// ---------------------------------------------------------------------------------------------
// 1. Companions, and how long each took to generate.

const sources = [
  ...(dataPresent ? ['gmm/objective.ts', 'gmm/inline.ts', 'lstm/objective.ts', 'ba/objective.ts'] : []),
  'mlp/objective.ts',
  'mlp2/objective.ts',
  ...['llsq', 'lse', 'det', 'ode', 'kmeans'].map((name) => `../../gradbench/evals/${name}.ts`),
  'loop/objective.ts',
  'loop/checkpointed.ts',
].map((s) => join(here, s));
const circuits = writeCircuits(quick ? ['1k'] : ['1k', '10k']);
const compiles: CompileResult[] = [];
if (!skipCompile) {
  say(`\nGenerating companions (timeout ${compileTimeoutS} s a file):`);
  compiles.push(...(await generate(sources, false)));
  compiles.push(...(await generate(circuits, !quick)));
}

/** Runs compile-worker.ts over the files, restarting it after a file that times out. */
async function generate(files: string[], raw: boolean): Promise<CompileResult[]> {
  const results: CompileResult[] = [];
  let rest = [...files];
  while (rest.length > 0) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'compile-worker.ts'), ...(raw ? ['--raw'] : []), ...rest], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let current: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let timedOut: string | undefined;
    const lines = lineReader(child.stdout!, (line) => {
      const [kind, file, ...more] = line.split(' ');
      if (!file) return;
      const shown = relative(repoRoot, file);
      if (kind === 'start') {
        current = file;
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = file;
          child.kill('SIGKILL');
        }, compileTimeoutS * 1000);
      } else if (kind === 'done') {
        clearTimeout(timer);
        const ms = Number(more[0]);
        const rawMs = more[2] !== undefined ? Number(more[3]) : undefined;
        const lines = readFileSync(file, 'utf8').split('\n').length;
        results.push({ file: shown, ms, companionBytes: Number(more[1]), sourceLines: lines, rawMs });
        say(`  ${shown}: ${(ms / 1000).toFixed(2)} s${rawMs === undefined ? '' : ` (${(rawMs / 1000).toFixed(2)} s without prettier)`}`);
        rest = rest.filter((f) => f !== file);
      } else if (kind === 'error') {
        clearTimeout(timer);
        const message = JSON.parse(more.join(' ')) as string;
        results.push({ file: shown, ms: NaN, companionBytes: 0, sourceLines: 0, error: message });
        say(`  ${shown}: FAILED\n${message.replace(/^/gm, '    ')}`);
        rest = rest.filter((f) => f !== file);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await lines;
    clearTimeout(timer);
    if (timedOut) {
      const shown = relative(repoRoot, timedOut);
      results.push({ file: shown, ms: NaN, companionBytes: 0, sourceLines: readFileSync(timedOut, 'utf8').split('\n').length, timedOutAfterS: compileTimeoutS });
      say(`  ${shown}: TIMED OUT after ${compileTimeoutS} s (its workload is skipped)`);
      rmSync(timedOut.replace(/\.ts$/, '.grad.ts'), { force: true });
      rest = rest.filter((f) => f !== timedOut);
    } else if (rest.length > 0) {
      const first = rest[0]!;
      say(`  compile worker exited with ${code} at ${relative(repoRoot, current ?? first)}`);
      results.push({ file: relative(repoRoot, current ?? first), ms: NaN, companionBytes: 0, sourceLines: 0, error: `compile worker exited with ${code}` });
      rest = rest.filter((f) => f !== (current ?? first));
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// 2. The workloads, one process each.

const results: WorkloadResult[] = [];
const failures: Array<{ id: string; reason: string }> = [];
const resultDir = join(here, 'results');
mkdirSync(resultDir, { recursive: true });
const workerTimeoutS = quick ? 240 : 900;
for (const id of selected) {
  say(`\n${id}`);
  const file = join(os.tmpdir(), `adjoint-bench-${process.pid}-${id.replace(/\W/g, '_')}.json`);
  rmSync(file, { force: true });
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', join(here, 'worker.ts'), id, file, ...(quick ? ['--quick'] : [])],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), workerTimeoutS * 1000);
  let errorText = '';
  const out = lineReader(child.stdout!, (line) => {
    if (!isNoise(line)) say(line);
  });
  const err = lineReader(child.stderr!, (line) => {
    if (!isNoise(line)) errorText += `${line}\n`;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  await Promise.all([out, err]);
  clearTimeout(timer);
  if (code === 0 && existsSync(file)) {
    results.push(JSON.parse(readFileSync(file, 'utf8')) as WorkloadResult);
    rmSync(file, { force: true });
  } else {
    const reason = code === null ? `killed after ${workerTimeoutS} s or out of memory` : (errorText.trim().split('\n').find((l) => /Error|error/.test(l)) ?? `exit code ${code}`);
    failures.push({ id, reason });
    say(`    FAILED: ${reason}`);
    if (errorText.trim()) say(errorText.trim().split('\n').slice(0, 8).map((l) => `      ${l}`).join('\n'));
  }
}

/** tfjs's advice to install tfjs-node, and blank lines. */
function isNoise(line: string): boolean {
  return line.trim() === '' || /^=+$/.test(line.trim()) || line.includes('tfjs-node') || line.includes('looks like you are running TensorFlow.js');
}

function lineReader(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, at));
      buffer = buffer.slice(at + 1);
    }
  });
  return new Promise((resolve) =>
    stream.on('end', () => {
      if (buffer) onLine(buffer);
      resolve();
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// 3. The report.

const bench: BenchResults = {
  machine,
  mode: quick ? 'quick' : 'full',
  wallSeconds: 0,
  compile: compiles,
  workloads: results,
  failures,
  skippedWorkloads,
  targets: [],
};
bench.machine.loadAverage.end = Math.round(os.loadavg()[0]! * 100) / 100;
bench.targets = evaluateTargets(bench);
bench.wallSeconds = Math.round((performance.now() - started) / 1000);
const tables = renderTables(bench);
say(`\n${tables}`);
writeFileSync(join(resultDir, 'bench-results.json'), `${JSON.stringify(bench, null, 2)}\n`);
writeFileSync(join(resultDir, 'bench-table.md'), `${tables}\n`);
writeFileSync(join(resultDir, 'bench-chart.svg'), renderChart(bench));
say(`\nWrote ${relative(repoRoot, resultDir)}/{bench-results.json, bench-table.md, bench-chart.svg} in ${bench.wallSeconds} s.`);
const checksFailed = results.some((r) => r.failed.length > 0 || r.extraChecks.some((c) => !c.ok)) || failures.length > 0;
process.exitCode = checksFailed ? 1 : 0;
