/**
 * Formats diagnostics like tsc: `src/foo.ts:12:5 - error AD1003: message`, then a code frame with
 * the offending text underlined, then the fix and any notes.
 */
import type { Diagnostic } from '../api.js';

export interface FormatOptions {
  /** The text of the file the diagnostic points into, for the code frame. */
  sourceText?: string;
  /** Wrap parts in ANSI colours (default false). */
  color?: boolean;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string) => s;

export function formatDiagnostic(diagnostic: Diagnostic, options: FormatOptions = {}): string {
  const red = options.color ? ansi(31) : plain;
  const yellow = options.color ? ansi(33) : plain;
  const cyan = options.color ? ansi(36) : plain;
  const grey = options.color ? ansi(90) : plain;
  const { location } = diagnostic;
  const where = location ? `${cyan(location.file)}:${yellow(String(location.line))}:${yellow(String(location.column))} - ` : '';
  const kind = diagnostic.category === 'error' ? red('error') : yellow('warning');
  const lines = [`${where}${kind} ${grey(diagnostic.code + ':')} ${diagnostic.message}`];
  if (location && options.sourceText !== undefined) {
    lines.push('', ...codeFrame(options.sourceText, location.line, location.column, location.length, grey, red));
  }
  if (diagnostic.fix) lines.push('', `  fix: ${diagnostic.fix}`);
  for (const note of diagnostic.notes ?? []) {
    const at = note.location ? `${note.location.file}:${note.location.line}:${note.location.column} - ` : '';
    lines.push(`  note: ${at}${note.message}`);
  }
  return lines.join('\n');
}

function codeFrame(
  text: string,
  line: number,
  column: number,
  length: number,
  grey: (s: string) => string,
  red: (s: string) => string,
): string[] {
  const sourceLine = (text.split(/\r?\n/)[line - 1] ?? '').replace(/\t/g, ' ');
  const gutter = String(line);
  const underlineLength = Math.max(1, Math.min(length, sourceLine.length - column + 1));
  return [`${grey(gutter)} ${sourceLine}`, `${' '.repeat(gutter.length)} ${' '.repeat(column - 1)}${red('~'.repeat(underlineLength))}`];
}
