/**
 * The two-spirals data set: two interleaved spiral arms in the plane, one per class, which no
 * straight line (and no single linear layer) can separate. Generated from a seeded pseudo-random
 * generator, so that every run sees the same points, then shuffled and split into train and test.
 */

/** A labelled data set: points (x, y) in about [-1, 1]² and their classes, 0 or 1. */
export interface DataSet {
  inputs: number[][];
  labels: number[];
}

/**
 * mulberry32: a small, fast 32-bit generator with a good spread, enough for data and initial
 * weights. Returns a function giving the next number in [0, 1) each time it is called.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample, by the Box-Muller transform of two uniform samples. */
export function gaussian(random: () => number): number {
  const u = 1 - random(); // in (0, 1], so that the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * `perClass` points on each of two spiral arms that wind `turns` times around the origin, the
 * second arm the first turned by half a turn. Point i of an arm is at s = i / perClass along it:
 * radius 0.1 + 0.9·s and angle 2π·turns·s, moved by Gaussian noise of standard deviation `noise`.
 */
export function twoSpirals(perClass: number, turns: number, noise: number, random: () => number): DataSet {
  const inputs: number[][] = [];
  const labels: number[] = [];
  for (let label = 0; label < 2; label++) {
    for (let i = 0; i < perClass; i++) {
      const s = i / perClass;
      const radius = 0.1 + 0.9 * s;
      const angle = 2 * Math.PI * turns * s + Math.PI * label;
      inputs.push([radius * Math.cos(angle) + noise * gaussian(random), radius * Math.sin(angle) + noise * gaussian(random)]);
      labels.push(label);
    }
  }
  return { inputs, labels };
}

/** Shuffles the points (Fisher-Yates) and puts the first `trainFraction` of them in train, the rest in test. */
export function split(data: DataSet, trainFraction: number, random: () => number): { train: DataSet; test: DataSet } {
  const order = data.labels.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cut = Math.round(order.length * trainFraction);
  const pick = (indices: number[]): DataSet => ({
    inputs: indices.map((i) => data.inputs[i]!),
    labels: indices.map((i) => data.labels[i]!),
  });
  return { train: pick(order.slice(0, cut)), test: pick(order.slice(cut)) };
}
