/**
 * The BA objective for the peers, vectorised over the observations: each observation's camera and
 * point are gathered, projected and compared with its feature in one pass of array operations.
 * Only the θ ≠ 0 branch of the Rodrigues rotation is written (the ADBench cameras all rotate).
 *
 * The peers differentiate with respect to the gathered per-observation copies of the cameras and
 * points, and the adjoints are then summed into the cameras and points in plain JavaScript: TF.js's
 * CPU gradient of `gather` (unsortedSegmentSum) costs O(observations × points), over 3 minutes on
 * ba1, and jax-js 0.1.25 cannot jit the gradient of `take` (its scatter).
 */
import type { BaInput } from './data.ts';

/** Adds the per-observation adjoints into the cameras' and points' (the scatter-add of a gather's gradient). */
function scatterAdd(p: BaInput, dCam: ArrayLike<number>, dPt: ArrayLike<number>, dW: ArrayLike<number>): Float64Array {
  const gradient = new Float64Array(11 * p.n + 3 * p.m + p.p);
  const points = 11 * p.n;
  const weights = points + 3 * p.m;
  for (let i = 0; i < p.p; i++) {
    const c = 11 * p.obs[2 * i]!;
    const x = points + 3 * p.obs[2 * i + 1]!;
    for (let j = 0; j < 11; j++) gradient[c + j] += dCam[11 * i + j]!;
    for (let j = 0; j < 3; j++) gradient[x + j] += dPt[3 * i + j]!;
    gradient[weights + i] = dW[i]!;
  }
  return gradient;
}

function indices(p: BaInput, which: 0 | 1): Int32Array {
  return Int32Array.from({ length: p.p }, (_, i) => p.obs[2 * i + which]!);
}

type Tf = typeof import('@tensorflow/tfjs');

export function tfBa(tf: Tf, p: BaInput): () => { value: number; gradient: Float64Array } {
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const cams = tf.tensor2d(f32(p.cams), [p.n, 11]);
  const X = tf.tensor2d(f32(p.X), [p.m, 3]);
  const w = tf.tensor1d(f32(p.w));
  const camIndex = tf.tensor1d(indices(p, 0), 'int32');
  const ptIndex = tf.tensor1d(indices(p, 1), 'int32');
  const feats = tf.tensor2d(f32(p.feats), [p.p, 2]);
  const objective = (cam: any, pt: any, w: any) => {
    const col = (a: any, i: number, n = 1) => tf.slice(a, [0, i], [-1, n]);
    const rot = col(cam, 0, 3);
    const Xo = tf.sub(pt, col(cam, 3, 3));
    const theta = tf.sqrt(tf.sum(tf.square(rot), 1, true));
    const costheta = tf.cos(theta);
    const sintheta = tf.sin(theta);
    const u = tf.div(rot, theta);
    const [u0, u1, u2] = [col(u, 0), col(u, 1), col(u, 2)];
    const [x0, x1, x2] = [col(Xo, 0), col(Xo, 1), col(Xo, 2)];
    const cross = tf.concat([tf.sub(tf.mul(u1, x2), tf.mul(u2, x1)), tf.sub(tf.mul(u2, x0), tf.mul(u0, x2)), tf.sub(tf.mul(u0, x1), tf.mul(u1, x0))], 1);
    const tmp = tf.mul(tf.sum(tf.mul(u, Xo), 1, true), tf.sub(1, costheta));
    const Xcam = tf.add(tf.add(tf.mul(Xo, costheta), tf.mul(cross, sintheta)), tf.mul(u, tmp));
    const proj = tf.div(col(Xcam, 0, 2), col(Xcam, 2));
    const rsq = tf.sum(tf.square(proj), 1, true);
    const L = tf.add(tf.add(1, tf.mul(col(cam, 9), rsq)), tf.mul(col(cam, 10), tf.square(rsq)));
    const projected = tf.add(tf.mul(tf.mul(proj, L), col(cam, 6)), col(cam, 7, 2));
    const err = tf.mul(tf.expandDims(w, 1), tf.sub(projected, feats));
    return tf.sum(tf.square(err)) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () => {
    let result!: { value: number; gradient: Float64Array };
    tf.tidy(() => {
      const { value, grads } = valueAndGrads([tf.gather(cams, camIndex), tf.gather(X, ptIndex), w]);
      const [dCam, dPt, dW] = grads.map((g) => g.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array];
      result = { value: value.dataSync()[0]!, gradient: scatterAdd(p, dCam, dPt, dW) };
    });
    return result;
  };
}

type Jax = typeof import('@jax-js/jax');

export function jaxBa(jax: Jax, p: BaInput): () => { value: number; gradient: Float64Array } {
  const np = jax.numpy;
  const f64 = { dtype: np.float64 };
  const cams = np.array(p.cams, f64).reshape([p.n, 11]);
  const X = np.array(p.X, f64).reshape([p.m, 3]);
  const w = np.array(p.w, f64);
  const camIndex = np.array(indices(p, 0), { dtype: np.int32 });
  const ptIndex = np.array(indices(p, 1), { dtype: np.int32 });
  const feats = np.array(p.feats, f64).reshape([p.p, 2]);
  const one = () => np.array(1, f64);
  // Reference counting: every use of a value but its last takes `.ref`.
  const objective = (cam: any, pt: any, w: any, feats: any) => {
    const col = (a: any, i: number, n = 1) => a.ref.slice([], [i, i + n]);
    const rot = col(cam, 0, 3);
    const Xo = pt.sub(col(cam, 3, 3));
    const theta = np.sqrt(np.square(rot.ref).sum(1, { keepdims: true }));
    const costheta = np.cos(theta.ref);
    const sintheta = np.sin(theta.ref);
    const u = rot.div(theta);
    const [u0, u1, u2] = [col(u, 0), col(u, 1), col(u, 2)];
    const [x0, x1, x2] = [col(Xo, 0), col(Xo, 1), col(Xo, 2)];
    const cross = np.concatenate(
      [u1.ref.mul(x2.ref).sub(u2.ref.mul(x1.ref)), u2.mul(x0.ref).sub(u0.ref.mul(x2)), u0.mul(x1).sub(u1.mul(x0))],
      1,
    );
    const tmp = u.ref.mul(Xo.ref).sum(1, { keepdims: true }).mul(one().sub(costheta.ref));
    const Xcam = Xo.mul(costheta).add(cross.mul(sintheta)).add(u.mul(tmp));
    const proj = col(Xcam, 0, 2).div(Xcam.slice([], [2, 3]));
    const rsq = np.square(proj.ref).sum(1, { keepdims: true });
    const L = one().add(col(cam, 9).mul(rsq.ref)).add(col(cam, 10).mul(np.square(rsq)));
    const projected = proj.mul(L).mul(col(cam, 6)).add(cam.slice([], [7, 9]));
    const err = np.expandDims(w, 1).mul(projected.sub(feats));
    return np.square(err).sum();
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective, { argnums: [0, 1, 2] }));
  return () => {
    const cam = np.take(cams.ref, camIndex.ref, 0);
    const pt = np.take(X.ref, ptIndex.ref, 0);
    const [value, grads] = valueAndGrad(cam, pt, w.ref, feats.ref) as any;
    const [dCam, dPt, dW] = grads.map((g: any) => g.dataSync() as Float64Array);
    return { value: value.item(), gradient: scatterAdd(p, dCam, dPt, dW) };
  };
}
