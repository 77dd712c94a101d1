/**
 * ADBench's Gaussian mixture model objective (src/cpp/shared/gmm.h, `gmm_objective`), transcribed
 * line for line: the negative log-likelihood of n points under K Gaussians with a Wishart prior.
 *
 * d: dimension, k: components, n: points.
 * alphas: k unnormalised log mixture weights.
 * means: k·d component means, component-major.
 * icf: k blocks of d(d+1)/2 inverse covariance factors: d logs of the diagonal of the lower
 *      triangular factor Q, then its strictly lower part, column by column.
 * x: n·d points.
 * wishartGamma, wishartM: the Wishart prior's parameters.
 *
 * The gradient is taken with respect to alphas, means and icf (ADBench's order).
 */

function arrMax(n: number, x: Float64Array, offset: number): number {
  let m = x[offset]!;
  for (let i = 1; i < n; i++) if (x[offset + i]! > m) m = x[offset + i]!;
  return m;
}

function logsumexp(n: number, x: Float64Array, offset: number): number {
  const mx = arrMax(n, x, offset);
  let semx = 0;
  for (let i = 0; i < n; i++) semx = semx + Math.exp(x[offset + i]! - mx);
  return Math.log(semx) + mx;
}

function sqnorm(n: number, x: Float64Array, offset: number): number {
  let res = 0;
  for (let i = 0; i < n; i++) res = res + x[offset + i]! * x[offset + i]!;
  return res;
}

/** out = x[xOffset…] - y[yOffset…] (d entries). */
function subtract(d: number, x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, out: Float64Array): void {
  for (let id = 0; id < d; id++) out[id] = x[xOffset + id]! - y[yOffset + id]!;
}

/** The log of the Lanczos approximation of Γ(a) (g = 7, 9 terms), accurate to about 1e-15. */
function lgamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - lgamma(1 - a);
  const z = a - 1;
  let s = 0.99999999999980993;
  s += 676.5203681218851 / (z + 1);
  s += -1259.1392167224028 / (z + 2);
  s += 771.32342877765313 / (z + 3);
  s += -176.61502916214059 / (z + 4);
  s += 12.507343278686905 / (z + 5);
  s += -0.13857109526572012 / (z + 6);
  s += 9.9843695780195716e-6 / (z + 7);
  s += 1.5056327351493116e-7 / (z + 8);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** log Γ_p(a), the multivariate gamma function's log (ADBench's log_gamma_distrib). */
export function logGammaDistrib(a: number, p: number): number {
  let out = 0.25 * p * (p - 1) * Math.log(Math.PI);
  for (let j = 1; j <= p; j++) out = out + lgamma(a + 0.5 * (1 - j));
  return out;
}

function logWishartPrior(
  p: number,
  k: number,
  wishartGamma: number,
  wishartM: number,
  sumQs: Float64Array,
  qdiags: Float64Array,
  icf: Float64Array,
): number {
  const n = p + wishartM + 1;
  const icfSize = (p * (p + 1)) / 2;
  const C = n * p * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * n, p);
  let out = 0;
  for (let ik = 0; ik < k; ik++) {
    const frobenius = sqnorm(p, qdiags, ik * p) + sqnorm(icfSize - p, icf, ik * icfSize + p);
    out = out + 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik]!;
  }
  return out - k * C;
}

function preprocessQs(d: number, k: number, icf: Float64Array, sumQs: Float64Array, qdiags: Float64Array): void {
  const icfSize = (d * (d + 1)) / 2;
  for (let ik = 0; ik < k; ik++) {
    sumQs[ik] = 0;
    for (let id = 0; id < d; id++) {
      const q = icf[ik * icfSize + id]!;
      sumQs[ik] = sumQs[ik]! + q;
      qdiags[ik * d + id] = Math.exp(q);
    }
  }
}

/** out = Q·x for the lower triangular Q with diagonal qdiag[qOffset…] and strictly lower part ltri[lOffset…]. */
function qTimesX(
  d: number,
  qdiag: Float64Array,
  qOffset: number,
  ltri: Float64Array,
  lOffset: number,
  x: Float64Array,
  out: Float64Array,
): void {
  for (let id = 0; id < d; id++) out[id] = qdiag[qOffset + id]! * x[id]!;
  let lparamsIdx = lOffset;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      out[j] = out[j]! + ltri[lparamsIdx]! * x[i]!;
      lparamsIdx++;
    }
  }
}

/** @differentiable(wrt: alphas, means, icf) */
export function gmmObjective(
  d: number,
  k: number,
  n: number,
  alphas: Float64Array,
  means: Float64Array,
  icf: Float64Array,
  x: Float64Array,
  wishartGamma: number,
  wishartM: number,
): number {
  const CONSTANT = -n * d * 0.5 * Math.log(2 * Math.PI);
  const icfSize = (d * (d + 1)) / 2;
  const qdiags = new Float64Array(d * k);
  const sumQs = new Float64Array(k);
  const xcentered = new Float64Array(d);
  const qxcentered = new Float64Array(d);
  const mainTerm = new Float64Array(k);

  preprocessQs(d, k, icf, sumQs, qdiags);

  let slse = 0;
  for (let ix = 0; ix < n; ix++) {
    for (let ik = 0; ik < k; ik++) {
      subtract(d, x, ix * d, means, ik * d, xcentered);
      qTimesX(d, qdiags, ik * d, icf, ik * icfSize + d, xcentered, qxcentered);
      mainTerm[ik] = alphas[ik]! + sumQs[ik]! - 0.5 * sqnorm(d, qxcentered, 0);
    }
    slse = slse + logsumexp(k, mainTerm, 0);
  }

  const lseAlphas = logsumexp(k, alphas, 0);
  const err = CONSTANT + slse - n * lseAlphas;
  return err + logWishartPrior(d, k, wishartGamma, wishartM, sumQs, qdiags, icf);
}
