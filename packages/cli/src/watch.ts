/**
 * `--watch`: a first pass as without it, then a pass after every change to a source or to a project
 * module a source imports, until SIGINT (or SIGTERM). The cache makes each pass compile only what
 * the change affects. Every pass reports its diagnostics and one line per companion it touched:
 *
 *   12:03:04 regenerated src/physics.grad.ts (1 function, 38 ms)
 *
 * A file with errors is reported and watching goes on; so does an internal error.
 */
import * as path from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import { isCompilableSourcePath } from '@adjoint/core';
import type { Environment } from './environment.js';
import { ExitCode } from './exit-code.js';
import { runPass, type CompiledSource, type PassReport, type PassState, type RunOptions } from './generate.js';
import { describeRemoval } from './left-behind.js';
import { displayPath } from './paths.js';
import { printDebugHint, printDiagnostics, printInternalError, printSummary } from './report.js';

/**
 * Changes arriving within this many milliseconds of each other make one pass. It must exceed the
 * 50 ms for which chokidar drops further 'change' events of a file after reporting one: a pass
 * starts only once no change has been reported for this long, so it reads every save chokidar
 * dropped (a second save 45 ms after the first, once a pass took less than that, was lost).
 */
const SETTLE_MS = 60;

export async function watch(options: RunOptions, env: Environment): Promise<ExitCode> {
  const state: PassState = {};
  // ends on Ctrl-C, or once what reads its output has gone (`adjoint --watch src | head -3`)
  const signals = [env.signal ?? stopOnProcessSignals(), env.stdout.gone].filter((s): s is AbortSignal => s !== undefined);
  const stop = AbortSignal.any(signals);
  const roots = options.inputs.map((input) => path.resolve(env.cwd, input));
  const outDir = options.outDir === undefined ? undefined : path.resolve(env.cwd, options.outDir);

  const first = await safePass(options, env, state);
  if (first) {
    printDiagnostics(env.stderr, first.diagnostics, env.cwd, first.sourceTexts);
    if (first.crashed) printDebugHint(env.stderr, env.debug);
    printSummary(env.stdout, first.sourceFiles, first.counts, first.diagnostics);
  }
  if (stop.aborted) return ExitCode.Success;

  const watcher = chokidarWatch([...roots, ...(first?.dependencies ?? [])], {
    ignoreInitial: true,
    ignored: (file, stats) => isIgnored(file, stats, roots, outDir),
  });
  const watched = new Set([...roots, ...(first?.dependencies ?? [])]);

  let running: Promise<void> | undefined;
  let again = false;
  let lastChange = 0;
  const untilQuiet = async () => {
    for (let wait = SETTLE_MS; wait > 0; wait = lastChange + SETTLE_MS - performance.now()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  const passLoop = async () => {
    do {
      await untilQuiet();
      if (stop.aborted) break;
      again = false;
      const started = performance.now();
      const report = await safePass(options, env, state);
      if (!report) continue;
      // The warnings of files that did not change were shown before.
      const diagnostics = report.diagnostics.filter((d) => !report.replayed.has(d));
      printDiagnostics(env.stderr, diagnostics, env.cwd, report.sourceTexts);
      if (report.crashed) printDebugHint(env.stderr, env.debug);
      const elapsed = Math.round(performance.now() - started);
      for (const compiled of report.compiled) {
        if (compiled.changed) env.stdout.write(`${clock()} ${describe(compiled, env.cwd, elapsed)}\n`);
      }
      for (const removed of report.removed) env.stdout.write(`${clock()} ${describeRemoval(env.cwd, removed)}\n`);
      const fresh = report.dependencies.filter((file) => !watched.has(file));
      if (fresh.length > 0) {
        fresh.forEach((file) => watched.add(file));
        watcher.add(fresh);
      }
    } while (again && !stop.aborted);
    running = undefined;
  };
  const schedule = () => {
    if (stop.aborted) return;
    lastChange = performance.now();
    if (running) again = true;
    else running = passLoop();
  };
  watcher.on('all', (event, file) => {
    if (event === 'addDir' || event === 'unlinkDir' || isCompilableSourcePath(file)) {
      if (env.debug) env.stderr.write(`[watch] ${event} ${displayPath(env.cwd, file)}\n`);
      schedule();
    }
  });
  watcher.on('error', (error) => printInternalError(env.stderr, options.inputs.join(' '), error, env.debug));

  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  if (!stop.aborted) {
    env.stdout.write(`Watching ${options.inputs.join(' ')} for changes; press Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  }
  await watcher.close();
  // A pass under way finishes: its companions are written whole, and the cache is saved.
  await running;
  return ExitCode.Success;
}

/** A pass, or undefined when Adjoint itself failed (reported as AD9001); watching goes on either way. */
async function safePass(options: RunOptions, env: Environment, state: PassState): Promise<PassReport | undefined> {
  try {
    return await runPass(options, env, state);
  } catch (error) {
    printInternalError(env.stderr, options.inputs.join(' '), error, env.debug);
    return undefined;
  }
}

/** `regenerated src/physics.grad.ts (1 function, 38 ms)` and the like. */
function describe(compiled: CompiledSource, cwd: string, ms: number): string {
  const functions = `${compiled.functions.length} function${compiled.functions.length === 1 ? '' : 's'}`;
  switch (compiled.status) {
    case 'written':
      return `regenerated ${displayPath(cwd, compiled.target)} (${functions}, ${ms} ms)`;
    case 'unchanged':
      return `${displayPath(cwd, compiled.target)} is unchanged (${functions}, ${ms} ms)`;
    case 'failed':
      return `${displayPath(cwd, compiled.source)} has errors: its companion was not regenerated (${ms} ms)`;
    case 'none':
      return `${displayPath(cwd, compiled.source)} has no marked function (${ms} ms)`;
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/**
 * What the watcher leaves alone: the companions (its own output), everything under --out-dir,
 * files that are not TypeScript sources, and below an input folder what discovery skips
 * (node_modules, dist, dot-folders).
 */
function isIgnored(file: string, stats: { isFile(): boolean } | undefined, roots: readonly string[], outDir: string | undefined): boolean {
  if (/\.grad\.(ts|mts|cts)$/.test(file)) return true;
  if (outDir !== undefined && (file === outDir || file.startsWith(outDir + path.sep))) return true;
  if (stats?.isFile() && !isCompilableSourcePath(file)) return true;
  const root = roots.find((r) => file === r || file.startsWith(r + path.sep));
  if (root === undefined) return false;
  return path
    .relative(root, file)
    .split(path.sep)
    .some((part) => part.startsWith('.') || part === 'node_modules' || part === 'dist');
}

/** Aborts on the first SIGINT or SIGTERM; a second one ends the process at once. */
function stopOnProcessSignals(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  controller.signal.addEventListener('abort', () => {
    // Let the process end by itself once the watcher is closed; a second signal still ends it.
    setImmediate(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  });
  return controller.signal;
}
