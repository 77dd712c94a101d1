/**
 * Training as a differentiable function of its hyperparameters: `steps` steps of gradient descent
 * with weight decay, w ← w − η·(∇L(w) + λ·w), from w0, each step calling the gradient that Adjoint
 * generated for the training loss; then the error on the validation set. Adjoint differentiates
 * this whole unrolled loop (and the generated gradient inside it) with respect to η and λ.
 */
import { meanSquaredError } from './model.ts';
import { grad_meanSquaredError } from './model.grad.ts';

/** @differentiable(wrt: learningRate, weightDecay) */
export function validationErrorAfterTraining(
  learningRate: number,
  weightDecay: number,
  w0: number[],
  trainX: number[],
  trainY: number[],
  validX: number[],
  validY: number[],
  steps: number,
): number {
  const w = w0.slice();
  for (let step = 0; step < steps; step++) {
    const gradient = grad_meanSquaredError(w, trainX, trainY).w;
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - learningRate * (gradient[j]! + weightDecay * w[j]!);
  }
  return meanSquaredError(w, validX, validY);
}
