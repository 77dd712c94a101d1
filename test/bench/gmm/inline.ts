/**
 * The same GMM objective as objective.ts, written as one function with the loops inlined (in the
 * shape of ADBench's `gmm_objective_split_inner`): the same numbers in the same order, without the
 * helper calls and scratch arrays, to separate what the calls cost from what the arithmetic costs.
 */
import { logGammaDistrib } from './objective.ts';

/** @differentiable(wrt: alphas, means, icf) */
export function gmmObjectiveInline(
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
  const icfSize = (d * (d + 1)) / 2;
  const xcentered = new Float64Array(d);
  const mahal = new Float64Array(d);
  const lse = new Float64Array(k);
  let slse = 0;
  for (let ix = 0; ix < n; ix++) {
    for (let ik = 0; ik < k; ik++) {
      const icfOffset = ik * icfSize;
      let sumlogLdiag = 0;
      for (let id = 0; id < d; id++) {
        sumlogLdiag += icf[icfOffset + id]!;
        xcentered[id] = x[ix * d + id]! - means[ik * d + id]!;
        mahal[id] = Math.exp(icf[icfOffset + id]!) * xcentered[id]!;
      }
      let lparamsIdx = icfOffset + d;
      for (let i = 0; i < d; i++) {
        for (let j = i + 1; j < d; j++) {
          mahal[j] += icf[lparamsIdx]! * xcentered[i]!;
          lparamsIdx++;
        }
      }
      let sqsumMahal = 0;
      for (let id = 0; id < d; id++) sqsumMahal += mahal[id]! * mahal[id]!;
      lse[ik] = alphas[ik]! + sumlogLdiag - 0.5 * sqsumMahal;
    }
    let mx = lse[0]!;
    for (let ik = 1; ik < k; ik++) if (lse[ik]! > mx) mx = lse[ik]!;
    let semx = 0;
    for (let ik = 0; ik < k; ik++) semx += Math.exp(lse[ik]! - mx);
    slse += Math.log(semx) + mx;
  }
  let mx = alphas[0]!;
  for (let ik = 1; ik < k; ik++) if (alphas[ik]! > mx) mx = alphas[ik]!;
  let semx = 0;
  for (let ik = 0; ik < k; ik++) semx += Math.exp(alphas[ik]! - mx);
  const lseAlphas = Math.log(semx) + mx;
  const nPrior = d + wishartM + 1;
  const C = nPrior * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * nPrior, d);
  let prior = 0;
  for (let ik = 0; ik < k; ik++) {
    let frobenius = 0;
    let sumQ = 0;
    for (let id = 0; id < d; id++) {
      const q = icf[ik * icfSize + id]!;
      sumQ += q;
      frobenius += Math.exp(2 * q);
    }
    for (let i = d; i < icfSize; i++) frobenius += icf[ik * icfSize + i]! * icf[ik * icfSize + i]!;
    prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQ;
  }
  return -n * d * 0.5 * Math.log(2 * Math.PI) + slse - n * lseAlphas + prior - k * C;
}
