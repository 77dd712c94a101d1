/**
 * A multilayer perceptron with one hidden layer, written as plain functions that call each other:
 *
 *   hidden = tanh(W1·x + b1)        logits = W2·hidden + b2        p = softmax(logits)
 *
 * and trained on the cross-entropy -log p[label]. Only `batchLoss` is marked: Adjoint differentiates
 * the helpers it calls (dense, tanhAll, softmaxCrossEntropy, logits) too, and returns the gradient
 * shaped like `params`, so `grad.params.w1[i][j]` is ∂loss/∂W1[i][j].
 */

/**
 * The weights and biases: W1 is hidden × inputs, b1 hidden, W2 classes × hidden, b2 classes.
 * The functions that batchLoss calls spell this type out instead of naming it, because the
 * generated companion copies their parameter types and does not import named types yet.
 */
export interface Params {
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

/** A fully connected layer: weights·input + bias, as a new array (one entry per row of weights). */
export function dense(input: number[], weights: number[][], bias: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    const row = weights[i]!;
    let sum = bias[i]!;
    for (let j = 0; j < input.length; j++) sum += row[j]! * input[j]!;
    out.push(sum);
  }
  return out;
}

/** tanh of every entry, as a new array. */
export function tanhAll(values: number[]): number[] {
  const out = new Array<number>(values.length).fill(0);
  for (let i = 0; i < values.length; i++) out[i] = Math.tanh(values[i]!);
  return out;
}

/**
 * The cross-entropy of softmax(logits) against the class `label`:
 *
 *   -log(e^logits[label] / Σₖ e^logits[k]) = log Σₖ e^(logits[k] - max) - (logits[label] - max)
 *
 * Subtracting the largest logit first changes nothing mathematically but keeps every e^… ≤ 1, so
 * that large logits cannot overflow. Its gradient is softmax(logits) - onehot(label).
 */
export function softmaxCrossEntropy(logits: number[], label: number): number {
  let max = logits[0]!;
  for (let k = 1; k < logits.length; k++) if (logits[k]! > max) max = logits[k]!;
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += Math.exp(logits[k]! - max);
  return Math.log(sum) - (logits[label]! - max);
}

/** The network's output for one input point: one score per class, before the softmax. */
export function logits(params: { w1: number[][]; b1: number[]; w2: number[][]; b2: number[] }, input: number[]): number[] {
  const hidden = tanhAll(dense(input, params.w1, params.b1));
  return dense(hidden, params.w2, params.b2);
}

/**
 * The mean cross-entropy over a batch of points `inputs` with classes `labels`.
 * @differentiable(wrt: params)
 */
export function batchLoss(
  params: { w1: number[][]; b1: number[]; w2: number[][]; b2: number[] },
  inputs: number[][],
  labels: number[],
): number {
  let total = 0;
  for (let n = 0; n < inputs.length; n++) {
    total += softmaxCrossEntropy(logits(params, inputs[n]!), labels[n]!);
  }
  return total / inputs.length;
}

/** The class the network gives the highest score to (a plain forward pass, not differentiated). */
export function predict(params: Params, input: number[]): number {
  const scores = logits(params, input);
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[best]!) best = k;
  return best;
}
