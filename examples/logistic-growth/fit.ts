/**
 * Fits a logistic growth curve to noisy observations by gradient descent, with the gradient that
 * Adjoint generated in model.grad.ts. Run `pnpm adjoint examples` first to (re)generate it.
 */
import { squaredError } from './model.ts';
import { grad_squaredError } from './model.grad.ts';

/** A small deterministic random generator (mulberry32), so every run sees the same data. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const truth = { capacity: 12, rate: 0.9, midpoint: 6 };
const next = random(42);
const observations = Array.from({ length: 60 }, (_, i) => {
  const t = (i / 59) * 14;
  const clean = truth.capacity / (1 + Math.exp(-truth.rate * (t - truth.midpoint)));
  return { t, observed: clean + (next() - 0.5) * 0.6 };
});

type Parameters = typeof truth;

function meanLoss(p: Parameters): number {
  let total = 0;
  for (const { t, observed } of observations) total += squaredError(p.capacity, p.rate, p.midpoint, t, observed);
  return total / observations.length;
}

function meanGradient(p: Parameters): Parameters {
  const sum = { capacity: 0, rate: 0, midpoint: 0 };
  for (const { t, observed } of observations) {
    const g = grad_squaredError(p.capacity, p.rate, p.midpoint, t, observed);
    sum.capacity += g.capacity;
    sum.rate += g.rate;
    sum.midpoint += g.midpoint;
  }
  const n = observations.length;
  return { capacity: sum.capacity / n, rate: sum.rate / n, midpoint: sum.midpoint / n };
}

// Adam: gradient descent with per-parameter step sizes, robust to the parameters' different scales.
const params: Parameters = { capacity: 5, rate: 0.3, midpoint: 3 };
const keys = ['capacity', 'rate', 'midpoint'] as const;
const m = { capacity: 0, rate: 0, midpoint: 0 };
const v = { capacity: 0, rate: 0, midpoint: 0 };
const [learningRate, beta1, beta2, epsilon] = [0.05, 0.9, 0.999, 1e-8];

console.log(`Fitting a logistic curve to ${observations.length} noisy points (truth: ${JSON.stringify(truth)})`);
for (let step = 1; step <= 600; step++) {
  const g = meanGradient(params);
  for (const k of keys) {
    m[k] = beta1 * m[k] + (1 - beta1) * g[k];
    v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
    const mHat = m[k] / (1 - beta1 ** step);
    const vHat = v[k] / (1 - beta2 ** step);
    params[k] -= (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
  }
  if (step === 1 || step % 60 === 0) {
    console.log(`step ${String(step).padStart(4)}  loss ${meanLoss(params).toFixed(6)}`);
  }
}
const fitted = keys.map((k) => `${k} ${params[k].toFixed(3)}`).join(', ');
console.log(`fitted: ${fitted}`);
