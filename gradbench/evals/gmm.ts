/**
 * GradBench's `gmm` eval (cpp/gradbench/evals/gmm.hpp, after ADBench's gmm.h): the log-likelihood
 * of n points under a mixture of k Gaussians in d dimensions, with a Wishart prior.
 *
 * alpha: k log mixture weights (unnormalised).
 * mu: k·d means, component after component.
 * q: k·d logs of the diagonal of each inverse covariance factor Q.
 * l: k·d(d−1)/2 strictly lower entries of each Q, column by column.
 * x: n·d points.
 * The gradient is taken with respect to alpha, mu, q and l.
 */

/** log Γ(a), by Lanczos' approximation (g = 7, 9 terms; about 1e-15): C++'s lgamma. */
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

/** The log of the multivariate gamma function Γ_p(a). */
function logGammaDistrib(a: number, p: number): number {
  let out = 0.25 * p * (p - 1) * Math.log(Math.PI);
  for (let j = 1; j <= p; j++) {
    out = out + lgamma(a + 0.5 * (1 - j));
  }
  return out;
}

function arrMax(n: number, x: Float64Array, offset: number): number {
  let m = x[offset]!;
  for (let i = 1; i < n; i++) {
    m = Math.max(m, x[offset + i]!);
  }
  return m;
}

function logsumexp(n: number, x: Float64Array, offset: number): number {
  const mx = arrMax(n, x, offset);
  let semx = 0;
  for (let i = 0; i < n; i++) {
    semx = semx + Math.exp(x[offset + i]! - mx);
  }
  return Math.log(semx) + mx;
}

function sqnorm(n: number, x: Float64Array, offset: number): number {
  let res = 0;
  for (let i = 0; i < n; i++) {
    res = res + x[offset + i]! * x[offset + i]!;
  }
  return res;
}

/** out = x[xOffset…] − y[yOffset…] (d entries). */
function subtract(d: number, x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, out: Float64Array): void {
  for (let id = 0; id < d; id++) {
    out[id] = x[xOffset + id]! - y[yOffset + id]!;
  }
}

function logWishartPrior(
  d: number,
  k: number,
  gamma: number,
  m: number,
  sumQs: Float64Array,
  qdiags: Float64Array,
  l: Float64Array,
): number {
  const n = d + m + 1;
  const lSize = (d * (d - 1)) / 2;
  const C = n * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * n, d);
  let out = 0;
  for (let ik = 0; ik < k; ik++) {
    const frobenius = sqnorm(d, qdiags, ik * d) + sqnorm(lSize, l, ik * lSize);
    out += 0.5 * gamma * gamma * frobenius - m * sumQs[ik]!;
  }
  return -out + k * C;
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
  for (let id = 0; id < d; id++) {
    out[id] = qdiag[qOffset + id]! * x[id]!;
  }
  let lparamsIdx = lOffset;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      out[j] = out[j]! + ltri[lparamsIdx]! * x[i]!;
      lparamsIdx++;
    }
  }
}

/** @differentiable(wrt: alpha, mu, q, l) */
export function objective(
  d: number,
  k: number,
  n: number,
  alpha: Float64Array,
  mu: Float64Array,
  q: Float64Array,
  l: Float64Array,
  x: Float64Array,
  gamma: number,
  m: number,
): number {
  const CONSTANT = -n * d * 0.5 * Math.log(2 * Math.PI);
  const lSize = (d * (d - 1)) / 2;

  const qdiags = new Float64Array(d * k);
  const sumQs = new Float64Array(k);
  for (let i = 0; i < d * k; i++) {
    qdiags[i] = Math.exp(q[i]!);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < d; j++) {
      sumQs[i] += q[i * d + j]!;
    }
  }

  const xcentered = new Float64Array(d);
  const qxcentered = new Float64Array(d);
  const mainTerm = new Float64Array(k);
  let slse = 0;
  for (let ix = 0; ix < n; ix++) {
    for (let ik = 0; ik < k; ik++) {
      subtract(d, x, ix * d, mu, ik * d, xcentered);
      qTimesX(d, qdiags, ik * d, l, ik * lSize, xcentered, qxcentered);
      mainTerm[ik] = alpha[ik]! + sumQs[ik]! - 0.5 * sqnorm(d, qxcentered, 0);
    }
    slse += logsumexp(k, mainTerm, 0);
  }

  const lseAlpha = logsumexp(k, alpha, 0);
  const err = CONSTANT + slse - n * lseAlpha;
  return err + logWishartPrior(d, k, gamma, m, sumQs, qdiags, l);
}
