/**
 * A long straight-line function, like an unrolled physics step: thousands of scalar operations
 * whose operands are mostly recent values but often values from far back (so that they cross the
 * parts a long backprop is split into), on number, `number[]` and `Float64Array` parameters, with
 * writes into a parameter and into local arrays, an object, a number reassigned throughout, and now
 * and then a small loop, a branch or a call of a helper that stays a call. Every operation maps
 * values in [-1, 1] to [-1, 1], so the function stays finite however long it is.
 */

export interface LongProgram {
  /** The module: helper `pair`, marked `long(a, b, w, x, out)` returning a number. */
  source: string;
  /** Fresh arguments (f writes into `out`). */
  args(): [number, number, number[], Float64Array, Float64Array];
}

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const W = 6;
const X = 8;
const OUT = 4;
const LOCAL = 5;

export function longProgram(operations: number, seed = 1): LongProgram {
  const rand = random(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const values: string[] = ['a', 'b'];
  const lines: string[] = [];
  /** A value computed before: recent (within 12) most of the time, from anywhere otherwise. */
  const operand = () => values[rand() < 0.8 ? Math.max(0, values.length - 1 - pick(12)) : pick(values.length)]!;
  const define = (expression: string) => {
    const name = `v${values.length}`;
    lines.push(`  const ${name} = ${expression};`);
    values.push(name);
  };
  lines.push(`  const s: number[] = new Array(${LOCAL}).fill(0);`, '  const q = new Float64Array(3);', '  let acc = 0;');
  for (let i = 0; i < operations; i++) {
    const p = operand();
    const r = operand();
    switch (pick(16)) {
      case 0:
      case 1:
        define(`${p} * ${r}`);
        break;
      case 2:
        define(`Math.sin(${p} + ${r})`);
        break;
      case 3:
        define(`Math.tanh(${p} - ${r})`);
        break;
      case 4:
        define(`0.5 * (${p} + ${r})`);
        break;
      case 5:
        define(`${p} / (2 + Math.cos(${r}))`);
        break;
      case 6:
        define(`w[${pick(W)}]! * ${p}`);
        break;
      case 7:
        define(`Math.sin(x[${pick(X)}]! - ${p})`);
        break;
      case 8:
        // a write into the parameter (reading what it held) and into a local array
        lines.push(`  out[${pick(OUT)}] = 0.5 * out[${pick(OUT)}]! + 0.25 * ${p};`, `  s[${pick(LOCAL)}] *= 0.5;`, `  s[${pick(LOCAL)}] += 0.25 * ${r};`);
        define(`Math.tanh(s[${pick(LOCAL)}]! + out[${pick(OUT)}]!)`);
        break;
      case 9:
        lines.push(`  acc = 0.75 * acc + 0.25 * ${p} * ${r};`);
        define(`Math.sin(acc)`);
        break;
      case 10:
        lines.push(`  q[${pick(3)}] = ${p};`);
        define(`0.5 * (q[${pick(3)}]! - ${r})`);
        break;
      case 11: {
        const name = `point${values.length}`;
        lines.push(`  const ${name} = { u: ${p}, v: ${r} };`);
        define(`Math.tanh(${name}.u * ${operand()} + ${name}.v)`);
        break;
      }
      case 12:
        // a small loop (its values go on the tape) and a branch, which goes the same way near the
        // point (|r| < 1), so that the function is smooth there
        lines.push(`  for (let j = 0; j < 3; j++) acc = 0.5 * acc + 0.25 * w[j]! * ${p};`);
        define(`${r} ${rand() < 0.5 ? '<' : '>'} -2 ? 0.5 * ${r} * acc : Math.sin(${r} - acc)`);
        break;
      case 13:
        // a call of a helper that creates an array, so it is not inlined
        define(`pair(${p}, ${r})`);
        break;
      default:
        define(`${p} * Math.exp(${r} - 1)`);
    }
  }
  const tail = values.slice(-8).join(' + ');
  const source = [
    '/** Not inlined: it creates an array. */',
    'function pair(p: number, r: number): number {',
    '  const t = [p, r];',
    '  return 0.5 * Math.sin(t[0]! * t[1]!);',
    '}',
    '',
    '/** @differentiable */',
    'export function long(a: number, b: number, w: number[], x: Float64Array, out: Float64Array): number {',
    ...lines,
    `  return ${tail} + acc + s[0]! * s[${LOCAL - 1}]! + out[0]! * q[1]!;`,
    '}',
    '',
  ].join('\n');
  const point = random(seed + 1);
  const coordinate = () => 2 * point() - 1;
  const fixed = { a: coordinate(), b: coordinate(), w: Array.from({ length: W }, coordinate), x: Array.from({ length: X }, coordinate), out: Array.from({ length: OUT }, coordinate) };
  return {
    source,
    args: () => [fixed.a, fixed.b, [...fixed.w], Float64Array.from(fixed.x), Float64Array.from(fixed.out)],
  };
}
