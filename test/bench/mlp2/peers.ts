/** The two-hidden-layer MLP loss for the peers: three matrix products, tanh, and log-softmax over the batch. */
import type { MlpInput } from '../mlp/peers.ts';

export interface Mlp2Input extends MlpInput {
  w3: Float64Array;
  b3: Float64Array;
}

/** One-hot rows of the labels (batch × nOut). */
function oneHot(p: Mlp2Input): Float64Array {
  const out = new Float64Array(p.batch * p.nOut);
  for (let s = 0; s < p.batch; s++) out[s * p.nOut + p.labels[s]!] = 1;
  return out;
}

type Tf = typeof import('@tensorflow/tfjs');

export function tfMlp2(tf: Tf, p: Mlp2Input): () => { value: number; gradient: Float32Array } {
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const params = [
    tf.tensor2d(f32(p.w1), [p.nHidden, p.nIn]),
    tf.tensor1d(f32(p.b1)),
    tf.tensor2d(f32(p.w2), [p.nHidden, p.nHidden]),
    tf.tensor1d(f32(p.b2)),
    tf.tensor2d(f32(p.w3), [p.nOut, p.nHidden]),
    tf.tensor1d(f32(p.b3)),
  ];
  const x = tf.tensor2d(f32(p.inputs), [p.batch, p.nIn]);
  const y = tf.tensor2d(f32(oneHot(p)), [p.batch, p.nOut]);
  const objective = (w1: any, b1: any, w2: any, b2: any, w3: any, b3: any) => {
    const h1 = tf.tanh(tf.add(tf.matMul(x, w1, false, true), b1));
    const h2 = tf.tanh(tf.add(tf.matMul(h1, w2, false, true), b2));
    const logits = tf.add(tf.matMul(h2, w3, false, true), b3);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1))) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () =>
    tf.tidy(() => {
      const { value, grads } = valueAndGrads(params);
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

export function jaxMlp2(jax: Jax, p: Mlp2Input): () => { value: number; gradient: Float64Array } {
  const np = jax.numpy;
  const f64 = { dtype: np.float64 };
  const w1 = np.array(p.w1, f64).reshape([p.nHidden, p.nIn]);
  const b1 = np.array(p.b1, f64);
  const w2 = np.array(p.w2, f64).reshape([p.nHidden, p.nHidden]);
  const b2 = np.array(p.b2, f64);
  const w3 = np.array(p.w3, f64).reshape([p.nOut, p.nHidden]);
  const b3 = np.array(p.b3, f64);
  const x = np.array(p.inputs, f64).reshape([p.batch, p.nIn]);
  const y = np.array(oneHot(p), f64).reshape([p.batch, p.nOut]);
  const objective = (w1: any, b1: any, w2: any, b2: any, w3: any, b3: any, x: any, y: any) => {
    const h1 = np.tanh(np.matmul(x, np.matrixTranspose(w1)).add(b1));
    const h2 = np.tanh(np.matmul(h1, np.matrixTranspose(w2)).add(b2));
    const logits = np.matmul(h2, np.matrixTranspose(w3)).add(b3);
    const loss = jax.nn.logsumexp(logits.ref, 1).sub(y.mul(logits).sum(1)).sum();
    // A plain number would be a weak float32 constant under jit (jax-js 0.1.25): divide by a float64 array.
    return loss.div(np.array(p.batch, f64));
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective, { argnums: [0, 1, 2, 3, 4, 5] }));
  const n = p.w1.length + p.b1.length + p.w2.length + p.b2.length + p.w3.length + p.b3.length;
  return () => {
    const [value, grads] = valueAndGrad(w1.ref, b1.ref, w2.ref, b2.ref, w3.ref, b3.ref, x.ref, y.ref) as any;
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
