/**
 * Whether V8 optimises the gradient of a circuit, by the size of the parts its backprop is split
 * into (the compile option `maxPartSize`, packages/core/src/phases/4-differentiate/split-plan.ts):
 * for each size, the parts' bytecode lengths, how many V8 optimised with TurboFan after a warm-up
 * (and after how many calls all of them were), and the time of valueAndGrad over the time of f.
 * `Infinity` keeps the backprop whole (V8 does not optimise a function with over 60 KB of
 * bytecode, `--max-optimized-bytecode-size`).
 *
 *   pnpm build && node --allow-natives-syntax --import tsx test/bench/circuit/optimisation.ts [1k|10k] [size …]
 *
 * Sizes default to Infinity 2000 4000 8000; WARM_MS (default 5000) sets the warm-up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { compile } from '../../../packages/core/dist/index.js';
import { CIRCUIT_SIZES, circuitPath } from '../catalog.ts';
import { circuitInput } from './generate.ts';
import { writeCircuits } from './write.ts';

const [name = '1k', ...sizeArgs] = process.argv.slice(2);
if (!CIRCUIT_SIZES[name]) throw new Error(`unknown circuit ${name}: one of ${Object.keys(CIRCUIT_SIZES).join(', ')}`);
const sizes = (sizeArgs.length > 0 ? sizeArgs : ['Infinity', '2000', '4000', '8000']).map(Number);
const warmMs = Number(process.env.WARM_MS ?? 5000);
const status = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
const TURBOFANNED = 1 << 6;

writeCircuits([name]);
const source = circuitPath(name);
const f = (await import(pathToFileURL(source).href))[`circuit${name}`] as (x: Float64Array) => number;
const x = circuitInput();
const dir = mkdtempSync(join(tmpdir(), 'adjoint-optimisation-'));

const variants = [];
for (const maxPartSize of sizes) {
  const { outputs } = await compile([{ path: source, text: readFileSync(source, 'utf8') }], { format: false, maxPartSize });
  const text = outputs[0]!.text;
  const backprops = [...text.matchAll(/^function (backprop_\w+)\(/gm)].map((m) => m[1]!);
  const file = join(dir, `circuit${name}-${maxPartSize}.mjs`);
  writeFileSync(file, `${transformSync(text, { loader: 'ts', format: 'esm' }).code}\nexport { ${backprops.join(', ')} };\n`);
  // every function's bytecode, compiled eagerly in a process of its own
  const printed = execFileSync(process.execPath, ['--no-lazy', '--print-bytecode', '--print-bytecode-filter=backprop_*', '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)})`], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const lengths = [...printed.matchAll(/for function: (backprop_\w+)[\s\S]*?Bytecode length: (\d+)/g)].map((m) => Number(m[2]));
  const module = await import(pathToFileURL(file).href);
  variants.push({ maxPartSize, module, backprops, lengths, valueAndGrad: module[`valueAndGrad_circuit${name}`] as (x: Float64Array) => unknown });
}
rmSync(dir, { recursive: true });

// Warm everything up together, noting after how many calls each variant had all its parts
// optimised, then time f and each variant in turn, round after round.
const allOptimisedAfter = variants.map(() => ({ calls: 0, seconds: Infinity }));
for (let calls = 1, start = performance.now(); performance.now() - start < warmMs; calls++) {
  f(x);
  for (const [i, v] of variants.entries()) {
    v.valueAndGrad(x);
    if (allOptimisedAfter[i]!.calls === 0 && calls % 100 === 0 && v.backprops.every((b) => status(v.module[b]) & TURBOFANNED)) {
      allOptimisedAfter[i] = { calls, seconds: (performance.now() - start) / 1000 };
    }
  }
}
const time = (run: (x: Float64Array) => unknown) => {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < 100) {
    run(x);
    calls++;
  }
  return (performance.now() - start) / calls;
};
const ratios = variants.map(() => [] as number[]);
for (let round = 0; round < 15; round++) {
  const fMs = time(f);
  variants.forEach((v, i) => ratios[i]!.push(time(v.valueAndGrad) / fMs));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
console.log(`circuit ${name}: f is ${status(f) & TURBOFANNED ? '' : 'not '}optimised`);
for (const [i, v] of variants.entries()) {
  const optimised = v.backprops.filter((b) => status(v.module[b]) & TURBOFANNED).length;
  console.log(
    `maxPartSize ${v.maxPartSize}: ${v.backprops.length} backprop functions, bytecode up to ${Math.max(...v.lengths)} bytes, ` +
      `${optimised} optimised${allOptimisedAfter[i]!.calls ? ` (all after ${allOptimisedAfter[i]!.calls} calls, ${allOptimisedAfter[i]!.seconds.toFixed(1)} s)` : ''}; ` +
      `valueAndGrad / f = ${median(ratios[i]!).toFixed(2)}`,
  );
}
