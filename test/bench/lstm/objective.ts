/**
 * ADBench's LSTM objective (src/cpp/shared/lstm.h, `lstm_objective`), transcribed line for line:
 * an l-layer LSTM with hidden size b run over a sequence of c one-hot-ish characters, scored by the
 * log-likelihood of each next character.
 *
 * mainParams: per layer, 4 weight vectors (forget, ingate, outgate, change; b each) then 4 bias
 *             vectors, so 8·b per layer.
 * extraParams: inWeight, outWeight, outBias (b each).
 * state: per layer, hidden then cell (b each); the objective works on a copy.
 * sequence: c·b.
 *
 * The gradient is taken with respect to mainParams and extraParams (ADBench's order). ADBench
 * passes sub-arrays as pointers; here they are (array, offset) pairs.
 */

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** log(Σ exp(v) + 2), ADBench's variant (the +2 is in the original). */
function logsumexp(vect: Float64Array, sz: number): number {
  let sum = 0;
  for (let i = 0; i < sz; ++i) sum += Math.exp(vect[i]!);
  sum += 2;
  return Math.log(sum);
}

/**
 * One LSTM cell update for hsize units: the layer's parameters start at params[p], its hidden and
 * cell state at state[s] and state[s + hsize], its input at input[inputOffset].
 */
function lstmModel(
  hsize: number,
  params: Float64Array,
  p: number,
  state: Float64Array,
  s: number,
  input: Float64Array,
  inputOffset: number,
): void {
  const bias = p + 4 * hsize;
  const cell = s + hsize;
  for (let i = 0; i < hsize; ++i) {
    const forget = sigmoid(input[inputOffset + i]! * params[p + i]! + params[bias + i]!);
    const ingate = sigmoid(state[s + i]! * params[p + hsize + i]! + params[bias + hsize + i]!);
    const outgate = sigmoid(input[inputOffset + i]! * params[p + 2 * hsize + i]! + params[bias + 2 * hsize + i]!);
    const change = Math.tanh(state[s + i]! * params[p + 3 * hsize + i]! + params[bias + 3 * hsize + i]!);
    state[cell + i] = state[cell + i]! * forget + ingate * change;
    state[s + i] = outgate * Math.tanh(state[cell + i]!);
  }
}

/** The network's output for the input at sequence[inputOffset], written into output; updates state. */
function lstmPredict(
  l: number,
  b: number,
  mainParams: Float64Array,
  extraParams: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
  inputOffset: number,
  output: Float64Array,
): void {
  for (let i = 0; i < b; ++i) output[i] = sequence[inputOffset + i]! * extraParams[i]!;
  lstmModel(b, mainParams, 0, state, 0, output, 0);
  for (let i = 1; i < l; ++i) lstmModel(b, mainParams, 8 * b * i, state, 2 * b * i, state, 2 * b * (i - 1));
  const last = 2 * b * (l - 1);
  for (let i = 0; i < b; ++i) output[i] = state[last + i]! * extraParams[b + i]! + extraParams[2 * b + i]!;
}

/** @differentiable(wrt: mainParams, extraParams) */
export function lstmObjective(
  l: number,
  c: number,
  b: number,
  mainParams: Float64Array,
  extraParams: Float64Array,
  initialState: Float64Array,
  sequence: Float64Array,
): number {
  let total = 0;
  let count = 0;
  const state = new Float64Array(initialState);
  const ypred = new Float64Array(b);
  const ynorm = new Float64Array(b);
  for (let t = 0; t < c - 1; ++t) {
    lstmPredict(l, b, mainParams, extraParams, state, sequence, t * b, ypred);
    const lse = logsumexp(ypred, b);
    for (let i = 0; i < b; i++) ynorm[i] = ypred[i]! - lse;
    const ygold = (t + 1) * b;
    for (let i = 0; i < b; i++) total += sequence[ygold + i]! * ynorm[i]!;
    count += b;
  }
  return -total / count;
}
