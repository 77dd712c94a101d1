/**
 * A function this module declares and exports but does not implement (a .d.ts-like declaration
 * for a host module), with a derivative rule beside it.
 */
export declare function softplus(x: number): number;

/** d softplus(x)/dx = 1 / (1 + e^-x) */
/** @adjointOf softplus */
export function softplusAdjoint(x: number, dResult: number): { x: number } {
  return { x: dResult / (1 + Math.exp(-x)) };
}
