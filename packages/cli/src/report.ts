/** Everything `adjoint` prints: diagnostics, the summary line, usage and internal errors. */
import * as path from 'node:path';
import pc from 'picocolors';
import { createDiagnostic, formatDiagnostic, type Diagnostic, type SourceLocation } from '@adjoint/core';
import type { Terminal } from './environment.js';
import { displayPath } from './paths.js';

/** What happened to the companions, for the summary line. */
export type CompanionCounts =
  /**
   * `companions` written or left unchanged, `unchanged` of them already up to date, `cached` of
   * those known to be up to date from the cache (not compiled at all); `removed` companions whose
   * source no longer marks a function or is gone.
   */
  | { mode: 'generate'; companions: number; unchanged: number; cached: number; removed: number }
  /** `companions` compared, `stale` of them missing, different, or left behind by their source. */
  | { mode: 'check'; companions: number; stale: number };

/**
 * Prints diagnostics tsc-style with a code frame, paths relative to `cwd`. `sourceTexts` maps
 * absolute paths to the texts that were read, so the frame shows what was compiled.
 */
export function printDiagnostics(
  terminal: Terminal,
  diagnostics: readonly Diagnostic[],
  cwd: string,
  sourceTexts: ReadonlyMap<string, string>,
): void {
  for (const diagnostic of diagnostics) {
    const sourceText = diagnostic.location && sourceTexts.get(path.resolve(cwd, diagnostic.location.file));
    const shown = withRelativePaths(diagnostic, cwd);
    terminal.write(`${formatDiagnostic(shown, { sourceText, color: terminal.color })}\n\n`);
  }
}

function withRelativePaths(diagnostic: Diagnostic, cwd: string): Diagnostic {
  const relative = (location: SourceLocation): SourceLocation => ({ ...location, file: displayPath(cwd, location.file) });
  const shown: Diagnostic = { ...diagnostic };
  if (diagnostic.location) shown.location = relative(diagnostic.location);
  if (diagnostic.notes) {
    shown.notes = diagnostic.notes.map((note) => (note.location ? { ...note, location: relative(note.location) } : note));
  }
  return shown;
}

/**
 * For example `Generated 3 companions (2 unchanged) from 5 files; 1 error, 0 warnings.`, with the
 * cache `Generated 40 companions (39 unchanged, 39 cached) from 40 files; 0 errors, 0 warnings.`,
 * and `Generated 1 companion and removed 1 from 2 files; …` when a source lost its mark.
 */
export function printSummary(terminal: Terminal, sourceFiles: number, counts: CompanionCounts, diagnostics: readonly Diagnostic[]): void {
  const colors = pc.createColors(terminal.color);
  const errors = diagnostics.filter((d) => d.category === 'error').length;
  const warnings = diagnostics.length - errors;
  const companions =
    counts.mode === 'generate'
      ? `Generated ${count(counts.companions, 'companion')}${unchangedNote(counts.unchanged, counts.cached)}${counts.removed > 0 ? ` and removed ${counts.removed}` : ''}`
      : `Checked ${count(counts.companions, 'companion')}${counts.stale > 0 ? ` (${counts.stale} stale)` : ''}`;
  const errorText = count(errors, 'error');
  const warningText = count(warnings, 'warning');
  terminal.write(
    `${companions} from ${count(sourceFiles, 'file')}; ` +
      `${errors > 0 ? colors.red(errorText) : errorText}, ${warnings > 0 ? colors.yellow(warningText) : warningText}.\n`,
  );
}

/** ` (3 unchanged)`, or ` (3 unchanged, 2 cached)` when 2 of them were not even compiled. */
function unchangedNote(unchanged: number, cached: number): string {
  if (unchanged === 0) return '';
  return cached > 0 ? ` (${unchanged} unchanged, ${cached} cached)` : ` (${unchanged} unchanged)`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A mistake on the command line: a short message and where to find the usage, never a stack. */
export function printUsageError(terminal: Terminal, message: string): void {
  const colors = pc.createColors(terminal.color);
  terminal.write(`${colors.red('error')}: ${message}\nRun ${colors.bold('adjoint --help')} for usage.\n`);
}

/** After an AD9001 diagnostic for a compiler crash: how to see the stack. */
export function printDebugHint(terminal: Terminal, debug: boolean): void {
  if (!debug) terminal.write('Set ADJOINT_DEBUG=1 to print the stack trace.\n');
}

/** A bug in Adjoint: AD9001 naming what was being compiled; the stack only with ADJOINT_DEBUG=1. */
export function printInternalError(terminal: Terminal, compiling: string, error: unknown, debug: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  terminal.write(`${formatDiagnostic(createDiagnostic('AD9001', { functions: compiling, error: message }), { color: terminal.color })}\n`);
  terminal.write(debug && error instanceof Error && error.stack ? `\n${error.stack}\n` : 'Set ADJOINT_DEBUG=1 to print the stack trace.\n');
}
