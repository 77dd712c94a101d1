/**
 * Hyperparameter optimization by differentiating through training. A polynomial of degree 11 is
 * trained on 25 noisy samples of sin(3x) by 200 steps of gradient descent with weight decay; the
 * learning rate η and the decay λ decide how well it generalizes. Adjoint differentiated the
 * whole training run (training.ts, which calls the generated gradient of the training loss at
 * every step), so ∂(validation error)/∂η and ∂/∂λ are exact, and gradient descent on log η and
 * log λ tunes them. Run `pnpm adjoint examples` first to (re)generate the companions.
 */
import { grad_validationErrorAfterTraining } from './training.grad.ts';
import { validationErrorAfterTraining } from './training.ts';

/** A small deterministic random generator (mulberry32), so every run sees the same data. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(7);
const gaussian = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
const truth = (x: number) => Math.sin(3 * x);
const trainX = Array.from({ length: 25 }, () => 2 * next() - 1);
const trainY = trainX.map((x) => truth(x) + 0.2 * gaussian());
const validX = Array.from({ length: 60 }, (_, i) => -1 + (2 * i) / 59);
const validY = validX.map(truth);
const w0 = new Array<number>(12).fill(0);
const steps = 200;

const validation = (eta: number, lambda: number) => validationErrorAfterTraining(eta, lambda, w0, trainX, trainY, validX, validY, steps);
const hypergradient = (eta: number, lambda: number) => grad_validationErrorAfterTraining(eta, lambda, w0, trainX, trainY, validX, validY, steps);

// Check the hypergradient once against central differences.
let [eta, lambda] = [0.3, 0.001];
const exact = hypergradient(eta, lambda);
const h = 1e-6;
const differences = {
  learningRate: (validation(eta + h, lambda) - validation(eta - h, lambda)) / (2 * h),
  weightDecay: (validation(eta, lambda + h) - validation(eta, lambda - h)) / (2 * h),
};
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
console.log(`∂E/∂η = ${exact.learningRate.toPrecision(6)} (differences ${differences.learningRate.toPrecision(6)}, rel. diff ${relative(exact.learningRate, differences.learningRate).toExponential(1)})`);
console.log(`∂E/∂λ = ${exact.weightDecay.toPrecision(6)} (differences ${differences.weightDecay.toPrecision(6)}, rel. diff ${relative(exact.weightDecay, differences.weightDecay).toExponential(1)})`);

// Gradient descent on (log η, log λ), with Adam's step sizes; ∂E/∂log η = η·∂E/∂η.
const before = validation(eta, lambda);
console.log(`before: η = ${eta}, λ = ${lambda}: validation error ${before.toFixed(5)}`);
const theta = [Math.log(eta), Math.log(lambda)];
const m = [0, 0];
const v = [0, 0];
const [rate, beta1, beta2] = [0.15, 0.9, 0.999];
for (let iteration = 1; iteration <= 60; iteration++) {
  const g = hypergradient(eta, lambda);
  const gradient = [eta * g.learningRate, lambda * g.weightDecay];
  for (let k = 0; k < 2; k++) {
    m[k] = beta1 * m[k]! + (1 - beta1) * gradient[k]!;
    v[k] = beta2 * v[k]! + (1 - beta2) * gradient[k]! ** 2;
    theta[k]! -= (rate * (m[k]! / (1 - beta1 ** iteration))) / (Math.sqrt(v[k]! / (1 - beta2 ** iteration)) + 1e-12);
  }
  [eta, lambda] = [Math.exp(theta[0]!), Math.exp(theta[1]!)];
  if (iteration % 15 === 0) console.log(`  iteration ${iteration}: η = ${eta.toFixed(4)}, λ = ${lambda.toExponential(2)}: validation error ${validation(eta, lambda).toFixed(5)}`);
}
const after = validation(eta, lambda);
console.log(`after:  η = ${eta.toFixed(4)}, λ = ${lambda.toExponential(2)}: validation error ${after.toFixed(5)} (${(before / after).toFixed(1)}× lower)`);
