// stopGradient(x) is x, with no gradient through it: here the target is treated as data.
// (No finite-difference check: finite differences see through stopGradient, by design.)

import { stopGradient } from '@adjoint/core';

/** @differentiable */
export function selfTarget(x: number, y: number): number {
  const target = stopGradient(x * y);
  return (x - target) ** 2 + target * y;
}
