/**
 * Marks a value as a constant for differentiation: `stopGradient(x)` is x, but no gradient flows
 * through it. Import it in code marked `@differentiable`:
 *
 *   import { stopGradient } from '@adjoint/runtime';
 *   const target = stopGradient(prediction); // treated as data, not as a function of the inputs
 */
export function stopGradient<T>(value: T): T {
  return value;
}
