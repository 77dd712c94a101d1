/**
 * `adjoint --watch`, as built (run `pnpm build` first), with the real compiler: it regenerates a
 * companion after a save, reports a syntax error and keeps watching, ignores its own output, and
 * stops cleanly on SIGINT. Every wait is bounded and ends as soon as the expected line appears.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, marked, read, removeTempFolders } from './helpers.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
/** Generous: the compiler takes a second or so to start, longer on a loaded machine. */
const WAIT_MS = 40_000;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`);
});

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await removeTempFolders();
});

/** A running `adjoint --watch` whose output can be awaited line by line. */
function startWatching(cwd: string, ...args: string[]) {
  const child = spawn(process.execPath, [BIN, '--watch', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ADJOINT_DEBUG: '1' },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), notify()));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), notify()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (notify(), resolve(code))));

  /** Waits until stdout (from `from` on) matches `pattern`; returns the match and where it ends. */
  async function waitFor(pattern: RegExp, from = 0): Promise<{ match: RegExpExecArray; end: number }> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const match = pattern.exec(stdout.slice(from));
      if (match) return { match, end: from + match.index + match[0].length };
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`timed out waiting for ${pattern}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  return { child, waitFor, exited, output: () => ({ stdout, stderr }) };
}

describe('adjoint --watch', () => {
  it('regenerates on save, survives a syntax error, ignores its own output and stops on SIGINT', async () => {
    const root = await makeTree({ 'package.json': '{}\n', 'src/physics.ts': marked('energy'), 'src/optics.ts': marked('focus') });
    const watching = startWatching(root, 'src');
    let seen = (await watching.waitFor(/^Watching src for changes; press Ctrl-C to stop\.\n/m)).end;
    expect(watching.output().stdout).toMatch(/^Generated 2 companions from 2 files; 0 errors, 0 warnings\.\n/);
    expect(await read(root, 'src/physics.grad.ts')).toContain('grad_energy');

    // A save regenerates the companion, reported on one line.
    await writeFile(path.join(root, 'src/physics.ts'), marked('momentum'));
    let line = await watching.waitFor(/^\d\d:\d\d:\d\d regenerated src\/physics\.grad\.ts \(1 function, \d+ ms\)\n/m, seen);
    seen = line.end;
    expect(await read(root, 'src/physics.grad.ts')).toContain('grad_momentum');

    // A syntax error is reported; the companion stays as it was; watching goes on.
    await writeFile(path.join(root, 'src/physics.ts'), `${marked('broken')}export function (\n`);
    line = await watching.waitFor(/^\d\d:\d\d:\d\d src\/physics\.ts has errors: its companion was not regenerated \(\d+ ms\)\n/m, seen);
    seen = line.end;
    expect(watching.output().stderr).toMatch(/src\/physics\.ts:\d+:\d+ - error AD1001: The source file has a syntax error/);
    expect(await read(root, 'src/physics.grad.ts')).toContain('grad_momentum');

    // A companion edited by hand starts no pass (nor do the companions it writes itself: every
    // pass it starts is logged with ADJOINT_DEBUG=1, see below); the next pass restores it.
    const optics = await read(root, 'src/optics.grad.ts');
    await writeFile(path.join(root, 'src/optics.grad.ts'), `${optics}// edited\n`);
    await writeFile(path.join(root, 'src/physics.ts'), marked('fixed'));
    line = await watching.waitFor(/^\d\d:\d\d:\d\d regenerated src\/physics\.grad\.ts \(1 function, \d+ ms\)\n/m, seen);
    expect(watching.output().stdout.slice(seen, line.end)).toMatch(/^\d\d:\d\d:\d\d regenerated src\/optics\.grad\.ts \(1 function, \d+ ms\)\n[^\n]*\n$/);
    expect(await read(root, 'src/physics.grad.ts')).toContain('grad_fixed');
    expect(await read(root, 'src/optics.grad.ts')).toBe(optics);

    watching.child.kill('SIGINT');
    const code = await Promise.race([watching.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    expect(code).toBe(0);
    const { stdout, stderr } = watching.output();
    expect(stdout.slice(line.end)).toBe('');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('AD9001');
    // Every pass was started by a save of a source, none by a companion or a temporary file.
    const triggers = [...stderr.matchAll(/^\[watch\] (\w+) (.*)$/gm)].map((m) => m[2]);
    expect(triggers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(triggers)).toEqual(new Set(['src/physics.ts']));
  });

  it('ends quietly, with exit code 0, once what reads its output has gone (adjoint --watch src | head -2)', async () => {
    const root = await makeTree({ 'package.json': '{}\n', 'src/physics.ts': marked('energy') });
    const watching = startWatching(root, 'src');
    await watching.waitFor(/^Watching src for changes/m);
    // the reader goes; the next line the watcher writes meets EPIPE
    watching.child.stdout!.destroy();
    await writeFile(path.join(root, 'src/physics.ts'), marked('momentum'));
    const code = await Promise.race([watching.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), WAIT_MS))]);
    expect(code).toBe(0);
    expect(await read(root, 'src/physics.grad.ts')).toContain('grad_momentum');
    const { stderr } = watching.output();
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
