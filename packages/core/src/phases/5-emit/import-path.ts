/**
 * How a companion names the modules it imports: a package by its name, a project module (the
 * source itself, for a derivative rule it defines, or a module holding another one) by a path
 * relative to the companion's own folder, which is not the source's when the companion is written
 * elsewhere (the CLI's --out-dir). The emitter quotes the result.
 */
import type { ParsedFile } from '../1-parse/index.js';
import * as path from '../../posix-path.js';

export function importPath(source: ParsedFile, companionPath: string, target: { path?: string; packageName?: string }): string {
  if (target.packageName) return target.packageName;
  const relative = path.relative(path.dirname(companionPath), target.path!).replace(/\.(m|c)?ts$/, '');
  // (a file named .x.ts gives '.x', which is not a relative specifier: './.x' is)
  const withDot = /^\.\.?\//.test(relative) ? relative : `./${relative}`;
  // as the source writes its relative imports: without an extension only where it does so itself
  // (its project resolves them), else `.js`, which module nodenext requires and bundlers accept
  const relativeImports = source.sourceFile
    .getImportDeclarations()
    .map((i) => i.getModuleSpecifierValue())
    .filter((m) => m.startsWith('.'));
  const extensionless = relativeImports.length > 0 && relativeImports.every((m) => !/\.[mc]?[jt]s$/.test(m));
  return extensionless ? withDot : `${withDot}.js`;
}
