import { afterEach, describe, expect, it } from 'vitest';
import { main, type Environment } from '../../packages/cli/src/index.js';
import { parseArgs } from '../../packages/cli/src/args.js';
import { captureTerminal, fakeCompile, listTree, makeTree, marked, removeTempFolders } from './helpers.js';

afterEach(removeTempFolders);

async function mainIn(cwd: string, args: string[], environment: Partial<Environment> = {}) {
  const stdout = captureTerminal();
  const stderr = captureTerminal();
  const code = await main(args, { cwd, compile: fakeCompile, stdout, stderr, debug: false, ...environment });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('parseArgs', () => {
  it('reads inputs, --out-dir and --check, including inputs after --', () => {
    expect(parseArgs(['src', '--out-dir', 'gen', '--check', '--', '--odd name.ts'], '1.0.0')).toEqual({
      kind: 'run',
      options: { inputs: ['src', '--odd name.ts'], outDir: 'gen', check: true },
    });
    expect(parseArgs(['a.ts', 'b.ts'], '1.0.0')).toEqual({ kind: 'run', options: { inputs: ['a.ts', 'b.ts'], check: false } });
  });

  it('keeps names that look like numbers as written', () => {
    expect(parseArgs(['src', '--out-dir', '007'], '1.0.0')).toMatchObject({ options: { outDir: '007' } });
    expect(parseArgs(['--out-dir=1e3', 'src'], '1.0.0')).toMatchObject({ options: { outDir: '1e3', inputs: ['src'] } });
    expect(parseArgs(['--check', '007', '2.50'], '1.0.0')).toMatchObject({ options: { inputs: ['007', '2.50'], check: true } });
  });

  it('reads --checkpoint-loops', () => {
    expect(parseArgs(['--checkpoint-loops', 'src'], '1.0.0')).toEqual({ kind: 'run', options: { inputs: ['src'], check: false, checkpointLoops: true } });
  });

  it('reads --watch, --no-cache and --cache-dir', () => {
    expect(parseArgs(['--watch', 'src'], '1.0.0')).toEqual({ kind: 'run', options: { inputs: ['src'], check: false, watch: true } });
    expect(parseArgs(['--no-cache', 'src'], '1.0.0')).toEqual({ kind: 'run', options: { inputs: ['src'], check: false, cache: false } });
    expect(parseArgs(['src', '--cache-dir', '007'], '1.0.0')).toMatchObject({ options: { inputs: ['src'], cacheDir: '007' } });
    expect(parseArgs(['--cache-dir=.c', 'src'], '1.0.0')).toMatchObject({ options: { inputs: ['src'], cacheDir: '.c' } });
  });

  it.each([
    [['--watch', '--check', 'src'], 'cannot be combined'],
    [['--no-cache', '--cache-dir', 'c', 'src'], 'cannot be combined'],
    [['src', '--cache-dir'], 'value is missing'],
    [['src', '--cache-dir', 'a', '--cache-dir', 'b'], 'only once'],
    [['--frobnicate', 'src'], 'Unknown option `--frobnicate`'],
    [[], 'No inputs'],
    [['--check'], 'No inputs'],
    [['src', '--out-dir'], 'value is missing'],
    [['src', '--out-dir', 'a', '--out-dir', 'b'], 'only once'],
    [['src', '--out-dir='], 'value is missing'],
    [['src', '--out-dir', ''], 'needs a folder'],
  ])('rejects %j as a usage error', (args, message) => {
    const parsed = parseArgs(args, '1.0.0');
    expect(parsed.kind).toBe('usage-error');
    expect(parsed.kind === 'usage-error' && parsed.message).toContain(message);
  });
});

describe('main', () => {
  it('exits 2 on a usage error with a short message and a pointer to --help', async () => {
    const root = await makeTree({});
    const { code, stdout, stderr } = await mainIn(root, ['--nope', 'src']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: Unknown option `--nope`\nRun adjoint --help for usage.\n');
  });

  it('runs the command and returns its exit code', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    expect((await mainIn(root, ['.'])).code).toBe(0);
    expect((await mainIn(root, ['--check', '.'])).code).toBe(0);
  });

  it('reports an unexpected exception as an internal error, without a stack unless ADJOINT_DEBUG', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const compile = () => Promise.reject(new Error('the tape ran out'));
    const quiet = await mainIn(root, ['.'], { compile });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/^error AD9001: Internal error in Adjoint while compiling 'a\.ts': the tape ran out\n/);
    expect(quiet.stderr).toContain('ADJOINT_DEBUG=1');
    expect(quiet.stderr).not.toMatch(/\n\s+at /);

    const debug = await mainIn(root, ['.'], { compile, debug: true });
    expect(debug.stderr).toMatch(/\n\s+at /);

    // Outside the compiler, too.
    const broken = await mainIn(root, ['.'], { compilerVersion: () => Promise.reject(new Error('the disk is gone')) });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error AD9001: Internal error in Adjoint while compiling '\.': the disk is gone\n/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('still generates the other companions when the compiler throws on one file', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': `${marked('g')}// CRASH\n`, 'c.ts': marked('h') });
    const compile: Environment['compile'] = async (files) => {
      if (files.some((file) => file.text?.includes('CRASH'))) throw new Error('Expected the module specifier to be a string literal.');
      return fakeCompile(files);
    };
    const { code, stdout, stderr } = await mainIn(root, ['.'], { compile });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD9001: Internal error in Adjoint while compiling 'b.ts': Expected the module specifier to be a string literal.");
    expect(stdout).toBe('Generated 2 companions from 3 files; 1 error, 0 warnings.\n');
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts', 'b.ts', 'c.grad.ts', 'c.ts']);
  });
});
