/**
 * Node built-ins in the browser bundle: none. ts-morph (and the TypeScript it bundles) import
 * `fs`, `path`, `os` and a few more for their real file system host and their Node `sys`, which the
 * compiler never uses (it compiles on ts-morph's in-memory file system); each such import is
 * resolved to a browser module here. Any other import of a Node built-in fails the build, so that
 * the bundle can never carry one silently (Vite would otherwise replace it with an empty module and
 * only warn).
 */
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const shim = (file: string) => fileURLToPath(new URL(`../src/node-shims/${file}`, import.meta.url));

/** What each Node built-in becomes, by its name without `node:`. */
const browserModules: Record<string, string> = {
  path: shim('path.ts'),
  fs: shim('fs.ts'),
  'fs/promises': shim('fs.ts'),
  os: shim('empty.ts'),
  // TypeScript's Node `sys`, tracing and plugin loading, created only when it runs under Node
  crypto: shim('empty.ts'),
  perf_hooks: shim('empty.ts'),
  inspector: shim('empty.ts'),
};

export function nodeBuiltinsForTheBrowser(): Plugin {
  return {
    name: 'adjoint:node-builtins-for-the-browser',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!isBuiltin(source)) return null;
      const name = source.replace(/^node:/, '');
      const browserModule = browserModules[name];
      const thirdParty = importer?.includes('/node_modules/') ?? false;
      if (browserModule && thirdParty) return browserModule;
      this.error(`${importer ?? 'an entry'} imports the Node built-in '${source}', which the playground's browser bundle must not contain`);
    },
  };
}
