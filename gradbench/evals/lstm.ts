/**
 * GradBench's `lstm` eval (cpp/gradbench/evals/lstm.hpp, after ADBench's lstm.h): the loss of an
 * l-layer LSTM predicting each character of a c-character sequence (b bits a character) from the
 * one before.
 *
 * mainParams: l layers of 8b: the weights of the forget, input, output and change gates (b each),
 *   then their biases.
 * extraParams: 3b: the input weights, the output weights, the output biases.
 * state: l layers of 2b: the hidden values, then the cell values.
 * sequence: c·b bits.
 * The gradient is taken with respect to mainParams and extraParams.
 */

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** log(Σ exp(vect) + 2) over vect[offset…offset + sz). */
function logsumexp(vect: Float64Array, offset: number, sz: number): number {
  let sum = 0;
  for (let i = 0; i < sz; ++i) sum += Math.exp(vect[offset + i]!);
  sum += 2;
  return Math.log(sum);
}

/**
 * One layer's step: the gates of cell i from its input and the layer's hidden value, then the new
 * cell and hidden values, written into state. params is the layer's 8b, hidden and cell the
 * offsets of its state.
 */
function lstmModel(
  hsize: number,
  params: Float64Array,
  paramsOffset: number,
  state: Float64Array,
  hidden: number,
  cell: number,
  input: Float64Array,
  inputOffset: number,
): void {
  const weight = paramsOffset;
  const bias = paramsOffset + 4 * hsize;
  for (let i = 0; i < hsize; ++i) {
    // the gates of the i-th cell and hidden value
    const forget = sigmoid(input[inputOffset + i]! * params[weight + i]! + params[bias + i]!);
    const ingate = sigmoid(state[hidden + i]! * params[weight + hsize + i]! + params[bias + hsize + i]!);
    const outgate = sigmoid(input[inputOffset + i]! * params[weight + 2 * hsize + i]! + params[bias + 2 * hsize + i]!);
    const change = Math.tanh(state[hidden + i]! * params[weight + 3 * hsize + i]! + params[bias + 3 * hsize + i]!);

    state[cell + i] = state[cell + i]! * forget + ingate * change;
    state[hidden + i] = outgate * Math.tanh(state[cell + i]!);
  }
}

/** The network's prediction for one input character (at input[inputOffset…]), written into output. */
function lstmPredict(
  l: number,
  b: number,
  mainParams: Float64Array,
  extraParams: Float64Array,
  state: Float64Array,
  input: Float64Array,
  inputOffset: number,
  output: Float64Array,
): void {
  for (let i = 0; i < b; ++i) output[i] = input[inputOffset + i]! * extraParams[i]!;

  // The first layer reads the scaled input, each next one the hidden values of the layer before.
  let layerOutput = output;
  let layerOutputOffset = 0;
  for (let i = 0; i < l; ++i) {
    lstmModel(b, mainParams, 8 * b * i, state, 2 * b * i, 2 * b * i + b, layerOutput, layerOutputOffset);
    layerOutput = state;
    layerOutputOffset = 2 * b * i;
  }

  for (let i = 0; i < b; ++i) output[i] = layerOutput[layerOutputOffset + i]! * extraParams[b + i]! + extraParams[2 * b + i]!;
}

/** @differentiable(wrt: mainParams, extraParams) */
export function objective(
  l: number,
  c: number,
  b: number,
  mainParams: Float64Array,
  extraParams: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
): number {
  let total = 0;
  let count = 0;
  const stateCopy = state.slice();
  const ypred = new Float64Array(b);
  const ynorm = new Float64Array(b);
  for (let t = 0; t < c - 1; ++t) {
    lstmPredict(l, b, mainParams, extraParams, stateCopy, sequence, t * b, ypred);

    const lse = logsumexp(ypred, 0, b);
    for (let i = 0; i < b; ++i) ynorm[i] = ypred[i]! - lse;

    const ygold = (t + 1) * b;
    for (let i = 0; i < b; ++i) total += sequence[ygold + i]! * ynorm[i]!;

    count += b;
  }
  return -total / count;
}
