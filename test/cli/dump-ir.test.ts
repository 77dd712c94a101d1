/** `adjoint --dump-ir[=pass]`: the IR after each pass, or after one, printed; nothing written. */
import { compile } from '@adjoint/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../packages/cli/src/args.js';
import { main } from '../../packages/cli/src/index.js';
import { captureTerminal, listTree, makeTree, removeTempFolders } from './helpers.js';

afterEach(removeTempFolders);

const source = 'function square(v: number): number {\n  return v * v;\n}\n\n/** @differentiable */\nexport function f(x: number): number {\n  return square(x) + square(x);\n}\n';

async function dump(args: string[]) {
  const root = await makeTree({ 'model.ts': source });
  const stdout = captureTerminal();
  const stderr = captureTerminal();
  const code = await main(args, { cwd: root, compile, stdout, stderr, debug: false });
  return { code, stdout: stdout.text(), stderr: stderr.text(), files: await listTree(root) };
}

describe('--dump-ir', () => {
  it('is read with or without a pass', () => {
    expect(parseArgs(['--dump-ir', 'src'], '1.0.0')).toEqual({ kind: 'run', options: { inputs: ['src'], check: false, dumpIr: true } });
    expect(parseArgs(['--dump-ir=inline', 'src'], '1.0.0')).toEqual({ kind: 'run', options: { inputs: ['src'], check: false, dumpIr: 'inline' } });
    expect(parseArgs(['--dump-ir', '--check', 'src'], '1.0.0')).toMatchObject({ kind: 'usage-error' });
  });

  it('prints the IR as lowered and after each pass, for each function, and writes nothing', async () => {
    const { code, stdout, files } = await dump(['--dump-ir', 'model.ts']);
    expect(code).toBe(0);
    expect(files).toEqual(['model.ts']);
    const headings = [...stdout.matchAll(/^\/\/ after (\S+): (\w+) \(model\.ts\)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      'lower f',
      'lower square',
      'inline square',
      'scalar-arrays square',
      'inline f',
      'scalar-arrays f',
      ...['shared-values', 'hoist-loads', 'forward-stores', 'snapshot-reads', 'parameter-layout'].flatMap((pass) => [`${pass} f`, `${pass} square`]),
    ]);
  });

  it('prints only the pass named: square inlined twice, then computed once', async () => {
    const inline = await dump(['--dump-ir=inline', 'model.ts']);
    expect(inline.stdout).toContain(
      [
        '// after inline: f (model.ts)',
        'function f(%0 x: number) -> %3',
        '  %4 result: number = prim * %0, %0 ; 2: v * v',
        '  %5 result: number = prim * %0, %0 ; 2: v * v',
        '  %3 result: number = prim + %4, %5 ; 7: square(x) + square(x)',
      ].join('\n'),
    );
    const shared = await dump(['--dump-ir=shared-values', 'model.ts']);
    expect(shared.stdout).toContain('  %3 result: number = prim + %4, %4 ; 7: square(x) + square(x)');
  });

  it('names the passes when given one that does not exist', async () => {
    const { code, stderr } = await dump(['--dump-ir=inlining', 'model.ts']);
    expect(code).toBe(2);
    expect(stderr).toContain('--dump-ir=inlining: there is no such pass. The passes are lower, inline, scalar-arrays, shared-values, hoist-loads, forward-stores, snapshot-reads, parameter-layout.');
  });
});
