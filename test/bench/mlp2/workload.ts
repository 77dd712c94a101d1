/** The two-hidden-layer MLP loss (32-64-64-10, batch 128) with its per-sample fused hand-written gradient beside it. */
import { concat, loadJax, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { mlpInput } from '../mlp/workload.ts';
import { mlp2LossHandGradient } from './hand.ts';
import { mlp2Loss } from './objective.ts';
import { valueAndGrad_mlp2Loss } from './objective.grad.ts';
import { jaxMlp2, tfMlp2, type Mlp2Input } from './peers.ts';

/** Deterministic data as mlp/'s, with a second hidden layer. */
function mlp2Input(nIn = 32, nHidden = 64, nOut = 10, batch = 128): Mlp2Input {
  const first = mlpInput(nIn, nHidden, nOut, batch);
  const second = mlpInput(nHidden, nHidden, nOut, 1);
  // first's w2/b2 (nOut × nHidden) become the output layer; second's w1/b1 (nHidden × nHidden) the middle one
  return { ...first, w2: second.w1, b2: second.b1, w3: first.w2, b3: first.b2 };
}

function args(p: Mlp2Input) {
  return [p.w1, p.b1, p.w2, p.b2, p.w3, p.b3, p.inputs, p.labels, p.nIn, p.nHidden, p.nOut, p.batch] as const;
}

type Grad = { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array; w3: Float64Array; b3: Float64Array };

export async function prepareMlp2(): Promise<PreparedWorkload> {
  const p = mlp2Input();
  const flat = (r: { value: number; grad: Grad }) => ({ value: r.value, gradient: concat([r.grad.w1, r.grad.b1, r.grad.w2, r.grad.b2, r.grad.w3, r.grad.b3]) });
  const tools: GradientTool[] = [
    { name: 'adjoint', precision: 'float64', run: () => valueAndGrad_mlp2Loss(...args(p)), evaluate: () => flat(valueAndGrad_mlp2Loss(...args(p))) },
    { name: 'hand', precision: 'float64', run: () => mlp2LossHandGradient(...args(p)), evaluate: () => flat(mlp2LossHandGradient(...args(p))) },
  ];
  const skipped: Skipped[] = [];
  const tf = await loadTf();
  if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
  else {
    const run = tfMlp2(tf, p);
    tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run });
  }
  const jax = await loadJax();
  if (typeof jax === 'string') skipped.push({ name: 'jax', reason: jax });
  else {
    const run = jaxMlp2(jax, p);
    tools.push({ name: 'jax', precision: 'float64', run, evaluate: run, note: 'jit(valueAndGrad), wasm backend' });
  }
  const parts = [p.w1, p.b1, p.w2, p.b2, p.w3, p.b3];
  const point = concat(parts);
  const at = [0];
  for (const part of parts) at.push(at.at(-1)! + part.length);
  const view = (x: Float64Array, i: number) => x.subarray(at[i], at[i + 1]);
  const hand = flat(mlp2LossHandGradient(...args(p))).gradient;
  return {
    id: 'mlp2',
    group: 'mlp',
    title: `MLP ${p.nIn}-${p.nHidden}-${p.nHidden}-${p.nOut}, batch ${p.batch} (hand: fused per sample)`,
    inputs: point.length,
    f: () => mlp2Loss(...args(p)),
    fAt: (x) => mlp2Loss(view(x, 0), view(x, 1), view(x, 2), view(x, 3), view(x, 4), view(x, 5), p.inputs, p.labels, p.nIn, p.nHidden, p.nOut, p.batch),
    point,
    tools,
    skipped,
    references: [{ label: 'hand-written gradient, every entry', entries: Array.from(hand, (expected, index) => ({ index, expected })), tolerance: 1e-12 }],
    fdEntries: 8,
  };
}
