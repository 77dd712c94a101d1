/** The MLP training loss (64-128-10, batch 128) with a hand-written gradient beside it. */
import { concat, loadJax, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { mlpLossHandGradient } from './hand.ts';
import { mlpLoss } from './objective.ts';
import { valueAndGrad_mlpLoss } from './objective.grad.ts';
import { jaxMlp, tfMlp, type MlpInput } from './peers.ts';

/** Deterministic data: Gaussian inputs, labels cycling through the classes, LeCun-scaled weights. */
export function mlpInput(nIn = 64, nHidden = 128, nOut = 10, batch = 128): MlpInput {
  let seed = 12345;
  const uniform = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) + 0.5) / 2147483647;
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const matrix = (n: number, scale: number) => Float64Array.from({ length: n }, () => scale * gaussian());
  return {
    nIn,
    nHidden,
    nOut,
    batch,
    w1: matrix(nHidden * nIn, 1 / Math.sqrt(nIn)),
    b1: matrix(nHidden, 0.1),
    w2: matrix(nOut * nHidden, 1 / Math.sqrt(nHidden)),
    b2: matrix(nOut, 0.1),
    inputs: matrix(batch * nIn, 1),
    labels: Float64Array.from({ length: batch }, (_, s) => (s * 7) % nOut),
  };
}

function args(p: MlpInput) {
  return [p.w1, p.b1, p.w2, p.b2, p.inputs, p.labels, p.nIn, p.nHidden, p.nOut, p.batch] as const;
}

export async function prepareMlp(): Promise<PreparedWorkload> {
  const p = mlpInput();
  const flat = (r: { value: number; grad: { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array } }) => ({
    value: r.value,
    gradient: concat([r.grad.w1, r.grad.b1, r.grad.w2, r.grad.b2]),
  });
  const tools: GradientTool[] = [
    { name: 'adjoint', precision: 'float64', run: () => valueAndGrad_mlpLoss(...args(p)), evaluate: () => flat(valueAndGrad_mlpLoss(...args(p))) },
    { name: 'hand', precision: 'float64', run: () => mlpLossHandGradient(...args(p)), evaluate: () => flat(mlpLossHandGradient(...args(p))) },
  ];
  const skipped: Skipped[] = [];
  const tf = await loadTf();
  if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
  else {
    const run = tfMlp(tf, p);
    tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run });
  }
  const jax = await loadJax();
  if (typeof jax === 'string') skipped.push({ name: 'jax', reason: jax });
  else {
    const run = jaxMlp(jax, p);
    tools.push({ name: 'jax', precision: 'float64', run, evaluate: run, note: 'jit(valueAndGrad), wasm backend' });
  }
  const point = concat([p.w1, p.b1, p.w2, p.b2]);
  const sizes = [p.w1.length, p.b1.length, p.w2.length, p.b2.length];
  const at = [0, sizes[0]!, sizes[0]! + sizes[1]!, sizes[0]! + sizes[1]! + sizes[2]!, point.length];
  // The hand-written gradient is checked on every entry too (finite differences only sample).
  const hand = flat(mlpLossHandGradient(...args(p))).gradient;
  return {
    id: 'mlp',
    group: 'mlp',
    title: `MLP ${p.nIn}-${p.nHidden}-${p.nOut}, batch ${p.batch}`,
    inputs: point.length,
    f: () => mlpLoss(...args(p)),
    fAt: (x) => mlpLoss(x.subarray(at[0], at[1]), x.subarray(at[1], at[2]), x.subarray(at[2], at[3]), x.subarray(at[3], at[4]), p.inputs, p.labels, p.nIn, p.nHidden, p.nOut, p.batch),
    point,
    tools,
    skipped,
    references: [{ label: 'hand-written gradient, every entry', entries: Array.from(hand, (expected, index) => ({ index, expected })), tolerance: 1e-12 }],
    fdEntries: 8,
  };
}
