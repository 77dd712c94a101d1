/**
 * The tsc plugin runs inside TypeScript 6's compiler through ts-patch. TypeScript 7 (the native
 * port, which `npm install typescript` installs now) has no plugin API: there the plugin cannot
 * work, and says so, naming the ways in that do.
 */
import { createRequire } from 'node:module';

export const TYPESCRIPT_7_ALTERNATIVES =
  'Under TypeScript 7, which has no plugin API, use the command line instead (npm install --save-dev @adjoint/cli, then npx adjoint src: companions beside the sources, which tsc 7 type-checks) or the bundler plugin (@adjoint/unplugin for Vite, Rollup, esbuild and webpack). Both parse with their own TypeScript 6.';

/** The message for a TypeScript the plugin cannot run in, or undefined for a 6.x. */
export function unsupportedTypeScript(version: string | undefined): string | undefined {
  if (version !== undefined && /^6\./.test(version)) return undefined;
  const found = version === undefined ? 'no TypeScript could be found' : `this project has TypeScript ${version}`;
  return `@adjoint/tsc-plugin needs TypeScript 6 and ts-patch 4 (build with tspc), but ${found}. ${TYPESCRIPT_7_ALTERNATIVES}`;
}

/** The version of the `typescript` package that a module in `directory` would load. */
export function installedTypeScriptVersion(directory: string): string | undefined {
  try {
    const require = createRequire(`${directory}/`);
    return (require('typescript/package.json') as { version?: string }).version;
  } catch {
    return undefined;
  }
}
