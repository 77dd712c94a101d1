/**
 * The gradient of gmmObjective (objective.ts) written by hand, as ADBench's manual tool does it
 * (src/cpp/modules/manual/gmm_d.cpp): each point's forward pass keeps, per component k, the centred
 * point xc = x − μₖ and y = Qₖ·xc; then its backward pass, at once. With Qₖ = diag(exp(qₖ)) + Lₖ
 * (Lₖ strictly lower), mₖ = αₖ + Σⱼ qₖⱼ − ½|y|² and the point's term lse = log Σₖ exp(mₖ),
 *
 *   wₖ = ∂lse/∂mₖ = exp(mₖ − lse)
 *   ∂mₖ/∂αₖ = 1,  ∂mₖ/∂qₖⱼ = 1 − yⱼ·xcⱼ·exp(qₖⱼ),  ∂mₖ/∂Lₖ[j][i] = −yⱼ·xcᵢ,  ∂mₖ/∂μₖ = Qₖᵀ·y
 *
 * and after the points, −n·lse(α) gives −n·softmax(α), the Wishart prior
 * Σₖ ½γ²(Σⱼ exp(2qₖⱼ) + |Lₖ|²) − m·Σⱼ qₖⱼ gives γ²·exp(2qₖⱼ) − m and γ²·Lₖ.
 */
import { logGammaDistrib } from './objective.ts';

export function gmmHandGradient(
  d: number,
  k: number,
  n: number,
  alphas: Float64Array,
  means: Float64Array,
  icf: Float64Array,
  x: Float64Array,
  wishartGamma: number,
  wishartM: number,
): { value: number; grad: { alphas: Float64Array; means: Float64Array; icf: Float64Array } } {
  const icfSize = (d * (d + 1)) / 2;
  const dAlphas = new Float64Array(k);
  const dMeans = new Float64Array(k * d);
  const dIcf = new Float64Array(k * icfSize);
  const qdiags = new Float64Array(k * d);
  const sumQs = new Float64Array(k);
  for (let ik = 0; ik < k; ik++) {
    for (let id = 0; id < d; id++) {
      const q = icf[ik * icfSize + id]!;
      sumQs[ik] = sumQs[ik]! + q;
      qdiags[ik * d + id] = Math.exp(q);
    }
  }
  // per component, for the point being processed: xc, y = Q·xc, and mₖ (then wₖ)
  const xcentered = new Float64Array(k * d);
  const qxcentered = new Float64Array(k * d);
  const mainTerm = new Float64Array(k);
  let slse = 0;
  for (let ix = 0; ix < n; ix++) {
    // forward: mₖ for every component
    for (let ik = 0; ik < k; ik++) {
      const at = ik * d;
      for (let id = 0; id < d; id++) {
        const xc = x[ix * d + id]! - means[at + id]!;
        xcentered[at + id] = xc;
        qxcentered[at + id] = qdiags[at + id]! * xc;
      }
      let lparamsIdx = ik * icfSize + d;
      for (let i = 0; i < d; i++) {
        const xci = xcentered[at + i]!;
        for (let j = i + 1; j < d; j++) qxcentered[at + j] = qxcentered[at + j]! + icf[lparamsIdx++]! * xci;
      }
      let sq = 0;
      for (let id = 0; id < d; id++) sq += qxcentered[at + id]! * qxcentered[at + id]!;
      mainTerm[ik] = alphas[ik]! + sumQs[ik]! - 0.5 * sq;
    }
    let max = mainTerm[0]!;
    for (let ik = 1; ik < k; ik++) if (mainTerm[ik]! > max) max = mainTerm[ik]!;
    let sumExp = 0;
    for (let ik = 0; ik < k; ik++) {
      const e = Math.exp(mainTerm[ik]! - max);
      mainTerm[ik] = e;
      sumExp += e;
    }
    slse += Math.log(sumExp) + max;
    // backward: wₖ = exp(mₖ − lse)
    for (let ik = 0; ik < k; ik++) {
      const w = mainTerm[ik]! / sumExp;
      const at = ik * d;
      const icfAt = ik * icfSize;
      dAlphas[ik] = dAlphas[ik]! + w;
      for (let id = 0; id < d; id++) {
        const y = qxcentered[at + id]!;
        const qdiag = qdiags[at + id]!;
        // ∂mₖ/∂qₖⱼ = 1 − yⱼ·xcⱼ·exp(qₖⱼ); (Qᵀy)ⱼ starts with exp(qₖⱼ)·yⱼ
        dIcf[icfAt + id] = dIcf[icfAt + id]! + w * (1 - y * xcentered[at + id]! * qdiag);
        dMeans[at + id] = dMeans[at + id]! + w * qdiag * y;
      }
      let lparamsIdx = icfAt + d;
      for (let i = 0; i < d; i++) {
        const xci = xcentered[at + i]!;
        let qty = 0;
        for (let j = i + 1; j < d; j++) {
          const y = qxcentered[at + j]!;
          // ∂mₖ/∂Lₖ[j][i] = −yⱼ·xcᵢ;  (Qᵀy)ᵢ += Lₖ[j][i]·yⱼ
          dIcf[lparamsIdx] = dIcf[lparamsIdx]! - w * y * xci;
          qty += icf[lparamsIdx]! * y;
          lparamsIdx++;
        }
        dMeans[at + i] = dMeans[at + i]! + w * qty;
      }
    }
  }
  // −n·lse(α): ∂/∂αₖ = −n·softmax(α)ₖ
  let maxAlpha = alphas[0]!;
  for (let ik = 1; ik < k; ik++) if (alphas[ik]! > maxAlpha) maxAlpha = alphas[ik]!;
  let sumExpAlphas = 0;
  for (let ik = 0; ik < k; ik++) sumExpAlphas += Math.exp(alphas[ik]! - maxAlpha);
  const lseAlphas = Math.log(sumExpAlphas) + maxAlpha;
  for (let ik = 0; ik < k; ik++) dAlphas[ik] = dAlphas[ik]! - n * Math.exp(alphas[ik]! - lseAlphas);
  // the Wishart prior: ½γ²·(Σⱼ exp(2qₖⱼ) + |Lₖ|²) − m·Σⱼ qₖⱼ per component
  const nPrior = d + wishartM + 1;
  const C = nPrior * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * nPrior, d);
  const gamma2 = wishartGamma * wishartGamma;
  let prior = 0;
  for (let ik = 0; ik < k; ik++) {
    let frobenius = 0;
    for (let id = 0; id < d; id++) {
      const qdiag = qdiags[ik * d + id]!;
      frobenius += qdiag * qdiag;
      dIcf[ik * icfSize + id] = dIcf[ik * icfSize + id]! + gamma2 * qdiag * qdiag - wishartM;
    }
    for (let e = ik * icfSize + d; e < (ik + 1) * icfSize; e++) {
      frobenius += icf[e]! * icf[e]!;
      dIcf[e] = dIcf[e]! + gamma2 * icf[e]!;
    }
    prior += 0.5 * gamma2 * frobenius - wishartM * sumQs[ik]!;
  }
  const CONSTANT = -n * d * 0.5 * Math.log(2 * Math.PI);
  const value = CONSTANT + slse - n * lseAlphas + prior - k * C;
  return { value, grad: { alphas: dAlphas, means: dMeans, icf: dIcf } };
}
