/**
 * The training loss of a multilayer perceptron with one tanh hidden layer (64-128-10 in the
 * benchmark) on a batch of labelled inputs: the mean softmax cross-entropy
 *
 *   hidden = tanh(W1·x + b1),  logits = W2·hidden + b2,  loss = mean over the batch of
 *   log Σₖ exp(logits[k]) − logits[label]
 *
 * with row-major weight matrices in flat Float64Arrays (W1 is nHidden × nIn, W2 nOut × nHidden).
 * hand.ts holds the gradient written by hand, for comparison.
 */

/** @differentiable(wrt: w1, b1, w2, b2) */
export function mlpLoss(
  w1: Float64Array,
  b1: Float64Array,
  w2: Float64Array,
  b2: Float64Array,
  inputs: Float64Array,
  labels: Float64Array,
  nIn: number,
  nHidden: number,
  nOut: number,
  batch: number,
): number {
  const hidden = new Float64Array(nHidden);
  const logits = new Float64Array(nOut);
  let total = 0;
  for (let s = 0; s < batch; s++) {
    for (let h = 0; h < nHidden; h++) {
      let sum = b1[h]!;
      for (let i = 0; i < nIn; i++) sum += w1[h * nIn + i]! * inputs[s * nIn + i]!;
      hidden[h] = Math.tanh(sum);
    }
    let max = -Infinity;
    for (let o = 0; o < nOut; o++) {
      let sum = b2[o]!;
      for (let h = 0; h < nHidden; h++) sum += w2[o * nHidden + h]! * hidden[h]!;
      logits[o] = sum;
      if (sum > max) max = sum;
    }
    let sumExp = 0;
    for (let o = 0; o < nOut; o++) sumExp += Math.exp(logits[o]! - max);
    total += Math.log(sumExp) + max - logits[labels[s]!]!;
  }
  return total / batch;
}
