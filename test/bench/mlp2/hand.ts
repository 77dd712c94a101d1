/**
 * The gradient of mlp2Loss (objective.ts) written by hand, fused per sample: each sample's forward
 * pass, then at once its backward pass, accumulating into the weight gradients:
 *
 *   dlogits = (softmax(logits) − onehot(label)) / batch
 *   dW3 += dlogits ⊗ h2,  db3 += dlogits,  dh2 = W3ᵀ·dlogits,  dpre2 = dh2 · (1 − h2²)
 *   dW2 += dpre2 ⊗ h1,    db2 += dpre2,    dh1 = W2ᵀ·dpre2,    dpre1 = dh1 · (1 − h1²)
 *   dW1 += dpre1 ⊗ x,     db1 += dpre1
 */
export function mlp2LossHandGradient(
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
): { value: number; grad: { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array; w3: Float64Array; b3: Float64Array } } {
  const dw1 = new Float64Array(w1.length);
  const db1 = new Float64Array(b1.length);
  const dw2 = new Float64Array(w2.length);
  const db2 = new Float64Array(b2.length);
  const dw3 = new Float64Array(w3.length);
  const db3 = new Float64Array(b3.length);
  const h1 = new Float64Array(nHidden);
  const h2 = new Float64Array(nHidden);
  const logits = new Float64Array(nOut);
  const dlogits = new Float64Array(nOut);
  const dpre2 = new Float64Array(nHidden);
  let total = 0;
  for (let s = 0; s < batch; s++) {
    const x = s * nIn;
    for (let h = 0; h < nHidden; h++) {
      let sum = b1[h]!;
      for (let i = 0; i < nIn; i++) sum += w1[h * nIn + i]! * inputs[x + i]!;
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
    const label = labels[s]!;
    total += Math.log(sumExp) + max - logits[label]!;

    // This sample's backward pass.
    for (let o = 0; o < nOut; o++) dlogits[o] = Math.exp(logits[o]! - max) / sumExp / batch;
    dlogits[label] -= 1 / batch;
    for (let o = 0; o < nOut; o++) {
      const g = dlogits[o]!;
      db3[o] += g;
      for (let h = 0; h < nHidden; h++) dw3[o * nHidden + h] += g * h2[h]!;
    }
    for (let h = 0; h < nHidden; h++) {
      let dh = 0;
      for (let o = 0; o < nOut; o++) dh += w3[o * nHidden + h]! * dlogits[o]!;
      const hv = h2[h]!;
      dpre2[h] = dh * (1 - hv * hv);
      db2[h] += dpre2[h]!;
      for (let i = 0; i < nHidden; i++) dw2[h * nHidden + i] += dpre2[h]! * h1[i]!;
    }
    for (let i = 0; i < nHidden; i++) {
      let dh = 0;
      for (let h = 0; h < nHidden; h++) dh += w2[h * nHidden + i]! * dpre2[h]!;
      const hv = h1[i]!;
      const dpre1 = dh * (1 - hv * hv);
      db1[i] += dpre1;
      for (let j = 0; j < nIn; j++) dw1[i * nIn + j] += dpre1 * inputs[x + j]!;
    }
  }
  return { value: total / batch, grad: { w1: dw1, b1: db1, w2: dw2, b2: db2, w3: dw3, b3: db3 } };
}
