/** The file operations the CLI performs, behind an interface so tests can make any of them fail. */
import type { Dirent, Stats } from 'node:fs';

/** A subset of `node:fs/promises`; that module satisfies it as it is. */
export interface FileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, options: { flag: 'wx' }): Promise<void>;
  rename(oldPath: string, newPath: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string | undefined>;
  readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
  stat(path: string): Promise<Stats>;
}

/**
 * The text of a file, or `undefined` when there is no file at that path (ENOTDIR: a folder on the
 * way is a file, so there is none). Other failures throw.
 */
export async function readTextIfExists(fs: FileSystem, filePath: string): Promise<string | undefined> {
  try {
    return await fs.readFile(filePath, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
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
