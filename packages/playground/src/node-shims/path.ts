/**
 * `node:path` in the browser: path-browserify (Node's POSIX path module, ported), with the named
 * exports that ES modules import from `node:path` (path-browserify is CommonJS). `resolve` of a
 * relative path reads `process.cwd()`, which a browser has not: the playground's paths are absolute.
 */
import path from 'path-browserify';

export const { resolve, normalize, isAbsolute, join, relative, dirname, basename, extname, format, parse, sep, delimiter, posix } = path;
export default path;
