/**
 * Trains the multilayer perceptron of network.ts to tell the two arms of a spiral apart, by Adam on
 * the mean cross-entropy of the training points, with the gradient that Adjoint generated in
 * network.grad.ts: ∂loss/∂w for each of the network's weights and biases, from one forward and one
 * reverse sweep through batchLoss and the helpers it calls. Run `pnpm adjoint examples` first to
 * (re)generate it.
 */
import { mulberry32, split, twoSpirals, type DataSet } from './data.ts';
import { batchLoss, predict, type Params } from './network.ts';
import { valueAndGrad_batchLoss } from './network.grad.ts';
import { initialParams } from './weights.ts';

/** Two inputs (x, y), HIDDEN tanh units, two classes. */
const HIDDEN = 32;
const EPOCHS = 1000;
const REPORT_EVERY = 100;
/** Adam's step size and its running averages' decay rates. */
const LEARNING_RATE = 0.03;
const [BETA1, BETA2, EPSILON] = [0.9, 0.999, 1e-8];

/** The fraction of the points whose class the network predicts. */
function accuracy(params: Params, data: DataSet): number {
  let correct = 0;
  for (let n = 0; n < data.inputs.length; n++) if (predict(params, data.inputs[n]!) === data.labels[n]) correct++;
  return correct / data.inputs.length;
}

/** The vectors of a Params, in one list, so that Adam can walk every number of each alike. */
function rowsOf(p: Params): number[][] {
  return [...p.w1, p.b1, ...p.w2, p.b2];
}

/** A Params of zeros shaped like `p`: Adam's running averages start there. */
function zerosLike(p: Params): Params {
  const zeros = (v: number[]) => new Array<number>(v.length).fill(0);
  return { w1: p.w1.map(zeros), b1: zeros(p.b1), w2: p.w2.map(zeros), b2: zeros(p.b2) };
}

/**
 * Adam: each weight moves by the running mean of its gradient over the running root mean square,
 * both corrected for starting at zero, so that every weight moves at about LEARNING_RATE per step
 * whatever the scale of its gradient.
 */
function train(params: Params, data: DataSet): void {
  const mean = zerosLike(params);
  const square = zerosLike(params);
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const { value, grad } = valueAndGrad_batchLoss(params, data.inputs, data.labels);
    if (epoch === 1 || epoch % REPORT_EVERY === 0) {
      console.log(`epoch ${String(epoch).padStart(4)}  loss ${value.toFixed(4)}  train accuracy ${(100 * accuracy(params, data)).toFixed(1)}%`);
    }
    const [p, g, m, v] = [params, grad.params, mean, square].map(rowsOf);
    for (let r = 0; r < p!.length; r++) {
      const [pr, gr, mr, vr] = [p![r]!, g![r]!, m![r]!, v![r]!];
      for (let i = 0; i < pr.length; i++) {
        mr[i] = BETA1 * mr[i]! + (1 - BETA1) * gr[i]!;
        vr[i] = BETA2 * vr[i]! + (1 - BETA2) * gr[i]! * gr[i]!;
        const mHat = mr[i]! / (1 - BETA1 ** epoch);
        const vHat = vr[i]! / (1 - BETA2 ** epoch);
        pr[i]! -= (LEARNING_RATE * mHat) / (Math.sqrt(vHat) + EPSILON);
      }
    }
  }
}

/** Central finite difference with one Richardson step: (4·D(h/2) - D(h)) / 3, error O(h⁴). */
function finiteDifference(f: (x: number) => number, x: number, h: number): number {
  const central = (step: number) => (f(x + step) - f(x - step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** Compares a few entries of the generated gradient with finite differences of batchLoss itself. */
function checkGradient(params: Params, data: DataSet): void {
  const { grad } = valueAndGrad_batchLoss(params, data.inputs, data.labels);
  console.log('gradient check at the initial weights:');
  const entries = [
    ['w1', 3, 1],
    ['b1', 7],
    ['w2', 1, 5],
    ['b2', 0],
  ] as const;
  for (const [field, ...index] of entries) {
    // The vector holding the entry, in a copy of the weights, and the entry's index in it.
    const vector = (p: Params): number[] => (index.length === 2 ? (p[field] as number[][])[index[0]]! : (p[field] as number[]));
    const i = index.at(-1)!;
    const numeric = finiteDifference(
      (x) => {
        const moved = structuredClone(params);
        vector(moved)[i] = x;
        return batchLoss(moved, data.inputs, data.labels);
      },
      vector(params)[i]!,
      1e-4,
    );
    const adjoint = vector(grad.params)[i]!;
    const name = `${field}[${index.join('][')}]`;
    console.log(
      `  ∂loss/∂${name.padEnd(8)} adjoint ${adjoint.toPrecision(10).padStart(16)}   finite differences ${numeric.toPrecision(10).padStart(16)}   relative difference ${(Math.abs(adjoint - numeric) / Math.abs(numeric)).toExponential(1)}`,
    );
  }
}

const random = mulberry32(2024);
const { train: trainSet, test: testSet } = split(twoSpirals(150, 1.75, 0.03, random), 0.75, random);
const params = initialParams(2, HIDDEN, 2, random);
const initial = structuredClone(params);
console.log(
  `Two spirals: ${trainSet.inputs.length} training and ${testSet.inputs.length} test points; a 2-${HIDDEN}-2 tanh network ` +
    `(${rowsOf(params).reduce((n, row) => n + row.length, 0)} weights), full-batch Adam for ${EPOCHS} epochs`,
);
const report = (when: string) =>
  console.log(`${when}: train accuracy ${(100 * accuracy(params, trainSet)).toFixed(1)}%, test accuracy ${(100 * accuracy(params, testSet)).toFixed(1)}%`);
report('before');
const start = performance.now();
train(params, trainSet);
const seconds = (performance.now() - start) / 1000;
console.log(`final loss ${batchLoss(params, trainSet.inputs, trainSet.labels).toFixed(4)} after ${EPOCHS} gradient steps in ${seconds.toFixed(2)} s`);
report('after');
checkGradient(initial, trainSet);
