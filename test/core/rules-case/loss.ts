import { logSumExp } from './stable';

/** Provided by the host at run time. */
declare function hostSoftplus(x: number): number;

/** @adjointOf hostSoftplus */
export function hostSoftplusAdjoint(x: number, dResult: number): { x: number } {
  return { x: dResult / (1 + Math.exp(-x)) };
}

/** @differentiable(wrt: logits, scale) */
export function crossEntropy(logits: number[], label: number, scale: number): number {
  const scaled = logits.slice();
  for (let i = 0; i < scaled.length; i++) scaled[i] *= scale;
  return logSumExp(scaled) - scaled[label]! + hostSoftplus(scale);
}
