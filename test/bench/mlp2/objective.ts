/**
 * A second multilayer perceptron, deeper than mlp/: two tanh hidden layers (32-64-64-10 in the
 * benchmark), the mean softmax cross-entropy over a batch,
 *
 *   h1 = tanh(W1·x + b1),  h2 = tanh(W2·h1 + b2),  logits = W3·h2 + b3,
 *   loss = mean over the batch of log Σₖ exp(logits[k]) − logits[label]
 *
 * with row-major weight matrices in flat Float64Arrays. hand.ts holds its gradient written by
 * hand the way a hand-written training step does it: each sample's backward pass right after its
 * forward pass, so nothing of a sample is kept once the next one starts.
 */

/** @differentiable(wrt: w1, b1, w2, b2, w3, b3) */
export function mlp2Loss(
  w1: Float64Array,
  b1: Float64Array,
  w2: Float64Array,
  b2: Float64Array,
  w3: Float64Array,
  b3: Float64Array,
  inputs: Float64Array,
  labels: Float64Array,
  nIn: number,
  nHidden: number,
  nOut: number,
  batch: number,
): number {
  const h1 = new Float64Array(nHidden);
  const h2 = new Float64Array(nHidden);
  const logits = new Float64Array(nOut);
  let total = 0;
  for (let s = 0; s < batch; s++) {
    for (let h = 0; h < nHidden; h++) {
      let sum = b1[h]!;
      for (let i = 0; i < nIn; i++) sum += w1[h * nIn + i]! * inputs[s * nIn + i]!;
      h1[h] = Math.tanh(sum);
    }
    for (let h = 0; h < nHidden; h++) {
      let sum = b2[h]!;
      for (let i = 0; i < nHidden; i++) sum += w2[h * nHidden + i]! * h1[i]!;
      h2[h] = Math.tanh(sum);
    }
    let max = -Infinity;
    for (let o = 0; o < nOut; o++) {
      let sum = b3[o]!;
      for (let h = 0; h < nHidden; h++) sum += w3[o * nHidden + h]! * h2[h]!;
      logits[o] = sum;
      if (sum > max) max = sum;
    }
    let sumExp = 0;
    for (let o = 0; o < nOut; o++) sumExp += Math.exp(logits[o]! - max);
    total += Math.log(sumExp) + max - logits[labels[s]!]!;
  }
  return total / batch;
}
