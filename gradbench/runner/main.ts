/**
 * `pnpm gradbench`: runs GradBench's real evals (from the checkout GRADBENCH_DIR names) against the
 * Adjoint tool in gradbench/tool, and against GradBench's hand-written C++ `manual` tool beside it.
 *
 *   pnpm gradbench <eval> [eval arguments]   one eval (GradBench's defaults unless arguments are given)
 *   pnpm gradbench --all [--quick]           every eval at the sizes of presets.ts; prints the table
 *                                            and writes gradbench/results/
 *
 * Runner options, before the eval's name: --tool adjoint|manual|both (default both), --log <dir>
 * (write each session's log there, in GradBench's format), --timeout <seconds> (per session).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { EVALS } from '../tool/modules.ts';
import { buildManual, evalCommand, openCheckout, repoRoot, SetupError, toolCommand, workingDir, type Checkout } from './checkout.ts';
import { PRESETS } from './presets.ts';
import { renderDetails, renderTable, type EvalResult, type ToolRun } from './report.ts';
import { runSession, type LogLine } from './session.ts';
import { summarise } from './summary.ts';

interface Options {
  tools: Array<'adjoint' | 'manual'>;
  logDir?: string;
  timeoutSeconds?: number;
}

function usage(message?: string): never {
  if (message) console.error(`pnpm gradbench: ${message}`);
  console.error('usage: pnpm gradbench [--tool adjoint|manual|both] [--log <dir>] [--timeout <s>] <eval> [eval arguments]');
  console.error('       pnpm gradbench [--tool …] [--log <dir>] --all [--quick]');
  console.error(`evals: ${EVALS.join(', ')}`);
  process.exit(2);
}

function parse(argv: string[]): { options: Options; all: boolean; quick: boolean; evalName?: string; evalArgs: string[] } {
  const options: Options = { tools: ['adjoint', 'manual'] };
  let all = false;
  let quick = false;
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('--'); i++) {
    const flag = argv[i]!;
    const value = () => argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--all') all = true;
    else if (flag === '--quick') quick = true;
    else if (flag === '--tool') {
      const tool = value();
      if (tool === 'both') options.tools = ['adjoint', 'manual'];
      else if (tool === 'adjoint' || tool === 'manual') options.tools = [tool];
      else usage(`unknown tool '${tool}'`);
    } else if (flag === '--log') options.logDir = value();
    else if (flag === '--timeout') options.timeoutSeconds = Number(value());
    else usage(`unknown option ${flag}`);
  }
  const evalName = argv[i];
  if (all && evalName) usage('--all runs every eval: give no eval name');
  if (!all && !evalName) usage();
  if (quick && !all) usage('--quick goes with --all');
  if (evalName && !EVALS.includes(evalName)) usage(`unknown eval '${evalName}'`);
  return { options, all, quick, evalName, evalArgs: argv.slice(i + 1) };
}

const seconds = (ns: number) => (ns >= 1e9 ? `${(ns / 1e9).toFixed(2)} s` : `${(ns / 1e6).toPrecision(3)} ms`);

/** One line per evaluation as the session goes, as GradBench's CLI prints them. */
function progress(evalName: string): (line: LogLine) => void {
  const pending = new Map<number, Record<string, any>>();
  return (line) => {
    if ('message' in line) {
      const m = line.message;
      if (m.kind === 'evaluate') pending.set(m.id, m);
      if (m.kind === 'analysis') {
        const e = pending.get(m.of);
        if (e) console.log(`${e.label}${m.valid ? ' ✓' : ` ✗ ${String(m.error ?? '').split('\n')[0]}`}`);
      }
      return;
    }
    const r = line.response;
    const m = pending.get(r.id);
    if (!m) return;
    const times = ((r.timings ?? []) as Array<{ name: string; nanoseconds: number }>).filter((t) => t.name === 'evaluate').map((t) => t.nanoseconds);
    const sorted = times.sort((a, b) => a - b);
    const shown = sorted.length ? `fastest ${seconds(sorted[0]!)}, median ${seconds(sorted[Math.floor((sorted.length - 1) / 2)]!)} of ${sorted.length}` : '';
    m.label = `  [${m.id}] ${evalName}::${m.function} ${m.description ?? ''}  ${shown}`;
    if (!r.success) console.log(`${m.label} ✗ ${String(r.error ?? 'failed').split('\n')[0]}`);
  };
}

function generateCompanions(): void {
  const cli = join(repoRoot, 'packages/cli/dist/bin.js');
  try {
    const out = execFileSync(process.execPath, [cli, 'gradbench/evals'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
    console.log(out.trim().split('\n').at(-1));
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new SetupError(`generating the companions of gradbench/evals failed (run pnpm build first):\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

async function runEval(checkout: Checkout, evalName: string, evalArgs: string[], options: Options): Promise<EvalResult> {
  buildManual(checkout, evalName);
  const { cwd, note } = workingDir(checkout, evalName);
  if (note) console.log(`  note: ${note}`);
  const load = Math.round(os.loadavg()[0]! * 100) / 100;
  const runs: Partial<Record<'adjoint' | 'manual', ToolRun>> = {};
  for (const tool of options.tools) {
    if (tool === 'manual' && (evalName === 'particle' || evalName === 'saddle')) continue; // the manual tool has none
    console.log(`${evalName} with ${tool}${evalArgs.length ? ` (${evalArgs.join(' ')})` : ''}`);
    const started = performance.now();
    const session = await runSession(evalCommand(checkout, cwd, evalName, evalArgs), toolCommand(checkout, cwd, tool), {
      onLine: progress(evalName),
      timeoutSeconds: options.timeoutSeconds,
    });
    const summary = summarise(evalName, session.log);
    if (session.error) {
      console.log(`  session ended: ${session.error}`);
      const stderr = (tool === 'adjoint' ? session.stderr.tool : session.stderr.eval).trim();
      if (stderr) console.log(stderr.split('\n').slice(-12).map((l) => `    ${l}`).join('\n'));
    }
    if (options.logDir) {
      mkdirSync(options.logDir, { recursive: true });
      const file = join(options.logDir, `${evalName}-${tool}.jsonl`);
      writeFileSync(file, session.log.map((l) => JSON.stringify(l)).join('\n') + '\n');
    }
    runs[tool] = { summary, error: session.error, wallSeconds: (performance.now() - started) / 1000 };
  }
  if (cwd !== checkout.dir) rmSync(cwd, { recursive: true, force: true });
  return { evalName, args: evalArgs, load, runs, notes: note ? [note] : [] };
}

async function main(): Promise<number> {
  const { options, all, quick, evalName, evalArgs } = parse(process.argv.slice(2));
  let checkout: Checkout;
  try {
    checkout = openCheckout();
    for (const note of checkout.notes) console.log(`note: ${note}`);
    generateCompanions();
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(`pnpm gradbench: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const started = performance.now();
  const loadStart = os.loadavg()[0]!;
  const results: EvalResult[] = [];
  const names = all ? EVALS : [evalName!];
  for (const name of names) {
    try {
      results.push(await runEval(checkout, name, all ? PRESETS[quick ? 'quick' : 'full'][name]! : evalArgs, options));
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      console.log(`  ${name}: ${error.message}`);
      results.push({ evalName: name, args: [], load: os.loadavg()[0]!, runs: {}, notes: [error.message] });
    }
  }
  const table = renderTable(results);
  console.log(`\n${table}`);
  if (all) {
    const dir = join(repoRoot, 'gradbench/results');
    mkdirSync(dir, { recursive: true });
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const header = [
      `GradBench evals against the Adjoint tool and GradBench's manual C++ tool (\`pnpm gradbench --all${quick ? ' --quick' : ''}\`), commit ${commit}, ${new Date().toISOString().slice(0, 16)}Z.`,
      `Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.availableParallelism()} CPUs, Node ${process.version}; load average (1 min) ${loadStart.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end; ${Math.round((performance.now() - started) / 1000)} s in all.`,
      "Ratios: the fastest run of the derivative function ÷ the fastest run of the primal function, per workload, both in the same session of the same tool (load and JIT warm-up only add time); the range over the workloads run, then the range of the ratio of the medians (the measure of issue 17's targets). The details give the number of runs. particle and saddle have no primal: their fastest run is given.",
    ].join('\n');
    writeFileSync(join(dir, `gradbench-table${quick ? '-quick' : ''}.md`), `${header}\n\n${table}\n\n${renderDetails(results)}\n`);
    writeFileSync(join(dir, `gradbench-results${quick ? '-quick' : ''}.json`), `${JSON.stringify({ commit, quick, loadStart, results }, null, 2)}\n`);
    console.log(`\nWrote ${relative(process.cwd(), dir)}/gradbench-table${quick ? '-quick' : ''}.md and gradbench-results${quick ? '-quick' : ''}.json`);
  }
  const failed = results.some((r) => Object.values(r.runs).some((run) => run!.error || run!.summary.problems.length > 0 || !run!.summary.defined));
  return failed ? 1 : 0;
}

process.exitCode = await main();
