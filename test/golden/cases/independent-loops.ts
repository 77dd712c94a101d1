// A loop over samples whose iterations are independent (analysis/independent-iterations.ts): it
// only adds into `total`, and `hidden` is filled by each sample before it is read. `total / batch`
// is linear in the sum, so the adjoint of `total` is known before the loop (d_result / batch) and
// each sample's reverse runs right after its forward, inside the forward sweep, as a hand-written
// per-sample gradient does (4-differentiate/fused-loop.ts): nothing of a sample is taped across
// samples; the inner loops of a sample push and pop within it. `scale`, a number from before the
// loop, collects its adjoint in `d_scale_inLoop`, handed to the reverse sweep on the tape once.
// In `leastSquares`, the loop over samples is fused too; the loop over coefficients, squared after
// it, is not linear in its sum, but its iterations are independent and cheap, and `mul` changes
// from one to the next without an adjoint: rather than push `mul` every iteration, the sample's
// reverse runs the loop again from its start, reversing each iteration right after it (rerun-
// loop.ts), with the sum's adjoint, the same in every iteration. Nothing is taped at all.
// check: leastSquares(new Float64Array([0.5, -1.2, 2]), 5)
// check: batchLoss(new Float64Array([0.3, -0.2, 0.5, 0.1]), new Float64Array([1, 2, -1, 0.5, 0.25, 2]), 0.7, 2, 3)

/** @differentiable(wrt: w, scale) */
export function batchLoss(w: Float64Array, inputs: Float64Array, scale: number, nHidden: number, batch: number): number {
  const hidden = new Float64Array(nHidden);
  let total = 0;
  for (let s = 0; s < batch; s++) {
    for (let h = 0; h < nHidden; h++) {
      let sum = 0;
      for (let i = 0; i < 2; i++) sum += w[h * 2 + i]! * inputs[s * 2 + i]!;
      hidden[h] = Math.tanh(scale * sum);
    }
    let sq = 0;
    for (let h = 0; h < nHidden; h++) sq += hidden[h]! * hidden[h]!;
    total += Math.log(1 + sq);
  }
  return total / batch;
}

/** @differentiable(wrt: x) */
export function leastSquares(x: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    let inner = Math.sign(t);
    let mul = 1;
    for (let j = 0; j < x.length; j++) {
      inner -= x[j]! * mul;
      mul *= t;
    }
    sum += inner * inner;
  }
  return sum / 2;
}
