/**
 * The LSTM objective for the peers: the same recurrence over the sequence, as vector operations on
 * the b hidden units of each layer (a tensor library cannot vectorise across time steps here).
 */
import type { LstmInput } from './data.ts';

type Tf = typeof import('@tensorflow/tfjs');

export function tfLstm(tf: Tf, p: LstmInput): () => { value: number; gradient: Float32Array } {
  const { l, c, b } = p;
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const mainParams = tf.tensor1d(f32(p.mainParams));
  const extraParams = tf.tensor1d(f32(p.extraParams));
  const sequence = Array.from({ length: c }, (_, t) => tf.tensor1d(f32(p.sequence.subarray(t * b, (t + 1) * b))));
  const state = Array.from({ length: 2 * l }, (_, i) => tf.tensor1d(f32(p.state.subarray(i * b, (i + 1) * b))));
  const objective = (main: any, extra: any) => {
    const part = (v: any, i: number) => tf.slice(v, [i * b], [b]);
    const layers = Array.from({ length: l }, (_, i) => Array.from({ length: 8 }, (_, j) => part(main, 8 * i + j)));
    const [inWeight, outWeight, outBias] = [part(extra, 0), part(extra, 1), part(extra, 2)];
    const hidden = Array.from({ length: l }, (_, i) => state[2 * i]!);
    const cell = Array.from({ length: l }, (_, i) => state[2 * i + 1]!);
    let total: any = tf.scalar(0);
    for (let t = 0; t < c - 1; t++) {
      let input: any = tf.mul(sequence[t]!, inWeight);
      for (let i = 0; i < l; i++) {
        const [wf, wi, wo, wc, bf, bi, bo, bc] = layers[i]!;
        const forget = tf.sigmoid(tf.add(tf.mul(input, wf!), bf!));
        const ingate = tf.sigmoid(tf.add(tf.mul(hidden[i]!, wi!), bi!));
        const outgate = tf.sigmoid(tf.add(tf.mul(input, wo!), bo!));
        const change = tf.tanh(tf.add(tf.mul(hidden[i]!, wc!), bc!));
        cell[i] = tf.add(tf.mul(cell[i]!, forget), tf.mul(ingate, change));
        hidden[i] = tf.mul(outgate, tf.tanh(cell[i]!));
        input = hidden[i];
      }
      const ypred = tf.add(tf.mul(input, outWeight), outBias);
      const lse = tf.log(tf.add(tf.sum(tf.exp(ypred)), 2));
      total = tf.add(total, tf.sum(tf.mul(sequence[t + 1]!, tf.sub(ypred, lse))));
    }
    return tf.div(tf.neg(total), (c - 1) * b) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () =>
    tf.tidy(() => {
      const { value, grads } = valueAndGrads([mainParams, extraParams]);
      const g0 = grads[0]!.dataSync() as Float32Array;
      const g1 = grads[1]!.dataSync() as Float32Array;
      const gradient = new Float32Array(g0.length + g1.length);
      gradient.set(g0);
      gradient.set(g1, g0.length);
      return { value: value.dataSync()[0]!, gradient };
    });
}

type Jax = typeof import('@jax-js/jax');

export function jaxLstm(jax: Jax, p: LstmInput, steps = p.c, jit = true): () => { value: number; gradient: Float64Array } {
  const np = jax.numpy;
  const { l, b } = p;
  const c = steps;
  const f64 = { dtype: np.float64 };
  const mainParams = np.array(p.mainParams, f64).reshape([l, 8, b]);
  const extraParams = np.array(p.extraParams, f64).reshape([3, b]);
  const sequence = np.array(p.sequence.subarray(0, c * b), f64).reshape([c, b]);
  const state = np.array(p.state, f64).reshape([l, 2, b]);
  // Reference counting: every use of a value but its last takes `.ref`.
  const objective = (main: any, extra: any, sequence: any, state: any) => {
    const w = Array.from({ length: l }, (_, i) => Array.from({ length: 8 }, (_, j) => main.ref.slice(i, j)));
    main.dispose();
    const [inWeight, outWeight, outBias] = [extra.ref.slice(0), extra.ref.slice(1), extra.slice(2)];
    const seq = Array.from({ length: c }, (_, t) => sequence.ref.slice(t));
    sequence.dispose();
    const hidden = Array.from({ length: l }, (_, i) => state.ref.slice(i, 0));
    const cell = Array.from({ length: l }, (_, i) => state.ref.slice(i, 1));
    state.dispose();
    let total: any = np.zeros([], f64);
    for (let t = 0; t < c - 1; t++) {
      let input: any = seq[t]!.mul(inWeight.ref);
      for (let i = 0; i < l; i++) {
        const [wf, wi, wo, wc, bf, bi, bo, bc] = w[i]!;
        const forget = jax.nn.sigmoid(input.ref.mul(wf!.ref).add(bf!.ref));
        const ingate = jax.nn.sigmoid(hidden[i]!.ref.mul(wi!.ref).add(bi!.ref));
        const outgate = jax.nn.sigmoid(input.mul(wo!.ref).add(bo!.ref));
        const change = np.tanh(hidden[i]!.mul(wc!.ref).add(bc!.ref));
        cell[i] = cell[i]!.mul(forget).add(ingate.mul(change));
        hidden[i] = outgate.mul(np.tanh(cell[i]!.ref));
        input = hidden[i]!.ref;
      }
      const ypred = input.mul(outWeight.ref).add(outBias.ref);
      const lse = np.log(np.exp(ypred.ref).sum().add(2));
      total = total.add(seq[t + 1]!.ref.mul(ypred.sub(lse)).sum());
    }
    for (const v of [...w.flat(), inWeight, outWeight, outBias, seq[c - 1]!, ...hidden, ...cell]) v.dispose();
    // A plain number here would be a weak float32 constant under jit (jax-js 0.1.25 then loses precision and the gradient).
    return total.neg().div(np.array((c - 1) * b, f64));
  };
  const valueAndGrad = jit ? jax.jit(jax.valueAndGrad(objective, { argnums: [0, 1] })) : jax.valueAndGrad(objective, { argnums: [0, 1] });
  return () => {
    const [value, grads] = valueAndGrad(mainParams.ref, extraParams.ref, sequence.ref, state.ref) as any;
    const g0 = grads[0].dataSync() as Float64Array;
    const g1 = grads[1].dataSync() as Float64Array;
    const gradient = new Float64Array(g0.length + g1.length);
    gradient.set(g0);
    gradient.set(g1, g0.length);
    return { value: value.item(), gradient };
  };
}
