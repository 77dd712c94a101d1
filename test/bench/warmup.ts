/**
 * Warm-up (issue 17): how many calls a training loop makes before the gradient runs at its
 * steady-state speed. Each workload runs in a fresh process (a fresh V8, nothing optimised yet),
 * calls f and Adjoint's gradient one call at a time, alternating, and times every call.
 *
 *   pnpm build && tsx test/bench/warmup.ts [--calls N] [workload id ...]
 *
 * Steady state is the median time per call over the last quarter of the calls. The calls to steady
 * state are the calls made before the first of five windows of 10 consecutive calls in a row whose
 * medians are all within 10% of it. The default workloads are those the target names: the
 * MLP (both variants) and GMM d = 10, K = 25, with an LSTM beside them. Writes
 * test/bench/results/warmup.json and prints a table; the target is 200 calls.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareWorkload } from './support/registry.ts';
import { median } from './support/timing.ts';

const WINDOW = 10;
const TOLERANCE = 1.1;
const STABLE = 5;
const TARGET_CALLS = 200;
const DEFAULT_WORKLOADS = ['mlp', 'mlp2', 'gmm/gmm_d10_K25', 'lstm/lstm_l2_c1024'];

interface WarmUp {
  /** Calls made before the time per call settled within 10% of the steady state. */
  callsToSteadyState: number;
  firstCallMs: number;
  steadyMs: number;
}

interface WorkloadWarmUp {
  id: string;
  calls: number;
  f: WarmUp;
  gradient: WarmUp;
}

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const callsArg = argv.indexOf('--calls');
const calls = callsArg >= 0 ? Number(argv[callsArg + 1]) : 1_000;
const ids = argv.filter((a, i) => !a.startsWith('--') && i !== callsArg + 1);

/** The median of unsorted times (timing.ts's median takes them sorted). */
const medianOf = (values: number[]) => median(values.slice().sort((a, b) => a - b));

/** The warm-up read off one sequence of per-call times. */
export function warmUpOf(times: number[]): WarmUp {
  const steadyMs = medianOf(times.slice(Math.floor((times.length * 3) / 4)));
  const windows: number[] = [];
  for (let start = 0; start + WINDOW <= times.length; start += WINDOW) windows.push(medianOf(times.slice(start, start + WINDOW)));
  // the first window from which STABLE windows in a row are all within 10% of the steady state (a
  // single later slow window is another process taking the CPU, not V8 still warming up)
  const settled = windows.findIndex((_, w) => w + STABLE <= windows.length && windows.slice(w, w + STABLE).every((m) => m <= TOLERANCE * steadyMs));
  return { callsToSteadyState: settled < 0 ? times.length : settled * WINDOW, firstCallMs: times[0]!, steadyMs };
}

/** In the child process: time each call of f and of the gradient, alternating. */
async function measure(id: string): Promise<WorkloadWarmUp> {
  const workload = await prepareWorkload(id, { quick: false });
  const gradient = workload.tools.find((t) => t.name === 'adjoint');
  if (!gradient) throw new Error(`${id} has no Adjoint gradient to time`);
  const fTimes: number[] = [];
  const gradientTimes: number[] = [];
  for (let i = 0; i < calls; i++) {
    let t0 = performance.now();
    workload.f();
    fTimes.push(performance.now() - t0);
    t0 = performance.now();
    gradient.run();
    gradientTimes.push(performance.now() - t0);
  }
  return { id, calls, f: warmUpOf(fTimes), gradient: warmUpOf(gradientTimes) };
}

if (process.env.ADJOINT_WARMUP_CHILD) {
  console.log(JSON.stringify(await measure(process.env.ADJOINT_WARMUP_CHILD)));
} else {
  const results: WorkloadWarmUp[] = [];
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`Warm-up: ${calls} calls of f and of grad_f, alternating, each workload in a fresh process; load ${load} on ${os.cpus().length} CPUs`);
  for (const id of ids.length > 0 ? ids : DEFAULT_WORKLOADS) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, ADJOINT_WARMUP_CHILD: id },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      console.log(`${id}: failed (${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    results.push(JSON.parse(line) as WorkloadWarmUp);
  }
  const rows = results.map(({ id, f, gradient }) =>
    [
      id,
      `${gradient.callsToSteadyState}${gradient.callsToSteadyState <= TARGET_CALLS ? '' : ' (over 200)'}`,
      String(f.callsToSteadyState),
      gradient.firstCallMs.toFixed(3),
      gradient.steadyMs.toFixed(3),
      (gradient.steadyMs / f.steadyMs).toFixed(2),
    ].join(' | '),
  );
  console.log(['', '| workload | grad_f: calls to steady state | f: calls to steady state | grad_f first call (ms) | grad_f steady (ms) | grad_f / f steady |', '|---|--:|--:|--:|--:|--:|', ...rows.map((r) => `| ${r} |`)].join('\n'));
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'warmup.json'), `${JSON.stringify({ load: Number(load), calls, results }, null, 2)}\n`);
}
