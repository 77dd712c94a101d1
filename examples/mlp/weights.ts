/** The network's initial weights, drawn from a seeded generator (train.ts and the playground start here). */
import { gaussian } from './data.ts';
import type { Params } from './network.ts';

/** A rows × columns matrix of Gaussian numbers with standard deviation `scale`. */
function randomMatrix(rows: number, columns: number, scale: number, random: () => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, () => scale * gaussian(random)));
}

/**
 * Weights drawn with standard deviation 1/√(inputs of the layer) (Xavier/LeCun initialisation), so
 * that each unit's sum starts of order 1 and tanh is neither flat nor linear; biases start at 0.
 */
export function initialParams(inputs: number, hidden: number, classes: number, random: () => number): Params {
  return {
    w1: randomMatrix(hidden, inputs, 1 / Math.sqrt(inputs), random),
    b1: new Array<number>(hidden).fill(0),
    w2: randomMatrix(classes, hidden, 1 / Math.sqrt(hidden), random),
    b2: new Array<number>(classes).fill(0),
  };
}
