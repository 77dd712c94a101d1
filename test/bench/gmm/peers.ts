/**
 * The GMM objective for the peers, vectorised as ADBench's own TensorFlow and JAX versions are:
 * the lower triangular factors Q (k × d × d) are gathered from icf, the centred points
 * (k × n × d) multiplied by them in one batched matrix product.
 */
import type { GmmInput } from './data.ts';
import { logGammaDistrib } from './objective.ts';

/** For Q[k] (d × d, row-major): where entry (j, i) comes from in the row [qdiag (d), ltri (d(d−1)/2), 0]. */
function triangularGatherIndex(d: number): Int32Array {
  const icfSize = (d * (d + 1)) / 2;
  const index = new Int32Array(d * d).fill(icfSize); // the zero past the end
  for (let i = 0; i < d; i++) index[i * d + i] = i;
  let l = d;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) index[j * d + i] = l++; // column-wise, as in Qtimesx
  }
  return index;
}

/** The constant terms: CONSTANT and −k·C of the Wishart prior. */
function constants(p: GmmInput): number {
  const CONSTANT = -p.n * p.d * 0.5 * Math.log(2 * Math.PI);
  const nPrior = p.d + p.m + 1;
  const C = nPrior * p.d * (Math.log(p.gamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * nPrior, p.d);
  return CONSTANT - p.k * C;
}

type Tf = typeof import('@tensorflow/tfjs');

export function tfGmm(tf: Tf, p: GmmInput): () => { value: number; gradient: Float32Array } {
  const { d, k, n } = p;
  const icfSize = (d * (d + 1)) / 2;
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const alphas = tf.tensor1d(f32(p.alphas));
  const means = tf.tensor2d(f32(p.means), [k, d]);
  const icf = tf.tensor2d(f32(p.icf), [k, icfSize]);
  const x = tf.tensor2d(f32(p.x), [n, d]);
  const gatherIndex = tf.tensor1d(triangularGatherIndex(d), 'int32');
  const constant = constants(p);
  const objective = (alphas: any, means: any, icf: any) => {
    const logDiag = tf.slice(icf, [0, 0], [k, d]);
    const qdiag = tf.exp(logDiag);
    const sumQs = tf.sum(logDiag, 1);
    const ltri = tf.slice(icf, [0, d], [k, icfSize - d]);
    const row = tf.concat([qdiag, ltri, tf.zeros([k, 1])], 1);
    const Q = tf.reshape(tf.gather(row, gatherIndex, 1), [k, d, d]);
    const xc = tf.sub(tf.expandDims(x, 0), tf.expandDims(means, 1)); // k × n × d
    const Qx = tf.matMul(Q, xc, false, true); // k × d × n
    const sq = tf.sum(tf.square(Qx), 1); // k × n
    const main = tf.sub(tf.add(tf.expandDims(alphas, 1), tf.expandDims(sumQs, 1)), tf.mul(0.5, sq));
    const slse = tf.sum(tf.logSumExp(main, 0));
    const lseAlphas = tf.logSumExp(alphas);
    const frobenius = tf.add(tf.sum(tf.square(qdiag)), tf.sum(tf.square(ltri)));
    const prior = tf.sub(tf.mul(0.5 * p.gamma * p.gamma, frobenius), tf.mul(p.m, tf.sum(sumQs)));
    return tf.add(tf.add(tf.sub(slse, tf.mul(n, lseAlphas)), prior), constant) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () =>
    tf.tidy(() => {
      const { value, grads } = valueAndGrads([alphas, means, icf]);
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

/**
 * jax-js 0.1.25 cannot jit the gradient of `take` (its scatter), so Q is assembled from the icf
 * columns by concatenation and stacking instead, whose gradients are slices.
 */
export function jaxGmm(jax: Jax, p: GmmInput): () => { value: number; gradient: Float64Array } {
  const np = jax.numpy;
  const { d, k, n } = p;
  const icfSize = (d * (d + 1)) / 2;
  const f64 = { dtype: np.float64 };
  const alphas = np.array(p.alphas, f64);
  const means = np.array(p.means, f64).reshape([k, d]);
  const icf = np.array(p.icf, f64).reshape([k, icfSize]);
  const x = np.array(p.x, f64).reshape([n, d]);
  const constant = constants(p);
  // jax-js arrays are reference counted: every use of a value but its last takes `.ref`.
  const objective = (alphas: any, means: any, icf: any, x: any) => {
    const logDiag = icf.ref.slice([], [0, d]);
    const qdiag = np.exp(logDiag.ref);
    const sumQs = logDiag.sum(1);
    // Column i of the strictly lower part holds icf entries start_i … start_i + d − 2 − i, below the diagonal.
    const columns: any[] = [];
    let start = d;
    for (let i = 0; i < d; i++) {
      const length = d - 1 - i;
      const zeros = np.zeros([k, i + 1], f64);
      columns.push(length === 0 ? zeros : np.concatenate([zeros, icf.ref.slice([], [start, start + length])], 1));
      start += length;
    }
    const ltri = icf.slice([], [d, icfSize]);
    const L = np.stack(columns, 2); // k × d × d, L[k][j][i]
    const Q = L.add(np.expandDims(qdiag.ref, 2).mul(np.eye(d, undefined, f64)));
    const xc = np.expandDims(x, 0).sub(np.expandDims(means, 1)); // k × n × d
    const Qx = np.matmul(Q, np.matrixTranspose(xc)); // k × d × n
    const sq = np.square(Qx).sum(1); // k × n
    const main = np.expandDims(alphas.ref, 1).add(np.expandDims(sumQs.ref, 1)).sub(sq.mul(0.5));
    const slse = jax.nn.logsumexp(main, 0).sum();
    const lseAlphas = jax.nn.logsumexp(alphas);
    const frobenius = np.square(qdiag).sum().add(np.square(ltri).sum());
    const prior = frobenius.mul(0.5 * p.gamma * p.gamma).sub(sumQs.sum().mul(p.m));
    // A plain number would be a weak float32 constant under jit (jax-js 0.1.25): pass float64 arrays.
    return slse.sub(lseAlphas.mul(n)).add(prior).add(np.array(constant, f64));
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective, { argnums: [0, 1, 2] }));
  return () => {
    const [value, grads] = valueAndGrad(alphas.ref, means.ref, icf.ref, x.ref) as any;
    const gradient = new Float64Array(k + k * d + k * icfSize);
    let at = 0;
    for (const g of grads) {
      const data = g.dataSync() as Float64Array;
      gradient.set(data, at);
      at += data.length;
    }
    return { value: value.item(), gradient };
  };
}
