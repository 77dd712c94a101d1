/**
 * Random programs for the bugs that only show as disagreement between modes (issue 19): functions
 * that change the layout of their arguments' storage, read slices from bounds computed at run time
 * and are named with names that mean something else as object keys or that the compiler generates.
 *
 * Each program is one marked function
 *
 *   f<k>(M: number[][], p: { w: number[]; b: number }, x: number, v: number[], u: number[]): number
 *
 * with its parameters renamed from pools of hostile names (`__proto__`, `constructor`, `toString`,
 * `d_M`, `grad_f`, `tape`, …). Its body is a list of steps on a running number `s`: row swaps
 * (`M[i] = M[j]` with a temporary, or destructuring), new rows, a row duplicated, element writes,
 * a new `p.w` or `p.b`, pushes of rows (not in a function marked hessian: AD2042), writes into `v`, slices of `v` or of a row from computed
 * (fractional, negative, NaN) bounds read with `??`, a pivoting step (the row with the largest
 * first entry swapped to the top), loops over the rows, and terms added to `s` that read any of
 * it. Everything is valid by construction: the builder tracks the matrix's row count and reads
 * only existing rows and columns; every expression is smooth (sin, tanh, products, quotients by
 * 2 + cos), so finite differences are meaningful except where a pivot choice or an index
 * computed from a length flips near the point, which the test detects.
 *
 * The recipe is drawn by fast-check, so that a failure shrinks to a short program.
 */
import fc from 'fast-check';

export type Leaf =
  | { kind: 'matrix'; row: number; column: number }
  | { kind: 'weight'; index: number }
  | { kind: 'bias' }
  | { kind: 'x' }
  | { kind: 'vector'; index: number }
  | { kind: 'other'; index: number }
  | { kind: 's' }
  | { kind: 'constant'; value: number };

export type ExprRecipe =
  | { kind: 'leaf'; leaf: Leaf }
  | { kind: 'binary'; op: '+' | '-' | '*'; left: ExprRecipe; right: ExprRecipe }
  | { kind: 'unary'; fn: 'sin' | 'tanh' | 'cos' | 'atan'; operand: ExprRecipe }
  | { kind: 'quotient'; left: ExprRecipe; right: ExprRecipe };

export type StepRecipe =
  | { kind: 'swap'; i: number; j: number; destructuring: boolean }
  | { kind: 'new-row'; i: number; a: ExprRecipe; b: ExprRecipe }
  | { kind: 'duplicate-row'; i: number; j: number }
  | { kind: 'write-element'; i: number; column: number; op: '=' | '+=' | '*='; value: ExprRecipe }
  | { kind: 'new-weights'; a: ExprRecipe; b: ExprRecipe }
  | { kind: 'bias'; op: '=' | '+='; value: ExprRecipe }
  | { kind: 'push-row'; a: ExprRecipe; b: ExprRecipe }
  | { kind: 'write-vector'; index: number; value: ExprRecipe }
  | { kind: 'slice'; source: 'vector' | 'row'; row: number; bounds: number; read: number; value: ExprRecipe }
  | { kind: 'pivot' }
  | { kind: 'row-loop'; form: number; value: ExprRecipe }
  | { kind: 'add'; value: ExprRecipe };

export interface LayoutProgramRecipe {
  rows: number;
  weights: number;
  vector: number;
  names: number[];
  steps: StepRecipe[];
  result: ExprRecipe;
  /** Marked hessian as well (its companion is differentiated again). */
  hessian: boolean;
}

/** The parameters, and the hostile names each may take. */
export const LAYOUT_PARAM_NAMES = {
  matrix: ['M', '__proto__', 'constructor', 'd_M', 'grad_f', 'tape', 'rows'],
  object: ['p', 'toString', 'valueOf', 'd_p', 'backprop_f', 'hessian'],
  number: ['x', 'hasOwnProperty', 'd_x', 'value', 'jvp_f', 'outputAdjoint'],
  vector: ['v', 'savedArrays', 'd_v', 'copy', 'zerosLike', 'distinctArguments'],
  other: ['u', 'isPrototypeOf', 'd_u', 'direction', 'trips'],
} as const;

/** A program as text, and what the test needs to call it. */
export interface LayoutProgram {
  name: string;
  text: string;
  params: { matrix: string; object: string; number: string; vector: string; other: string };
  rows: number;
  weights: number;
  vector: number;
  /** Whether f writes into `v` (the arguments `v` and `u` must then not be the same array). */
  writesVector: boolean;
  /** Whether f changes the matrix (its rows must then be distinct arrays). */
  writesMatrix: boolean;
  hessian: boolean;
}

const exprArbitrary: fc.Arbitrary<ExprRecipe> = fc.letrec<{ expr: ExprRecipe; leaf: Leaf }>((tie) => ({
  leaf: fc.oneof(
    fc.record({ kind: fc.constant('matrix' as const), row: fc.nat(7), column: fc.nat(1) }),
    fc.record({ kind: fc.constant('weight' as const), index: fc.nat(3) }),
    fc.record({ kind: fc.constant('bias' as const) }),
    fc.record({ kind: fc.constant('x' as const) }),
    fc.record({ kind: fc.constant('vector' as const), index: fc.nat(5) }),
    fc.record({ kind: fc.constant('other' as const), index: fc.nat(5) }),
    fc.record({ kind: fc.constant('s' as const) }),
    fc.record({ kind: fc.constant('constant' as const), value: fc.integer({ min: -12, max: 12 }).map((k) => k / 4) }),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('leaf' as const), leaf: tie('leaf') }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom('+' as const, '-' as const, '*' as const), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('unary' as const), fn: fc.constantFrom('sin' as const, 'tanh' as const, 'cos' as const, 'atan' as const), operand: tie('expr') }),
    fc.record({ kind: fc.constant('quotient' as const), left: tie('expr'), right: tie('expr') }),
  ),
})).expr as fc.Arbitrary<ExprRecipe>;

const stepArbitrary: fc.Arbitrary<StepRecipe> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('swap' as const), i: fc.nat(7), j: fc.nat(7), destructuring: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('new-row' as const), i: fc.nat(7), a: exprArbitrary, b: exprArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-row' as const), i: fc.nat(7), j: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('write-element' as const), i: fc.nat(7), column: fc.nat(1), op: fc.constantFrom('=' as const, '+=' as const, '*=' as const), value: exprArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('new-weights' as const), a: exprArbitrary, b: exprArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bias' as const), op: fc.constantFrom('=' as const, '+=' as const), value: exprArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('push-row' as const), a: exprArbitrary, b: exprArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('write-vector' as const), index: fc.nat(5), value: exprArbitrary }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('slice' as const), source: fc.constantFrom('vector' as const, 'row' as const), row: fc.nat(7), bounds: fc.nat(7), read: fc.nat(3), value: exprArbitrary }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pivot' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('row-loop' as const), form: fc.nat(2), value: exprArbitrary }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), value: exprArbitrary }) },
);

export const layoutProgramArbitrary: fc.Arbitrary<LayoutProgramRecipe> = fc.record({
  rows: fc.integer({ min: 2, max: 4 }),
  weights: fc.integer({ min: 2, max: 3 }),
  vector: fc.integer({ min: 3, max: 5 }),
  names: fc.array(fc.nat(6), { minLength: 5, maxLength: 5 }),
  steps: fc.array(stepArbitrary, { minLength: 2, maxLength: 7 }),
  result: exprArbitrary,
  hessian: fc.boolean(),
});

/**
 * Bounds of a slice computed as JavaScript computes them, with the least length of the part for
 * a source of `length` elements (truncated, counted from the end when negative, NaN as 0).
 */
function sliceBounds(source: string, length: number, variant: number): { args: string; length: number } {
  const cases: Array<[string, (n: number) => [number, number]]> = [
    [`${source}.length / 2`, (n) => [n / 2, n]],
    [`-${source}.length / 3 - 0.5`, (n) => [-n / 3 - 0.5, n]],
    [`0.9, ${source}.length - 0.5`, (n) => [0.9, n - 0.5]],
    [`${source}.length / 2 - 2.5, -0.5`, (n) => [n / 2 - 2.5, -0.5]],
    [`0 / 0, 1.5`, () => [Number.NaN, 1.5]],
    [`-Infinity, ${source}.length / 3`, (n) => [Number.NEGATIVE_INFINITY, n / 3]],
    [`1.5`, (n) => [1.5, n]],
    [`${source}.length + 1.5`, (n) => [n + 1.5, n]],
  ];
  const [args, bounds] = cases[variant % cases.length]!;
  // the part JavaScript takes: its length is what a slice of that many elements gives
  const probe = Array.from({ length }, (_, i) => i).slice(...bounds(length));
  return { args, length: probe.length };
}

/** The source of program `k`. */
export function buildLayoutProgram(recipe: LayoutProgramRecipe, k: number): LayoutProgram {
  const pools = LAYOUT_PARAM_NAMES;
  const pick = (pool: readonly string[], i: number) => pool[recipe.names[i]! % pool.length]!;
  const params = { matrix: pick(pools.matrix, 0), object: pick(pools.object, 1), number: pick(pools.number, 2), vector: pick(pools.vector, 3), other: pick(pools.other, 4) };
  const { matrix: M, object: p, number: x, vector: v, other: u } = params;
  let rows = recipe.rows;
  const weights = recipe.weights;
  const lines: string[] = [`  let s = ${x} * 0.5;`];
  let writesVector = false;
  let writesMatrix = false;
  let temporaries = 0;
  const fresh = (base: string) => `${base}${temporaries++}`;

  const leaf = (l: Leaf): string => {
    switch (l.kind) {
      case 'matrix':
        return `${M}[${l.row % rows}]![${l.column}]!`;
      case 'weight':
        return `${p}.w[${l.index % weights}]!`;
      case 'bias':
        return `${p}.b`;
      case 'x':
        return x;
      case 'vector':
        return `${v}[${l.index % recipe.vector}]!`;
      case 'other':
        return `${u}[${l.index % recipe.vector}]!`;
      case 's':
        return 's';
      case 'constant':
        return l.value < 0 ? `(${l.value})` : String(l.value);
    }
  };
  const expr = (e: ExprRecipe): string => {
    switch (e.kind) {
      case 'leaf':
        return leaf(e.leaf);
      case 'binary':
        return `(${expr(e.left)} ${e.op} ${expr(e.right)})`;
      case 'unary':
        return `Math.${e.fn}(${expr(e.operand)})`;
      case 'quotient':
        return `(${expr(e.left)} / (2 + Math.cos(${expr(e.right)})))`;
    }
  };
  // a value written into the arguments stays moderate, so that repeated steps do not blow up
  const bounded = (e: ExprRecipe) => `Math.tanh(${expr(e)})`;

  for (const step of recipe.steps) {
    switch (step.kind) {
      case 'swap': {
        const [i, j] = [step.i % rows, step.j % rows];
        writesMatrix = true;
        if (step.destructuring) lines.push(`  [${M}[${i}], ${M}[${j}]] = [${M}[${j}]!, ${M}[${i}]!];`);
        else {
          const t = fresh('row');
          lines.push(`  const ${t} = ${M}[${i}]!;`, `  ${M}[${i}] = ${M}[${j}]!;`, `  ${M}[${j}] = ${t};`);
        }
        break;
      }
      case 'new-row':
        writesMatrix = true;
        lines.push(`  ${M}[${step.i % rows}] = [${bounded(step.a)}, ${bounded(step.b)}];`);
        break;
      case 'duplicate-row':
        writesMatrix = true;
        lines.push(`  ${M}[${step.i % rows}] = ${M}[${step.j % rows}]!;`);
        break;
      case 'write-element': {
        writesMatrix = true;
        const target = `${M}[${step.i % rows}]![${step.column}]`;
        lines.push(step.op === '*=' ? `  ${target} *= 0.5 + 0.25 * ${bounded(step.value)};` : `  ${target} ${step.op} ${bounded(step.value)};`);
        break;
      }
      case 'new-weights': {
        const elements = [bounded(step.a), bounded(step.b), ...Array.from({ length: weights - 2 }, (_, i) => `${p}.w[${i}]!`)];
        lines.push(`  ${p}.w = [${elements.join(', ')}];`);
        break;
      }
      case 'bias':
        lines.push(`  ${p}.b ${step.op} ${bounded(step.value)};`);
        break;
      case 'push-row':
        writesMatrix = true;
        // (a push onto an argument is AD2042 in a function marked hessian: it stores a new row there instead)
        if (recipe.hessian) lines.push(`  ${M}[${rows - 1}] = [${bounded(step.a)}, ${bounded(step.b)}];`);
        else {
          lines.push(`  ${M}.push([${bounded(step.a)}, ${bounded(step.b)}]);`);
          rows += 1;
        }
        break;
      case 'write-vector':
        writesVector = true;
        lines.push(`  ${v}[${step.index % recipe.vector}] = ${bounded(step.value)};`);
        break;
      case 'slice': {
        const source = step.source === 'vector' ? v : `${M}[${step.row % rows}]!`;
        const length = step.source === 'vector' ? recipe.vector : 2;
        const bounds = sliceBounds(source, length, step.bounds);
        const part = fresh('part');
        lines.push(`  const ${part} = ${source}.slice(${bounds.args});`);
        // an element the part may not have is read with ?? (the test of a missing element)
        const at = step.read % (bounds.length + 1);
        lines.push(`  s += (${part}[${at}] ?? ${x}) * ${expr(step.value)};`);
        break;
      }
      case 'pivot': {
        const [piv, i, t] = [fresh('pivot'), fresh('i'), fresh('top')];
        writesMatrix = true;
        lines.push(
          `  let ${piv} = 0;`,
          `  for (let ${i} = 1; ${i} < ${M}.length; ${i}++) if (Math.abs(${M}[${i}]![0]!) > Math.abs(${M}[${piv}]![0]!)) ${piv} = ${i};`,
          `  const ${t} = ${M}[0]!;`,
          `  ${M}[0] = ${M}[${piv}]!;`,
          `  ${M}[${piv}] = ${t};`,
        );
        break;
      }
      case 'row-loop': {
        const row = fresh('r');
        if (step.form % 2 === 0) lines.push(`  for (const ${row} of ${M}) s = s * 0.5 + ${row}[0]! * Math.sin(${row}[1]! + ${expr(step.value)});`);
        else lines.push(`  for (let ${row} = 0; ${row} < ${M}.length; ${row}++) s += ${M}[${row}]![1]! * Math.tanh(${expr(step.value)});`);
        break;
      }
      case 'add':
        lines.push(`  s += ${expr(step.value)};`);
        break;
    }
  }
  lines.push(`  return s + ${expr(recipe.result)};`);
  const name = `f${k}`;
  const mark = recipe.hessian ? '/** @differentiable(forward, hessian) */' : '/** @differentiable(forward) */';
  const text = [mark, `export function ${name}(${M}: number[][], ${p}: { w: number[]; b: number }, ${x}: number, ${v}: number[], ${u}: number[]): number {`, ...lines, '}', ''].join('\n');
  return { name, text, params, rows: recipe.rows, weights, vector: recipe.vector, writesVector, writesMatrix, hessian: recipe.hessian };
}
