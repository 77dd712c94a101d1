/** The MLP loss for the peers: two matrix products, tanh, and log-softmax over the batch. */

export interface MlpInput {
  nIn: number;
  nHidden: number;
  nOut: number;
  batch: number;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
  inputs: Float64Array;
  labels: Float64Array;
}

/** One-hot rows of the labels (batch × nOut). */
function oneHot(p: MlpInput): Float64Array {
  const out = new Float64Array(p.batch * p.nOut);
  for (let s = 0; s < p.batch; s++) out[s * p.nOut + p.labels[s]!] = 1;
  return out;
}

type Tf = typeof import('@tensorflow/tfjs');

export function tfMlp(tf: Tf, p: MlpInput): () => { value: number; gradient: Float32Array } {
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const w1 = tf.tensor2d(f32(p.w1), [p.nHidden, p.nIn]);
  const b1 = tf.tensor1d(f32(p.b1));
  const w2 = tf.tensor2d(f32(p.w2), [p.nOut, p.nHidden]);
  const b2 = tf.tensor1d(f32(p.b2));
  const x = tf.tensor2d(f32(p.inputs), [p.batch, p.nIn]);
  const y = tf.tensor2d(f32(oneHot(p)), [p.batch, p.nOut]);
  const objective = (w1: any, b1: any, w2: any, b2: any) => {
    const hidden = tf.tanh(tf.add(tf.matMul(x, w1, false, true), b1));
    const logits = tf.add(tf.matMul(hidden, w2, false, true), b2);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1))) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () =>
    tf.tidy(() => {
      const { value, grads } = valueAndGrads([w1, b1, w2, b2]);
      const parts = grads.map((g) => g.dataSync() as Float32Array);
      const gradient = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
      let at = 0;
      for (const part of parts) {
        gradient.set(part, at);
        at += part.length;
      }
      return { value: value.dataSync()[0]!, gradient };
    });
}

type Jax = typeof import('@jax-js/jax');

export function jaxMlp(jax: Jax, p: MlpInput): () => { value: number; gradient: Float64Array } {
  const np = jax.numpy;
  const f64 = { dtype: np.float64 };
  const w1 = np.array(p.w1, f64).reshape([p.nHidden, p.nIn]);
  const b1 = np.array(p.b1, f64);
  const w2 = np.array(p.w2, f64).reshape([p.nOut, p.nHidden]);
  const b2 = np.array(p.b2, f64);
  const x = np.array(p.inputs, f64).reshape([p.batch, p.nIn]);
  const y = np.array(oneHot(p), f64).reshape([p.batch, p.nOut]);
  const objective = (w1: any, b1: any, w2: any, b2: any, x: any, y: any) => {
    const hidden = np.tanh(np.matmul(x, np.matrixTranspose(w1)).add(b1));
    const logits = np.matmul(hidden, np.matrixTranspose(w2)).add(b2);
    const loss = jax.nn.logsumexp(logits.ref, 1).sub(y.mul(logits).sum(1)).sum();
    // A plain number would be a weak float32 constant under jit (jax-js 0.1.25): divide by a float64 array.
    return loss.div(np.array(p.batch, f64));
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective, { argnums: [0, 1, 2, 3] }));
  const n = p.w1.length + p.b1.length + p.w2.length + p.b2.length;
  return () => {
    const [value, grads] = valueAndGrad(w1.ref, b1.ref, w2.ref, b2.ref, x.ref, y.ref) as any;
    const gradient = new Float64Array(n);
    let at = 0;
    for (const g of grads) {
      const data = g.dataSync() as Float64Array;
      gradient.set(data, at);
      at += data.length;
    }
    return { value: value.item(), gradient };
  };
}
