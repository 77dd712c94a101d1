/** One run of `adjoint`: a pass over the inputs, reported; or, with `--watch`, one pass per change. */
import { nodeEnvironment, type Environment } from './environment.js';
import type { ExitCode } from './exit-code.js';
import { dumpIr } from './dump-ir.js';
import { runPass, type RunOptions } from './generate.js';
import { printDebugHint, printDiagnostics, printSummary } from './report.js';
import { watch } from './watch.js';

export type { RunOptions } from './generate.js';

/**
 * Runs the command on `options` and returns its exit code. Everything outside (files, compiler,
 * terminals) comes from `environment`; tests override parts of it.
 */
export async function run(options: RunOptions, environment: Partial<Environment> = {}): Promise<ExitCode> {
  const env: Environment = { ...nodeEnvironment(), ...environment };
  if (options.dumpIr !== undefined) return dumpIr(options, env);
  if (options.watch) return watch(options, env);
  const report = await runPass(options, env);
  printDiagnostics(env.stderr, report.diagnostics, env.cwd, report.sourceTexts);
  if (report.crashed) printDebugHint(env.stderr, env.debug);
  printSummary(env.stdout, report.sourceFiles, report.counts, report.diagnostics);
  return report.exitCode;
}
