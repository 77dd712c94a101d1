/** Reads each discovered source once; the text is handed to the compiler so it is not read again. */
import { createDiagnostic, mayHoldMark, type Diagnostic } from '@adjoint/core';
import { describeError, readText, type FileSystem } from './file-system.js';
import { displayPath } from './paths.js';

/** A source file and its text. */
export interface SourceText {
  path: string;
  text: string;
}

export interface ReadSources {
  /** Every file that could be read, with its text, in discovery order. */
  sources: SourceText[];
  /** AD5001 for each file that could not be read. */
  diagnostics: Diagnostic[];
}

export async function readSources(files: readonly string[], cwd: string, fs: FileSystem): Promise<ReadSources> {
  const result: ReadSources = { sources: [], diagnostics: [] };
  // One file at a time: a large tree read all at once can run out of file descriptors.
  for (const file of files) {
    try {
      result.sources.push({ path: file, text: await readText(fs, file) });
    } catch (error) {
      result.diagnostics.push(createDiagnostic('AD5001', { path: displayPath(cwd, file), reason: describeError(error) }));
    }
  }
  return result;
}

/**
 * A cheap pre-filter: only files that mention the mark (or something that looks like it, which
 * gets a warning) can hold marked functions, so only they are worth handing to the compiler.
 */
export function mentionsMark(source: SourceText): boolean {
  return mayHoldMark(source.text);
}
