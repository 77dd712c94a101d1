/**
 * The temporary files companions are written to before they are renamed into place
 * (`a.grad.ts.<pid>.<12 hex digits>.tmp`, beside the companion), and those a run that was killed
 * while writing left behind: a later run removes them from the folders it searches, and beside
 * the companions of the files it is given by name. A temporary file whose writer is still running
 * (another `adjoint` at work) is never touched.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { sourcePathFor } from '@adjoint/core';
import { errorCode, type FileSystem } from './file-system.js';

const TEMPORARY_SUFFIX = /\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** A fresh temporary path beside `target`, named after this process. */
export function temporaryPathFor(target: string): string {
  return `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** True for the name of a companion's temporary file (`a.grad.ts.1234.0123456789ab.tmp`). */
export function isCompanionTemporary(name: string): boolean {
  const match = TEMPORARY_SUFFIX.exec(name);
  return match !== null && sourcePathFor(name.slice(0, match.index)) !== undefined;
}

/** The temporary files beside `companion` that were written for it (none if its folder cannot be read). */
export async function temporariesOf(fs: FileSystem, companion: string): Promise<string[]> {
  const folder = path.dirname(companion);
  const prefix = `${path.basename(companion)}.`;
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.startsWith(prefix) && isCompanionTemporary(entry.name))
    .map((entry) => path.join(folder, entry.name));
}

/** Removes those of `files` whose writer is no longer running; a file that cannot be removed is left. */
export async function removeAbandonedTemporaries(fs: FileSystem, files: Iterable<string>): Promise<void> {
  for (const file of files) {
    const writer = Number(TEMPORARY_SUFFIX.exec(file)?.[1]);
    if (isCompanionTemporary(file) && !isRunning(writer)) await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

/** Whether a process with this id exists (EPERM: it does, owned by someone else). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
