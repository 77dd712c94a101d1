/**
 * The project's Prettier configuration, for the companions: with it, companions are laid out as
 * `prettier --write` would lay them out, so that running it leaves them as they are. A project
 * without a configuration gets Adjoint's style (and `--check` compares code, not layout).
 */
import type { PrettierOptions } from '@adjoint/core';
import { resolveConfig } from 'prettier';

/** The options `prettier.resolveConfig` finds for each companion path; a path without any is absent. */
export async function projectFormatOptions(companionPaths: readonly string[]): Promise<Map<string, PrettierOptions>> {
  const options = new Map<string, PrettierOptions>();
  for (const companionPath of companionPaths) {
    try {
      // editorconfig: as `prettier --write` reads it, indentation and line width included
      const found = await resolveConfig(companionPath, { editorconfig: true, useCache: false });
      if (found) options.set(companionPath, found as PrettierOptions);
    } catch {
      // a configuration prettier cannot read is the project's to fix; Adjoint's style meanwhile
    }
  }
  return options;
}
