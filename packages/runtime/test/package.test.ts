/**
 * The runtime is what a user's bundle holds: no dependencies, no Node built-ins, nothing imported
 * but its own modules; and the compiler's embedded copy of it (core/src/runtime) is current.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stopGradient } from '../src/index.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

describe('@adjoint/runtime', () => {
  it('has no dependencies', () => {
    const manifest = JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
  });

  it('imports nothing but its own modules', () => {
    const sources = readdirSync(`${packageRoot}src`).filter((f) => f.endsWith('.ts'));
    const imported = sources.flatMap((file) =>
      [...readFileSync(`${packageRoot}src/${file}`, 'utf8').matchAll(/^(?:import|export)\b[^;]*?(?:from\s*)?'([^']+)'/gm)].map((m) => m[1]!),
    );
    expect(imported.filter((specifier) => !specifier.startsWith('./'))).toEqual([]);
  });

  it('stopGradient returns its argument', () => {
    const o = { a: 1 };
    expect(stopGradient(o)).toBe(o);
    expect(stopGradient(2.5)).toBe(2.5);
  });

  it("is what the compiler copies into companions (core's embedded copy is current)", () => {
    const script = fileURLToPath(new URL('../../../scripts/embed-runtime.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
