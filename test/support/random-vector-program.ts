/**
 * Random functions with vector outputs, for the property test of jacobian_f and vjp_f.
 *
 * Each program is one marked function `f<k>(x: number, y: number, a: number[] | Float64Array)` and
 * a helper `h<k>` returning an array. The function builds an output container (`[]`, a literal,
 * `new Float64Array(n)`, a copy of `a`), changes it with a random list of steps (push, push in a
 * loop over `a`, element writes `=`, `+=`, `*=` that may read earlier elements, branches on an
 * input-dependent condition, writes into the parameter `a`, pushes of a helper call's result),
 * and returns it plain, inside an object or a tuple with another number, as a row of a nested
 * array, or beside the parameter `a` itself (a result that aliases an argument).
 *
 * Valid by construction: an element is written only below the least length the container
 * certainly has at that point (known statically: the lengths of `a` are fixed per program),
 * typed arrays are never pushed to, and expressions stay on smooth, bounded operations (sin, cos,
 * tanh, atan, exp∘sin, √(1+e²), division by 2 + sin e), so finite differences are meaningful
 * except near a branch flip, which the test detects.
 */
import fc from 'fast-check';

/** An expression over atoms named by index (resolved against what is in scope when built). */
export type ExprRecipe =
  | { kind: 'atom'; index: number }
  | { kind: 'constant'; value: number }
  | { kind: 'binary'; op: '+' | '-' | '*'; left: ExprRecipe; right: ExprRecipe }
  | { kind: 'unary'; fn: 'Math.sin' | 'Math.cos' | 'Math.tanh' | 'Math.atan'; operand: ExprRecipe }
  | { kind: 'smooth'; form: 'quotient' | 'exp-sin' | 'hypot-one'; left: ExprRecipe; right: ExprRecipe };

export type StepRecipe =
  | { kind: 'push'; value: ExprRecipe }
  | { kind: 'loop-push'; value: ExprRecipe }
  | { kind: 'write'; index: number; op: '=' | '+=' | '*='; value: ExprRecipe }
  | { kind: 'branch'; condition: ExprRecipe; then: StepRecipe[]; else: StepRecipe[] }
  | { kind: 'write-parameter'; index: number; value: ExprRecipe }
  | { kind: 'push-call'; scale: ExprRecipe; value: ExprRecipe };

export type OutputStart = 'empty' | 'literal' | 'typed' | 'copy';
export type OutputWrap = 'plain' | 'object' | 'tuple' | 'nested' | 'with-parameter';

export interface VectorProgramRecipe {
  parameterType: 'number[]' | 'Float64Array';
  parameterLength: number;
  start: OutputStart;
  steps: StepRecipe[];
  wrap: OutputWrap;
  extra: ExprRecipe;
}

const exprArbitrary: fc.Arbitrary<ExprRecipe> = fc.letrec<{ expr: ExprRecipe }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('atom' as const), index: fc.nat(20) }),
    fc.record({ kind: fc.constant('constant' as const), value: fc.integer({ min: -20, max: 20 }).map((k) => k / 8) }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom('+' as const, '-' as const, '*' as const), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('unary' as const), fn: fc.constantFrom('Math.sin' as const, 'Math.cos' as const, 'Math.tanh' as const, 'Math.atan' as const), operand: tie('expr') }),
    fc.record({ kind: fc.constant('smooth' as const), form: fc.constantFrom('quotient' as const, 'exp-sin' as const, 'hypot-one' as const), left: tie('expr'), right: tie('expr') }),
  ),
})).expr;

const simpleStep: fc.Arbitrary<StepRecipe> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), value: exprArbitrary }),
  fc.record({ kind: fc.constant('write' as const), index: fc.nat(8), op: fc.constantFrom('=' as const, '+=' as const, '*=' as const), value: exprArbitrary }),
);

const stepArbitrary: fc.Arbitrary<StepRecipe> = fc.oneof(
  { weight: 3, arbitrary: simpleStep },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('loop-push' as const), value: exprArbitrary }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('branch' as const),
      condition: exprArbitrary,
      then: fc.array(simpleStep, { minLength: 1, maxLength: 2 }),
      else: fc.array(simpleStep, { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('write-parameter' as const), index: fc.nat(8), value: exprArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('push-call' as const), scale: exprArbitrary, value: exprArbitrary }) },
);

export const vectorProgramArbitrary: fc.Arbitrary<VectorProgramRecipe> = fc.record({
  parameterType: fc.constantFrom('number[]' as const, 'Float64Array' as const),
  parameterLength: fc.integer({ min: 1, max: 3 }),
  start: fc.constantFrom<OutputStart>('empty', 'literal', 'typed', 'copy'),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 5 }),
  wrap: fc.constantFrom<OutputWrap>('plain', 'object', 'tuple', 'nested', 'with-parameter'),
  extra: exprArbitrary,
});

function buildExpr(e: ExprRecipe, atoms: string[]): string {
  switch (e.kind) {
    case 'atom':
      return atoms[e.index % atoms.length]!;
    case 'constant':
      return e.value < 0 ? `(${e.value})` : String(e.value);
    case 'binary':
      return `(${buildExpr(e.left, atoms)} ${e.op} ${buildExpr(e.right, atoms)})`;
    case 'unary':
      return `${e.fn}(${buildExpr(e.operand, atoms)})`;
    case 'smooth': {
      const [l, r] = [buildExpr(e.left, atoms), buildExpr(e.right, atoms)];
      if (e.form === 'quotient') return `(${l} / (2 + Math.sin(${r})))`;
      if (e.form === 'exp-sin') return `Math.exp(Math.sin(${l}))`;
      return `Math.sqrt(1 + ${l} * ${l})`;
    }
  }
}

/** What the builder knows at a point of the function. */
interface Scope {
  /** The least length the output certainly has. */
  length: number;
  indent: string;
}

/** The source of program `k`: the marked function `f<k>` and its helper `h<k>`. */
export function buildVectorProgram(recipe: VectorProgramRecipe, k: number): string {
  const { parameterType, parameterLength: n } = recipe;
  const typed = recipe.start === 'typed';
  // (a copy of a Float64Array is taken with Array.from, so that it can grow)
  const outType = typed ? 'Float64Array' : 'number[]';
  const lines: string[] = [];
  let calls = 0;
  const atomsAt = (scope: Scope, extra: string[] = []) => ['x', 'y', 'a[0]!', ...Array.from({ length: Math.min(scope.length, 3) }, (_, i) => `out[${i}]!`), ...extra];

  const emit = (step: StepRecipe, scope: Scope): void => {
    const at = scope.indent;
    switch (step.kind) {
      case 'push':
        if (typed) return emit({ kind: 'write', index: 0, op: '+=', value: step.value }, scope);
        lines.push(`${at}out.push(${buildExpr(step.value, atomsAt(scope))});`);
        scope.length += 1;
        return;
      case 'loop-push': {
        const value = buildExpr(step.value, atomsAt(scope, ['a[i]!', 'a[i]!', '0.25 * i']));
        if (typed) {
          lines.push(`${at}for (let i = 0; i < a.length; i++) out[i % out.length] += ${value};`);
          return;
        }
        lines.push(`${at}for (let i = 0; i < a.length; i++) out.push(${value});`);
        scope.length += n;
        return;
      }
      case 'write':
        if (scope.length === 0) return emit({ kind: 'push', value: step.value }, scope);
        lines.push(`${at}out[${step.index % scope.length}] ${step.op} ${buildExpr(step.value, atomsAt(scope))};`);
        return;
      case 'branch': {
        lines.push(`${at}if (${buildExpr(step.condition, atomsAt(scope))} > 0) {`);
        const thenScope = { length: scope.length, indent: `${at}  ` };
        step.then.forEach((s) => emit(s, thenScope));
        const elseScope = { length: scope.length, indent: `${at}  ` };
        if (step.else.length > 0) {
          lines.push(`${at}} else {`);
          step.else.forEach((s) => emit(s, elseScope));
        }
        lines.push(`${at}}`);
        scope.length = Math.min(thenScope.length, elseScope.length);
        return;
      }
      case 'write-parameter':
        lines.push(`${at}a[${step.index % n}] = ${buildExpr(step.value, atomsAt(scope))};`);
        return;
      case 'push-call': {
        const name = `row${calls++}`;
        lines.push(`${at}const ${name} = h${k}(a, ${buildExpr(step.scale, atomsAt(scope))});`);
        if (typed) {
          lines.push(`${at}out[0] += ${name}[0]!;`);
          return;
        }
        lines.push(`${at}for (let i = 0; i < ${name}.length; i++) out.push(${name}[i]! * ${buildExpr(step.value, atomsAt(scope, [`${name}[i]!`]))});`);
        scope.length += n;
        return;
      }
    }
  };

  const scope: Scope = { length: 0, indent: '  ' };
  switch (recipe.start) {
    case 'empty':
      lines.push('  const out: number[] = [];');
      break;
    case 'literal':
      lines.push('  const out = [x * y, Math.sin(x)];');
      scope.length = 2;
      break;
    case 'typed':
      lines.push(`  const out = new Float64Array(${n + 1});`);
      scope.length = n + 1;
      break;
    case 'copy':
      lines.push(parameterType === 'Float64Array' ? '  const out = Array.from(a);' : '  const out = a.slice();');
      scope.length = n;
      break;
  }
  recipe.steps.forEach((s) => emit(s, scope));
  const extra = buildExpr(recipe.extra, atomsAt(scope));
  let returnType: string;
  switch (recipe.wrap) {
    case 'plain':
      returnType = outType;
      lines.push('  return out;');
      break;
    case 'object':
      returnType = `{ main: ${outType}; total: number }`;
      lines.push(`  return { main: out, total: ${extra} };`);
      break;
    case 'tuple':
      returnType = `[number, ${outType}]`;
      lines.push(`  return [${extra}, out];`);
      break;
    case 'nested':
      returnType = 'number[][]';
      lines.push(typed ? `  const rows: number[][] = [Array.from(out), [${extra}]];` : `  const rows: number[][] = [out, [${extra}]];`);
      lines.push('  return rows;');
      break;
    case 'with-parameter':
      returnType = `{ main: ${outType}; a: ${parameterType} }`;
      lines.push(`  a[0] = ${extra};`, '  return { main: out, a };');
      break;
  }
  return [
    `function h${k}(v: ${parameterType}, s: number): number[] {`,
    '  const r: number[] = [];',
    '  for (let i = 0; i < v.length; i++) r.push(Math.sin(v[i]! * s) + s * i);',
    '  return r;',
    '}',
    '',
    '/** @differentiable */',
    `export function f${k}(x: number, y: number, a: ${parameterType}): ${returnType} {`,
    ...lines,
    '}',
    '',
  ].join('\n');
}
