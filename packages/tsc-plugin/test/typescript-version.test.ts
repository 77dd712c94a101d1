/** Under TypeScript 7 the tsc plugin says, when it is loaded, that it needs 6 and ts-patch, and what to use instead. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { installedTypeScriptVersion, unsupportedTypeScript } from '../src/typescript-version.js';

const projects: string[] = [];
afterAll(() => projects.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project folder whose node_modules holds a `typescript` of the given version. */
function projectWithTypeScript(version: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'adjoint-ts-version-'));
  projects.push(dir);
  mkdirSync(path.join(dir, 'node_modules/typescript'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules/typescript/package.json'), JSON.stringify({ name: 'typescript', version }));
  return dir;
}

describe('the tsc plugin and the version of TypeScript', () => {
  it('accepts TypeScript 6', () => {
    expect(unsupportedTypeScript('6.0.3')).toBeUndefined();
  });

  it('explains, under TypeScript 7, that it needs 6 and ts-patch and names the CLI and the bundler plugin', () => {
    const message = unsupportedTypeScript('7.0.2')!;
    expect(message).toMatch(/needs TypeScript 6 and ts-patch/);
    expect(message).toContain('TypeScript 7.0.2');
    expect(message).toContain('@adjoint/cli');
    expect(message).toContain('@adjoint/unplugin');
  });

  it("reads the version of the project's TypeScript", () => {
    expect(installedTypeScriptVersion(projectWithTypeScript('7.0.2'))).toBe('7.0.2');
    expect(installedTypeScriptVersion(mkdtempSync(path.join(tmpdir(), 'adjoint-no-ts-')))).toBeUndefined();
  });

  it('says so on stderr when it is loaded in a project with TypeScript 7 (built plugin)', () => {
    const plugin = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const load = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(plugin).href)});`], {
      cwd: projectWithTypeScript('7.0.2'),
      encoding: 'utf8',
    });
    expect(load.stderr).toMatch(/^error: @adjoint\/tsc-plugin needs TypeScript 6 and ts-patch 4 \(build with tspc\), but this project has TypeScript 7\.0\.2\. Under TypeScript 7/);
  });

  it('refuses to run in a compiler other than 6', () => {
    return import('../src/index.js').then(({ default: transformer }) => {
      const fakeTs = { version: '7.0.2', createProgram: () => undefined };
      const program = { getCompilerOptions: () => ({}) };
      expect(() => transformer(program as never, undefined, {}, { ts: fakeTs as never })).toThrow(/needs TypeScript 6/);
    });
  });
});
