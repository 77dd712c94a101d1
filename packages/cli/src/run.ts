/** One run of `adjoint`: discover, read, compile, then write or check the companions. */
import * as path from 'node:path';
import type { CompanionOutput, Diagnostic } from '@adjoint/core';
import { checkCompanion } from './check.js';
import { discoverSources } from './discover.js';
import { nodeEnvironment, type Environment } from './environment.js';
import { ExitCode } from './exit-code.js';
import { companionTarget, displayPath } from './paths.js';
import { mentionsMark, readSources } from './read-sources.js';
import { printDiagnostics, printSummary, type CompanionCounts } from './report.js';
import { writeCompanion } from './write.js';

export interface RunOptions {
  /** Files and folders, absolute or relative to the environment's `cwd`. */
  inputs: string[];
  /** Write companions under this folder instead of beside their sources. */
  outDir?: string;
  /** Write nothing; report each companion that is missing or differs from what would be generated. */
  check?: boolean;
}

/** Where the companions go: `base` is mirrored under `outDir`, or companions stay beside their sources. */
interface Placement {
  base: string;
  outDir: string | undefined;
}

/**
 * Runs the command on `options` and returns its exit code. Everything outside (files, compiler,
 * terminals) comes from `environment`; tests override parts of it.
 */
export async function run(options: RunOptions, environment: Partial<Environment> = {}): Promise<ExitCode> {
  const env: Environment = { ...nodeEnvironment(), ...environment };
  const discovery = await discoverSources(options.inputs, env.cwd, env.fs);
  const read = await readSources(discovery.files, env.cwd, env.fs);
  const marked = read.sources.filter(mentionsMark);
  const compiled = marked.length > 0 ? await env.compile(marked) : { outputs: [], diagnostics: [] };

  const placement: Placement = {
    base: discovery.base,
    outDir: options.outDir === undefined ? undefined : path.resolve(env.cwd, options.outDir),
  };
  const emitted = options.check
    ? await checkAll(compiled.outputs, placement, env)
    : await writeAll(compiled.outputs, placement, env);

  const diagnostics = [...discovery.diagnostics, ...read.diagnostics, ...compiled.diagnostics, ...emitted.diagnostics];
  const sourceTexts = new Map(read.sources.map((source) => [source.path, source.text]));
  printDiagnostics(env.stderr, diagnostics, env.cwd, sourceTexts);
  printSummary(env.stdout, discovery.files.length, emitted.counts, diagnostics);
  return diagnostics.some((d) => d.category === 'error') ? ExitCode.Failure : ExitCode.Success;
}

interface Emitted {
  counts: CompanionCounts;
  diagnostics: Diagnostic[];
}

async function writeAll(outputs: readonly CompanionOutput[], placement: Placement, env: Environment): Promise<Emitted> {
  const counts = { mode: 'generate' as const, companions: 0, unchanged: 0 };
  const diagnostics: Diagnostic[] = [];
  for (const output of outputs) {
    const target = companionTarget(output.companionPath, placement.base, placement.outDir);
    const result = await writeCompanion(env.fs, target, output.text, displayPath(env.cwd, target));
    if (result.status === 'failed') {
      diagnostics.push(result.diagnostic);
      continue;
    }
    counts.companions++;
    if (result.status === 'unchanged') counts.unchanged++;
  }
  return { counts, diagnostics };
}

async function checkAll(outputs: readonly CompanionOutput[], placement: Placement, env: Environment): Promise<Emitted> {
  const counts = { mode: 'check' as const, companions: 0, stale: 0 };
  const diagnostics: Diagnostic[] = [];
  for (const output of outputs) {
    const target = companionTarget(output.companionPath, placement.base, placement.outDir);
    const result = await checkCompanion(env.fs, target, output.text, displayPath(env.cwd, target));
    if (result.status !== 'fresh') diagnostics.push(result.diagnostic);
    if (result.status === 'failed') continue;
    counts.companions++;
    if (result.status === 'stale') counts.stale++;
  }
  return { counts, diagnostics };
}
