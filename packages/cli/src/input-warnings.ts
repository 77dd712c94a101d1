/**
 * Warnings about what a run did not compile, so that it never ends with "Generated 0 companions"
 * and no hint: an input holding no marked function (AD5007), and a .tsx or .jsx file that marks
 * functions, which Adjoint does not compile (AD5008).
 */
import * as path from 'node:path';
import { createDiagnostic, type Diagnostic } from '@adjoint/core';
import type { Discovery } from './discover.js';
import { readTextIfExists, type FileSystem } from './file-system.js';
import { displayPath } from './paths.js';

const MARK = '@differentiable';

export async function inputWarnings(
  inputs: readonly string[],
  cwd: string,
  fs: FileSystem,
  discovery: Discovery,
  marked: ReadonlyArray<{ path: string }>,
): Promise<Diagnostic[]> {
  const warnings: Diagnostic[] = [];
  for (const file of discovery.notCompiled) {
    const text = await readTextIfExists(fs, file).catch(() => undefined);
    if (text?.includes(MARK)) warnings.push(createDiagnostic('AD5008', { path: displayPath(cwd, file) }));
  }
  const holdsMarks = (input: string) => {
    const absolute = path.resolve(cwd, input);
    return marked.some((source) => source.path === absolute || source.path.startsWith(absolute + path.sep));
  };
  for (const input of inputs) {
    if (holdsMarks(input)) continue;
    // an input that does not exist or cannot be read has its own error
    const exists = await fs.stat(path.resolve(cwd, input)).then(
      () => true,
      () => false,
    );
    if (exists) warnings.push(createDiagnostic('AD5007', { path: input }));
  }
  return warnings;
}
