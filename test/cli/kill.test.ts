/**
 * Nothing lost: `adjoint` killed with SIGKILL while it writes 200 companions leaves each one
 * absent, whole and old, or whole and new — never truncated — and `--check` then names every
 * companion that is still old. The command runs as built (packages/cli/dist) with a stand-in
 * compiler that makes large companions at once (fixtures/fake-adjoint.mjs), so that the kill
 * lands while it writes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, removeTempFolders } from './helpers.js';
// @ts-expect-error: a JavaScript fixture without types
import { companionText } from './fixtures/fake-adjoint.mjs';

const FAKE = fileURLToPath(new URL('./fixtures/fake-adjoint.mjs', import.meta.url));
const FILES = 200;

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../../packages/cli/dist/index.js', import.meta.url)))) {
    throw new Error('packages/cli/dist is missing: run `pnpm build` first.');
  }
});
afterEach(removeTempFolders);

const name = (i: number) => `m${String(i).padStart(3, '0')}`;
const source = (i: number, version: string) => `/** @differentiable */\nexport function f${i}(x: number): number {\n  return x; // VERSION ${version}\n}\n`;

function fake(cwd: string, kilobytes: number, ...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [FAKE, ...args], { cwd, encoding: 'utf8', env: { ...process.env, COMPANION_KB: String(kilobytes) } });
  return { code: status, stdout, stderr };
}

/** Starts a run and SIGKILLs it as soon as the first companion has been replaced; resolves when it is dead. */
async function killMidRun(root: string, kilobytes: number, firstCompanion: string, oldSize: number): Promise<void> {
  const child = spawn(process.execPath, [FAKE, '.'], { cwd: root, stdio: 'ignore', env: { ...process.env, COMPANION_KB: String(kilobytes) } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  let running = true;
  void exited.then(() => (running = false));
  while (running && Date.now() < deadline) {
    if (statSync(firstCompanion, { throwIfNoEntry: false })?.size !== oldSize) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  child.kill('SIGKILL');
  await exited;
}

describe('killing adjoint while it writes', () => {
  it('leaves every companion whole (old or new), and --check names the old ones', async () => {
    let kilobytes = 64;
    for (let attempt = 1; ; attempt++) {
      const files: Record<string, string> = {};
      for (let i = 0; i < FILES; i++) files[`src/${name(i)}.ts`] = source(i, 'old');
      const root = await makeTree(files);
      const first = fake(root, kilobytes, '.');
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const companion = (i: number) => path.join(root, 'src', `${name(i)}.grad.ts`);
      const oldText = (i: number) => companionText(`${name(i)}.ts`, 'old', kilobytes);
      const newText = (i: number) => companionText(`${name(i)}.ts`, 'newer', kilobytes);
      expect(readFileSync(companion(0), 'utf8')).toBe(oldText(0));

      for (let i = 0; i < FILES; i++) await writeFile(path.join(root, 'src', `${name(i)}.ts`), source(i, 'newer'));
      await killMidRun(root, kilobytes, companion(0), Buffer.byteLength(oldText(0)));

      const states = Array.from({ length: FILES }, (_, i) => {
        const text = existsSync(companion(i)) ? readFileSync(companion(i), 'utf8') : undefined;
        return text === oldText(i) ? 'old' : text === newText(i) ? 'new' : text === undefined ? 'absent' : 'corrupt';
      });
      expect(states.filter((s) => s === 'corrupt' || s === 'absent')).toEqual([]);
      const fresh = states.filter((s) => s === 'new').length;
      // The kill must land mid-run for the test to say anything; with larger companions it does.
      if ((fresh === 0 || fresh === FILES) && attempt < 4) {
        kilobytes *= 2;
        continue;
      }
      expect(fresh).toBeGreaterThan(0);
      expect(fresh).toBeLessThan(FILES);

      // Left-overs of the interrupted write are temporary files, never taken for companions.
      const leftovers = (await readdir(path.join(root, 'src'))).filter((f) => !/^m\d{3}\.(grad\.)?ts$/.test(f));
      expect(leftovers.every((f) => /^m\d{3}\.grad\.ts\.\d+\.[0-9a-f]{12}\.tmp$/.test(f))).toBe(true);

      const check = fake(root, kilobytes, '--check', '.');
      expect(check.code).toBe(1);
      const stale = states.flatMap((s, i) => (s === 'old' ? [`src/${name(i)}.grad.ts`] : []));
      expect([...check.stderr.matchAll(/error AD5004: '([^']+)'/g)].map((m) => m[1])).toEqual(stale);
      expect(check.stdout).toBe(`Checked ${FILES} companions (${stale.length} stale) from ${FILES} files; ${stale.length} errors, 0 warnings.\n`);

      const rerun = fake(root, kilobytes, '.');
      expect(rerun.code).toBe(0);
      expect(fake(root, kilobytes, '--check', '.').code).toBe(0);
      expect(readFileSync(companion(FILES - 1), 'utf8')).toBe(newText(FILES - 1));
      return;
    }
  });
});
