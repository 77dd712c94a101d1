/**
 * GradBench's `ba` eval (cpp/gradbench/evals/ba.hpp, after ADBench's ba.h): bundle adjustment.
 * Each of the p observations projects a point X (3) through a camera cam (11: Rodrigues rotation
 * r1 r2 r3, centre C1 C2 C3, focal length f, principal point u0 v0, radial distortion k1 k2) and
 * compares it with the feature it was seen at:
 *
 *   Xcam = R·(X − C),  distorted = radialDistort(Xcam[0..1] / Xcam[2]),  proj = f·distorted + (u0, v0)
 *   reprojection error = w·(proj − feat),  weight error = 1 − w².
 *
 * The Jacobian the eval asks for is sparse: each observation's two reprojection errors depend on
 * its camera, its point and its weight only (jacobian_computeReprojError gives that 2 × 15
 * block), and its weight error on its weight only.
 */

export const BA_NCAMPARAMS = 11;

function sqsum(n: number, x: Float64Array, offset: number): number {
  let res = 0;
  for (let i = 0; i < n; i++) res = res + x[offset + i]! * x[offset + i]!;
  return res;
}

/** out = a × b (a at aOffset). */
function cross(a: Float64Array, aOffset: number, b: Float64Array, out: Float64Array): void {
  out[0] = a[aOffset + 1]! * b[2]! - a[aOffset + 2]! * b[1]!;
  out[1] = a[aOffset + 2]! * b[0]! - a[aOffset]! * b[2]!;
  out[2] = a[aOffset]! * b[1]! - a[aOffset + 1]! * b[0]!;
}

/**
 * Rotates pt by the angle-axis rotation rot (at rot[0..2]), Ceres' way: with θ = |rot| and
 * w = rot/θ, R·pt = pt·cos θ + (w × pt)·sin θ + w·(w·pt)(1 − cos θ); pt + rot × pt when θ = 0.
 */
function rodriguesRotatePoint(rot: Float64Array, pt: Float64Array, rotatedPt: Float64Array): void {
  const sqtheta = sqsum(3, rot, 0);
  if (sqtheta !== 0) {
    const theta = Math.sqrt(sqtheta);
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    const thetaInverse = 1.0 / theta;

    const w = new Float64Array(3);
    for (let i = 0; i < 3; i++) w[i] = rot[i]! * thetaInverse;

    const wCrossPt = new Float64Array(3);
    cross(w, 0, pt, wCrossPt);

    const tmp = (w[0]! * pt[0]! + w[1]! * pt[1]! + w[2]! * pt[2]!) * (1 - costheta);

    for (let i = 0; i < 3; i++) rotatedPt[i] = pt[i]! * costheta + wCrossPt[i]! * sintheta + w[i]! * tmp;
  } else {
    const rotCrossPt = new Float64Array(3);
    cross(rot, 0, pt, rotCrossPt);

    for (let i = 0; i < 3; i++) rotatedPt[i] = pt[i]! + rotCrossPt[i]!;
  }
}

/** proj ← proj·(1 + k1·r² + k2·r⁴), r² = |proj|², with k1 k2 at radParams[offset…]. */
function radialDistort(radParams: Float64Array, offset: number, proj: Float64Array): void {
  const rsq = sqsum(2, proj, 0);
  const L = 1 + radParams[offset]! * rsq + radParams[offset + 1]! * rsq * rsq;
  proj[0] = proj[0]! * L;
  proj[1] = proj[1]! * L;
}

function project(cam: Float64Array, X: Float64Array, proj: Float64Array): void {
  const Xo = new Float64Array(3);
  const Xcam = new Float64Array(3);

  Xo[0] = X[0]! - cam[3]!;
  Xo[1] = X[1]! - cam[4]!;
  Xo[2] = X[2]! - cam[5]!;

  rodriguesRotatePoint(cam, Xo, Xcam);

  proj[0] = Xcam[0]! / Xcam[2]!;
  proj[1] = Xcam[1]! / Xcam[2]!;

  radialDistort(cam, 9, proj);

  proj[0] = proj[0]! * cam[6]! + cam[7]!;
  proj[1] = proj[1]! * cam[6]! + cam[8]!;
}

/** The reprojection error of one observation: cam (11), X (3), w, feat (2). */
/** @differentiable(wrt: cam, X, w) */
export function computeReprojError(cam: Float64Array, X: Float64Array, w: number, feat: Float64Array): [number, number] {
  const proj = new Float64Array(2);
  project(cam, X, proj);
  return [w * (proj[0]! - feat[0]!), w * (proj[1]! - feat[1]!)];
}

/** @differentiable */
export function computeZachWeightError(w: number): number {
  return 1 - w * w;
}

/**
 * The objective: every observation's reprojection error (2p) and weight error (p). obs holds the
 * camera and point index of each observation.
 */
export function objective(
  p: number,
  cams: Float64Array,
  X: Float64Array,
  w: Float64Array,
  obs: Int32Array,
  feats: Float64Array,
): { reprojErr: Float64Array; wErr: Float64Array } {
  const reprojErr = new Float64Array(2 * p);
  const wErr = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const camIdx = obs[i * 2]!;
    const ptIdx = obs[i * 2 + 1]!;
    const [e0, e1] = computeReprojError(
      cams.subarray(camIdx * BA_NCAMPARAMS, (camIdx + 1) * BA_NCAMPARAMS),
      X.subarray(ptIdx * 3, ptIdx * 3 + 3),
      w[i]!,
      feats.subarray(i * 2, i * 2 + 2),
    );
    reprojErr[2 * i] = e0;
    reprojErr[2 * i + 1] = e1;
  }
  for (let i = 0; i < p; i++) wErr[i] = computeZachWeightError(w[i]!);
  return { reprojErr, wErr };
}
