/** Writes one companion: never over a file Adjoint did not generate, never half written. */
import * as path from 'node:path';
import { createDiagnostic, isGeneratedText, type Diagnostic } from '@adjoint/core';
import { describeError, errorCode, isFolder, readTextIfExists, type FileSystem } from './file-system.js';
import { temporaryPathFor } from './temporary-files.js';

export type WriteResult =
  | { status: 'written' }
  /** The file already holds exactly this text; it is left alone so its mtime does not change. */
  | { status: 'unchanged' }
  | { status: 'failed'; diagnostic: Diagnostic };

/** Writes `text` to `target`; `shownAs` is how the target is named in a diagnostic. */
export async function writeCompanion(fs: FileSystem, target: string, text: string, shownAs: string): Promise<WriteResult> {
  let existing: string | undefined;
  try {
    existing = await readTextIfExists(fs, target);
  } catch (error) {
    // A folder (or a FIFO, a device) where the companion should go cannot be written over: say so,
    // not that it cannot be read.
    const code = errorCode(error) === 'EISDIR' || errorCode(error) === 'ENOTREG' ? 'AD5003' : 'AD5001';
    return { status: 'failed', diagnostic: createDiagnostic(code, { path: shownAs, reason: describeError(error) }) };
  }
  if (existing === text) return { status: 'unchanged' };
  if (existing !== undefined && !isGeneratedText(existing)) {
    return { status: 'failed', diagnostic: createDiagnostic('AD5002', { path: shownAs }) };
  }
  try {
    await replaceAtomically(fs, target, text);
    return { status: 'written' };
  } catch (error) {
    const reason =
      error instanceof NotAFolder ? `'${path.join(shownAs, path.relative(target, error.folder))}' is not a folder` : describeError(error);
    return { status: 'failed', diagnostic: createDiagnostic('AD5003', { path: shownAs, reason }) };
  }
}

/**
 * Writes a temporary file beside the target and renames it over the target, so that readers see
 * either the old file or the new one, never a partial write. The temporary file is removed on failure.
 */
export async function replaceAtomically(fs: FileSystem, target: string, text: string): Promise<void> {
  await makeFolder(fs, path.dirname(target));
  const temporary = temporaryPathFor(target);
  try {
    await fs.writeFile(temporary, text, { flag: 'wx' });
    await fs.rename(temporary, target);
  } catch (error) {
    // If even the clean-up fails there is nothing more to do; report the original failure.
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Something that is not a folder (a file, a device such as /dev/full) where a folder must be. */
class NotAFolder extends Error {
  constructor(readonly folder: string) {
    super(`ENOTDIR: '${folder}' is not a folder`);
  }
}

/**
 * `mkdir -p`, except that something other than a folder on the way is NotAFolder, naming it:
 * mkdir says EEXIST ("file already exists", which reads as if the companion were there) or
 * ENOTDIR, naming neither.
 */
async function makeFolder(fs: FileSystem, folder: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST' && errorCode(error) !== 'ENOTDIR') throw error;
    let blocking = folder;
    for (let up = path.dirname(folder); up !== blocking && !(await isFolder(fs, up)); up = path.dirname(up)) blocking = up;
    throw new NotAFolder(blocking);
  }
}
