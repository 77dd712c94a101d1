/**
 * ADBench's bundle adjustment residuals (src/cpp/shared/ba.h, `computeReprojError` and the
 * functions it calls), transcribed line for line, summed into one number: the total squared
 * reprojection error Σᵢ ‖w_i·(project(cam, X) − feat_i)‖² over all observations.
 *
 * cams: n·11 camera parameters [r1 r2 r3 C1 C2 C3 f u0 v0 k1 k2] (Rodrigues rotation, centre,
 *       focal length, principal point, radial distortion).
 * X: m·3 points. w: p weights. obs: p (camera, point) index pairs. feats: p·2 measured features.
 *
 * The gradient is taken with respect to cams, X and w. ADBench passes sub-arrays as pointers; here
 * they are (array, offset) pairs, and small fixed-size temporaries are local arrays.
 */

function sqsum3(x: Float64Array): number {
  let res = 0;
  for (let i = 0; i < 3; i++) res = res + x[i]! * x[i]!;
  return res;
}

/** rotatedPt = R(rot)·pt, for the Rodrigues vector rot = cam[camOffset…camOffset+2]. */
function rodriguesRotatePoint(cam: Float64Array, camOffset: number, pt: Float64Array, rotatedPt: Float64Array): void {
  const rot = new Float64Array(3);
  for (let i = 0; i < 3; i++) rot[i] = cam[camOffset + i]!;
  const sqtheta = sqsum3(rot);
  if (sqtheta !== 0) {
    const theta = Math.sqrt(sqtheta);
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    const thetaInverse = 1.0 / theta;
    const w = new Float64Array(3);
    for (let i = 0; i < 3; i++) w[i] = rot[i]! * thetaInverse;
    const wCrossPt = new Float64Array(3);
    cross(w, pt, wCrossPt);
    const tmp = (w[0]! * pt[0]! + w[1]! * pt[1]! + w[2]! * pt[2]!) * (1 - costheta);
    for (let i = 0; i < 3; i++) rotatedPt[i] = pt[i]! * costheta + wCrossPt[i]! * sintheta + w[i]! * tmp;
  } else {
    const rotCrossPt = new Float64Array(3);
    cross(rot, pt, rotCrossPt);
    for (let i = 0; i < 3; i++) rotatedPt[i] = pt[i]! + rotCrossPt[i]!;
  }
}

function cross(a: Float64Array, b: Float64Array, out: Float64Array): void {
  out[0] = a[1]! * b[2]! - a[2]! * b[1]!;
  out[1] = a[2]! * b[0]! - a[0]! * b[2]!;
  out[2] = a[0]! * b[1]! - a[1]! * b[0]!;
}

function radialDistort(cam: Float64Array, radOffset: number, proj: Float64Array): void {
  const rsq = proj[0]! * proj[0]! + proj[1]! * proj[1]!;
  const L = 1 + cam[radOffset]! * rsq + cam[radOffset + 1]! * rsq * rsq;
  proj[0] = proj[0]! * L;
  proj[1] = proj[1]! * L;
}

function project(cam: Float64Array, c: number, X: Float64Array, x: number, proj: Float64Array): void {
  const Xo = new Float64Array(3);
  const Xcam = new Float64Array(3);
  Xo[0] = X[x]! - cam[c + 3]!;
  Xo[1] = X[x + 1]! - cam[c + 4]!;
  Xo[2] = X[x + 2]! - cam[c + 5]!;
  rodriguesRotatePoint(cam, c, Xo, Xcam);
  proj[0] = Xcam[0]! / Xcam[2]!;
  proj[1] = Xcam[1]! / Xcam[2]!;
  radialDistort(cam, c + 9, proj);
  proj[0] = proj[0]! * cam[c + 6]! + cam[c + 7]!;
  proj[1] = proj[1]! * cam[c + 6]! + cam[c + 8]!;
}

/** err = w·(project(cam, X) − feat) for one observation. */
function computeReprojError(
  cams: Float64Array,
  c: number,
  X: Float64Array,
  x: number,
  w: number,
  feats: Float64Array,
  f: number,
  err: Float64Array,
): void {
  const proj = new Float64Array(2);
  project(cams, c, X, x, proj);
  err[0] = w * (proj[0]! - feats[f]!);
  err[1] = w * (proj[1]! - feats[f + 1]!);
}

/** @differentiable(wrt: cams, X, w) */
export function baObjective(
  p: number,
  cams: Float64Array,
  X: Float64Array,
  w: Float64Array,
  obs: Float64Array, // Int32Array is rejected (AD1003) even outside wrt
  feats: Float64Array,
): number {
  const err = new Float64Array(2);
  let total = 0;
  for (let i = 0; i < p; i++) {
    const camIdx = obs[i * 2]!;
    const ptIdx = obs[i * 2 + 1]!;
    computeReprojError(cams, camIdx * 11, X, ptIdx * 3, w[i]!, feats, i * 2, err);
    total += err[0]! * err[0]! + err[1]! * err[1]!;
  }
  return total;
}
