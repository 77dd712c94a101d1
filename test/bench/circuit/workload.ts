/**
 * Circuits: random straight-line programs of 1,000 and 10,000 operations in which every value is
 * used at least twice (generated into circuit/generated/ by run.ts), and mathjs's symbolic
 * derivative on smaller ones of the same kind, to show how its size and time explode.
 */
import { existsSync } from 'node:fs';
import { CIRCUIT_SIZES, circuitPath } from '../catalog.ts';
import { loadJax, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { CIRCUIT_INPUTS, circuitInput, evaluateCircuit, makeCircuit, type Circuit, type OpKind } from './generate.ts';
import { jaxCircuit, mathjsDerivative, tfCircuit } from './peers.ts';

export async function prepareCircuit(name: string, options: { quick: boolean }): Promise<PreparedWorkload> {
  const size = CIRCUIT_SIZES[name];
  if (!size) throw new Error(`unknown circuit ${name}`);
  const companion = circuitPath(name, '.grad.ts');
  if (!existsSync(companion)) throw new Error(`no companion ${companion}: its generation failed or timed out`);
  const source = await import(circuitPath(name));
  const grad = await import(companion);
  const f = source[`circuit${name}`] as (x: Float64Array) => number;
  const valueAndGrad = grad[`valueAndGrad_circuit${name}`] as (x: Float64Array) => { value: number; grad: { x: Float64Array } };
  const circuit = makeCircuit(size);
  const x = circuitInput();
  if (f(x) !== evaluateCircuit(circuit, x)) throw new Error(`generated/circuit${name}.ts does not match the generator: regenerate it`);
  const math = name === '1k' ? await import('mathjs').catch((error: Error) => `mathjs could not be loaded: ${error.message}`) : undefined;
  const tools: GradientTool[] = [
    {
      name: 'adjoint',
      precision: 'float64',
      run: () => valueAndGrad(x),
      evaluate: () => {
        const r = valueAndGrad(x);
        return { value: r.value, gradient: r.grad.x };
      },
    },
  ];
  const skipped: Skipped[] = [];
  const tf = await loadTf();
  if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
  else {
    const run = tfCircuit(tf, circuit, x);
    tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run, note: 'one scalar tensor per value' });
  }
  if (size > 2_000) {
    skipped.push({ name: 'jax', reason: `jit of ${size} scalar operations takes about 150 s to compile in jax-js 0.1.25 (2 s for 1,000)` });
  } else {
    const jax = await loadJax();
    if (typeof jax === 'string') skipped.push({ name: 'jax', reason: jax });
    else {
      const run = jaxCircuit(jax, circuit, x);
      tools.push({ name: 'jax', precision: 'float64', run, evaluate: run, note: 'jit(valueAndGrad) of the scalar graph' });
    }
  }
  return {
    id: `circuit/${name}`,
    group: 'circuit',
    title: `circuit, ${size.toLocaleString('en')} ops`,
    inputs: CIRCUIT_INPUTS,
    f: () => f(x),
    fAt: (y) => f(y),
    point: x,
    tools,
    skipped,
    fdEntries: CIRCUIT_INPUTS,
    extra: () => ({
      expressionTreeSize: expandedSize(circuit),
      ...(math ? { mathjs: mathjsSeries(math, options.quick) } : {}),
    }),
  };
}

/** mathjs nodes an operation adds besides its operands' (a function call counts its name too). */
const NODES_PER_OP: Record<OpKind, number> = { mul: 1, sinAdd: 3, tanhSub: 3, mean: 4, cosMul: 3, mulExp: 5 };

/** The number of nodes of the circuit's result written out as one mathjs expression tree. */
function expandedSize(circuit: Circuit): number {
  const T: number[] = new Array(CIRCUIT_INPUTS).fill(1);
  for (const op of circuit.ops) T.push(NODES_PER_OP[op.kind] + T[op.a]! + T[op.b]!);
  return circuit.outputs.reduce((s, o) => s + T[o]!, circuit.outputs.length - 1);
}

/**
 * mathjs's derivative with respect to x0 of circuits of 25, 50, 100, … operations, until one
 * takes over a second (or half that with --quick); the first is checked against finite differences.
 */
function mathjsSeries(math: typeof import('mathjs') | string, quick: boolean): unknown {
  if (typeof math === 'string') return { skipped: math };
  const rows: Array<{ ops: number; expressionNodes: number; derivativeNodes: number; ms: number; fullExpressionNodes: number }> = [];
  let check = '';
  for (const ops of [25, 50, 75, 100, 125, 150, 175, 200, 225, 250, 275, 300]) {
    const circuit = makeCircuit(ops);
    const r = mathjsDerivative(math, circuit);
    rows.push({ ops, expressionNodes: r.treeSize, derivativeNodes: r.derivativeSize, ms: r.ms, fullExpressionNodes: expandedSize(circuit) });
    if (ops === 25) {
      const x = circuitInput();
      const scope = Object.fromEntries(Array.from(x, (v, i) => [`x${i}`, v]));
      const symbolic = r.derivative.evaluate(scope) as number;
      const h = 1e-5;
      const y = x.slice();
      y[0] = x[0]! + h;
      const plus = evaluateCircuit(circuit, y);
      y[0] = x[0]! - h;
      const fd = (plus - evaluateCircuit(circuit, y)) / (2 * h);
      check = `derivative of the 25-operation circuit at the point: ${symbolic}, central difference ${fd}`;
    }
    if (r.ms > (quick ? 500 : 1_000)) break;
  }
  return { rows, check };
}
