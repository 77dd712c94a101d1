/**
 * The gradient of mlpLoss (objective.ts) written by hand, as one would for a benchmark: each
 * sample's forward pass, then at once its backward pass (nothing of a sample is kept once the next
 * one starts)
 *
 *   dlogits = (softmax(logits) − onehot(label)) / batch
 *   dW2 += dlogits ⊗ hidden,  db2 += dlogits,  dhidden = W2ᵀ·dlogits
 *   dpre = dhidden · (1 − hidden²),  dW1 += dpre ⊗ x,  db1 += dpre
 */
export function mlpLossHandGradient(
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
): { value: number; grad: { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array } } {
  const dw1 = new Float64Array(w1.length);
  const db1 = new Float64Array(b1.length);
  const dw2 = new Float64Array(w2.length);
  const db2 = new Float64Array(b2.length);
  const hidden = new Float64Array(nHidden);
  const logits = new Float64Array(nOut);
  const dlogits = new Float64Array(nOut);
  let total = 0;
  for (let s = 0; s < batch; s++) {
    const x = s * nIn;
    for (let h = 0; h < nHidden; h++) {
      let sum = b1[h]!;
      for (let i = 0; i < nIn; i++) sum += w1[h * nIn + i]! * inputs[x + i]!;
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
    const label = labels[s]!;
    total += Math.log(sumExp) + max - logits[label]!;
    // Backward pass for this sample.
    for (let o = 0; o < nOut; o++) dlogits[o] = Math.exp(logits[o]! - max) / sumExp / batch;
    dlogits[label] -= 1 / batch;
    for (let o = 0; o < nOut; o++) {
      const g = dlogits[o]!;
      db2[o] += g;
      for (let h = 0; h < nHidden; h++) dw2[o * nHidden + h] += g * hidden[h]!;
    }
    for (let h = 0; h < nHidden; h++) {
      let dh = 0;
      for (let o = 0; o < nOut; o++) dh += w2[o * nHidden + h]! * dlogits[o]!;
      const hv = hidden[h]!;
      const dpre = dh * (1 - hv * hv);
      db1[h] += dpre;
      for (let i = 0; i < nIn; i++) dw1[h * nIn + i] += dpre * inputs[x + i]!;
    }
  }
  return { value: total / batch, grad: { w1: dw1, b1: db1, w2: dw2, b2: db2 } };
}
