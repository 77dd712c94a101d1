import { softplus } from './declared';

/** @differentiable */
export function smoothLoss(x: number, y: number): number {
  return softplus(x * y) + x;
}
