/**
 * Generates the companions of the given sources one at a time and reports how long each took, as
 * lines on stdout (run.ts reads them, and kills this process if one file takes too long):
 *
 *   start <file>
 *   done <file> <ms> <companion bytes> [raw <ms>]      (raw: the same compile with prettier off)
 *   error <file> <first lines of the diagnostics>
 *
 * Generation is the command line's own `run` (read, compile, format, write), timed in a warm
 * process: a small file is compiled first so that loading TypeScript and prettier is not counted,
 * and with --raw each file is compiled once untimed before both timings, so that neither pays for
 * V8 optimising the compiler on a file of that size. On the 10k circuit the two timings can still
 * differ by a factor of two or more either way (prettier never formats its companion: it is over
 * PRETTIER_MAX_CHARACTERS): most of that compile is TypeScript's control-flow analysis of the long
 * function, whose speed depends on how V8 optimised TypeScript's checker in that compile (in cpu
 * profiles of three compiles of it in one process, the same analysis took 14.6 s, 35.7 s and 8.8 s).
 *
 *   tsx test/bench/compile-worker.ts [--raw] <file> ...
 */
import { existsSync, statSync } from 'node:fs';
import { compile } from '../../packages/core/dist/index.js';
// (the built package, as the command line uses it: tsx does not resolve @adjoint/core here)
import { nodeHost } from '../../packages/core/dist/node-host.js';
import { run } from '../../packages/cli/dist/run.js';

const args = process.argv.slice(2);
const raw = args.includes('--raw');
const files = args.filter((a) => !a.startsWith('--'));

let captured = '';
const terminal = { write: (text: string) => void (captured += text), color: false };
const warmup = '/** @differentiable */\nexport function warm(x: number[]): number {\n  let s = 0;\n  for (const v of x) s += Math.sin(v) * v;\n  return s;\n}\n';
await compile([{ path: 'warmup.ts', text: warmup }]);

for (const file of files) {
  console.log(`start ${file}`);
  let rawMs: number | undefined;
  if (raw) {
    await compile([{ path: file }], { format: false, host: nodeHost });
    const t0 = performance.now();
    await compile([{ path: file }], { format: false, host: nodeHost });
    rawMs = performance.now() - t0;
  }
  captured = '';
  const t0 = performance.now();
  const code = await run({ inputs: [file], cache: false }, { stdout: terminal, stderr: terminal });
  const ms = performance.now() - t0;
  const companion = file.replace(/\.ts$/, '.grad.ts');
  if (code !== 0 || !existsSync(companion)) {
    console.log(`error ${file} ${JSON.stringify(captured.split('\n').slice(0, 12).join('\n'))}`);
    continue;
  }
  console.log(`done ${file} ${ms.toFixed(1)} ${statSync(companion).size}${rawMs === undefined ? '' : ` raw ${rawMs.toFixed(1)}`}`);
}
