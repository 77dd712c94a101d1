/**
 * The few path operations the core needs, on `/`-separated paths, written here so that the core
 * imports no Node built-in and runs in a browser or a Web Worker. They follow `node:path`'s posix
 * functions; a relative path stays relative (there is no working folder to resolve it against),
 * which keeps every comparison consistent as long as one compilation names a file one way.
 */

/** `a/./b/../c` → `a/c`; `/x/..` → `/`; a relative path keeps its leading `..`s. */
export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export function join(...paths: string[]): string {
  return normalize(paths.filter((p) => p !== '').join('/'));
}

/** The folder of a path: `a/b.ts` → `a`, `b.ts` → `.`, `/b.ts` → `/`. */
export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash);
}

/** The last part of a path: `a/b.ts` → `b.ts` (a Windows path's `\` separates parts too). */
export function basename(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}

/** `from` and `to` normalized, then the `..`s and parts that lead from the one to the other. */
export function relative(from: string, to: string): string {
  const fromParts = normalize(from)
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  const toParts = normalize(to)
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}
