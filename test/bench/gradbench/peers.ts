/**
 * GradBench's llsq, lse and kmeans for the peers, written as array programs (as GradBench's own
 * JAX and TensorFlow tools write them): llsq with the powers tᵢʲ as a constant matrix, lse from
 * max, exp, sum and log, kmeans from the matrix of squared distances and its minimum per point.
 */
type Tf = typeof import('@tensorflow/tfjs');
type Jax = typeof import('@jax-js/jax');

/** The n × m matrix of tᵢʲ and the signs sᵢ of llsq (constants: they do not depend on x). */
export function llsqConstants(n: number, m: number): { powers: Float64Array; signs: Float64Array } {
  const powers = new Float64Array(n * m);
  const signs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    signs[i] = Math.sign(t);
    let power = 1;
    for (let j = 0; j < m; j++) {
      powers[i * m + j] = power;
      power *= t;
    }
  }
  return { powers, signs };
}

interface Result<A extends ArrayLike<number>> {
  value: number;
  gradient: A;
}

export function tfLlsq(tf: Tf, x: Float64Array, n: number): () => Result<Float32Array> {
  const m = x.length;
  const { powers, signs } = llsqConstants(n, m);
  const T = tf.tensor2d(Float32Array.from(powers), [n, m]);
  const s = tf.tensor1d(Float32Array.from(signs));
  const xs = tf.tensor1d(Float32Array.from(x));
  const valueAndGrad = tf.valueAndGrad((x: any) => tf.sum(tf.square(tf.sub(s, tf.matMul(T, x.reshape([m, 1])).reshape([n])))).div(2) as any);
  return () =>
    tf.tidy(() => {
      const { value, grad } = valueAndGrad(xs);
      return { value: value.dataSync()[0]!, gradient: grad.dataSync() as Float32Array };
    });
}

export function jaxLlsq(jax: Jax, x: Float64Array, n: number): () => Result<Float64Array> {
  const np = jax.numpy;
  const f64 = { dtype: np.float64 };
  const m = x.length;
  const { powers, signs } = llsqConstants(n, m);
  const T = np.array(powers, f64).reshape([n, m]);
  const s = np.array(signs, f64);
  const xs = np.array(x, f64);
  const objective = (x: any, T: any, s: any) => np.square(s.sub(np.matmul(T, x))).sum().div(np.array(2, f64));
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective));
  return () => {
    const [value, grad] = valueAndGrad(xs.ref, T.ref, s.ref) as any;
    return { value: value.item(), gradient: grad.dataSync() as Float64Array };
  };
}

export function tfLse(tf: Tf, x: Float64Array): () => Result<Float32Array> {
  const xs = tf.tensor1d(Float32Array.from(x));
  const valueAndGrad = tf.valueAndGrad((x: any) => {
    const A = tf.max(x);
    return tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, A)))), A) as any;
  });
  return () =>
    tf.tidy(() => {
      const { value, grad } = valueAndGrad(xs);
      return { value: value.dataSync()[0]!, gradient: grad.dataSync() as Float32Array };
    });
}

export function jaxLse(jax: Jax, x: Float64Array): () => Result<Float64Array> {
  const np = jax.numpy;
  const xs = np.array(x, { dtype: np.float64 });
  const objective = (x: any) => {
    const A = np.max(x.ref);
    return np.log(np.exp(x.sub(A.ref)).sum()).add(A);
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective));
  return () => {
    const [value, grad] = valueAndGrad(xs.ref) as any;
    return { value: value.item(), gradient: grad.dataSync() as Float64Array };
  };
}

export function tfKmeans(tf: Tf, points: Float64Array, centroids: Float64Array, d: number): () => Result<Float32Array> {
  const n = points.length / d;
  const k = centroids.length / d;
  const P = tf.tensor2d(Float32Array.from(points), [n, d]);
  const C = tf.tensor2d(Float32Array.from(centroids), [k, d]);
  const valueAndGrad = tf.valueAndGrad((c: any) => {
    // ‖p − c‖² = ‖p‖² + ‖c‖² − 2 p·c, for every point (rows) and centroid (columns)
    const distances = tf.sub(tf.add(tf.sum(tf.square(P), 1, true), tf.sum(tf.square(c), 1).reshape([1, k])), tf.mul(2, tf.matMul(P, c, false, true)));
    return tf.sum(tf.min(distances, 1)) as any;
  });
  return () =>
    tf.tidy(() => {
      const { value, grad } = valueAndGrad(C);
      return { value: value.dataSync()[0]!, gradient: grad.dataSync() as Float32Array };
    });
}

export function jaxKmeans(jax: Jax, points: Float64Array, centroids: Float64Array, d: number): () => Result<Float64Array> {
  const np = jax.numpy;
  const f64 = { dtype: np.float64 };
  const n = points.length / d;
  const k = centroids.length / d;
  const P = np.array(points, f64).reshape([n, d]);
  const C = np.array(centroids, f64).reshape([k, d]);
  const objective = (c: any, p: any) => {
    const pp = np.square(p.ref).sum(1).reshape([n, 1]);
    const cc = np.square(c.ref).sum(1).reshape([1, k]);
    const distances = pp.add(cc).sub(np.matmul(p, np.matrixTranspose(c)).mul(np.array(2, f64)));
    return np.min(distances, 1).sum();
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective));
  return () => {
    const [value, grad] = valueAndGrad(C.ref, P.ref) as any;
    return { value: value.item(), gradient: grad.dataSync() as Float64Array };
  };
}
