/**
 * Adam, as the examples write it: each number moves by the running mean of its gradient over the
 * running root mean square, both corrected for starting at zero, so that numbers whose gradients
 * differ in scale all move at about their learning rate per step.
 */
export class Adam {
  private readonly mean: Float64Array;
  private readonly square: Float64Array;
  private steps = 0;

  /** `learningRate(i)`: the step size of number i. */
  constructor(
    size: number,
    private readonly learningRate: (i: number) => number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.mean = new Float64Array(size);
    this.square = new Float64Array(size);
  }

  /** Moves `point` against `gradient`, in place. */
  step(point: Float64Array, gradient: ArrayLike<number>): void {
    this.steps++;
    const { mean: m, square: v, beta1, beta2 } = this;
    for (let i = 0; i < point.length; i++) {
      const g = gradient[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      const mHat = m[i]! / (1 - beta1 ** this.steps);
      const vHat = v[i]! / (1 - beta2 ** this.steps);
      point[i] = point[i]! - (this.learningRate(i) * mHat) / (Math.sqrt(vHat) + this.epsilon);
    }
  }
}
