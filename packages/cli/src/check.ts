/** `--check`: compares a companion on disk with what would be generated, writing nothing. */
import { createDiagnostic, sameCode, type Diagnostic } from '@adjoint/core';
import { describeError, readTextIfExists, type FileSystem } from './file-system.js';

export type CheckResult =
  | { status: 'fresh' }
  /** Missing or different from the generated text: AD5004. */
  | { status: 'stale'; diagnostic: Diagnostic }
  | { status: 'failed'; diagnostic: Diagnostic };

/**
 * Checks the companion at `target` against `text`; `shownAs` is how the target is named in a
 * diagnostic. A companion the project's formatter has rewritten holds the same code: it is fresh.
 */
export async function checkCompanion(fs: FileSystem, target: string, text: string, shownAs: string): Promise<CheckResult> {
  try {
    const existing = await readTextIfExists(fs, target);
    return existing !== undefined && sameCode(existing, text)
      ? { status: 'fresh' }
      : { status: 'stale', diagnostic: createDiagnostic('AD5004', { path: shownAs }) };
  } catch (error) {
    return { status: 'failed', diagnostic: createDiagnostic('AD5001', { path: shownAs, reason: describeError(error) }) };
  }
}
