/** The file operations the CLI performs, behind an interface so tests can make any of them fail. */
import type { Dirent, Stats } from 'node:fs';
import { decodeSourceText } from '@adjoint/core';

/** A subset of `node:fs/promises`; that module satisfies it as it is. */
export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string, options: { flag: 'wx' }): Promise<void>;
  rename(oldPath: string, newPath: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string | undefined>;
  readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
  stat(path: string): Promise<Stats>;
}

/**
 * The text of a file, decoded as TypeScript decodes sources (UTF-8, or UTF-16 with a byte-order
 * mark). Only a regular file is read: a FIFO would block for ever, and a device such as /dev/zero
 * would never end, so anything else but a folder (whose read fails with EISDIR) throws ENOTREG.
 */
export async function readText(fs: FileSystem, filePath: string): Promise<string> {
  const stats = await fs.stat(filePath);
  if (!stats.isFile() && !stats.isDirectory()) {
    throw Object.assign(new Error(`ENOTREG: not a regular file but ${kindOf(stats)}`), { code: 'ENOTREG' });
  }
  return decodeSourceText(await fs.readFile(filePath));
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'something else';
}

/**
 * The text of a file (see readText), or `undefined` when there is no file at that path (ENOTDIR: a
 * folder on the way is a file, so there is none). Other failures throw.
 */
export async function readTextIfExists(fs: FileSystem, filePath: string): Promise<string | undefined> {
  try {
    return await readText(fs, filePath);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** True when there is a folder at that path (false when there is nothing, or something else). */
export async function isFolder(fs: FileSystem, folder: string): Promise<boolean> {
  try {
    return (await fs.stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The reason an operation failed, for a diagnostic that already names the file. Node's system
 * errors read `EACCES: permission denied, open '/abs/path'`; the part before the comma is the reason.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return errorCode(error) !== undefined ? error.message.split(',')[0] : error.message;
}
