/** Numerically stable log Σ exp(xᵢ): shifted by the largest element. */
export function logSumExp(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) m = Math.max(m, x);
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** ∂/∂xᵢ log Σ exp = softmax(x)ᵢ, computed without overflow. */
/** @adjointOf logSumExp */
export function logSumExpAdjoint(xs: number[], dResult: number): { xs: number[] } {
  let m = -Infinity;
  for (const x of xs) m = Math.max(m, x);
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return { xs: xs.map((x) => (dResult * Math.exp(x - m)) / s) };
}
