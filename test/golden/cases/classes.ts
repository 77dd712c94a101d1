// Methods of a class (docs/guide.md#classes): a marked method reads fields of `this` and calls a
// private method through it; `wrt: x, this` differentiates the fields read as well (the gradient's
// `this`), `wrt: this.weights` names one; a static method is a function. The companion's functions
// take the instance first, typed by the fields read: `label`, a string no method reads, is not.
// check: Linear.loss({ weights: [[0.3, -0.8], [1.1, 0.2]], bias: [0.1, -0.3] }, [0.7, -0.2], [0.2, -0.5])
// check: Linear.penalty({ weights: [[0.3, -0.8], [1.1, 0.2]] }, 0.5)
// check: Linear.mean([1, 2.5, -3])

export class Linear {
  constructor(
    public weights: number[][],
    public bias: number[],
    readonly label: string,
  ) {}

  private row(i: number, x: number[]): number {
    let s = this.bias[i]!;
    for (let j = 0; j < x.length; j++) s += this.weights[i]![j]! * x[j]!;
    return s;
  }

  /** @differentiable(forward, wrt: x, this) */
  loss(x: number[], target: number[]): number {
    return this.weights.reduce((l, _, i) => l + (Math.tanh(this.row(i, x)) - target[i]!) ** 2, 0);
  }

  /** @differentiable(wrt: this.weights) */
  penalty(scale: number): number {
    let s = 0;
    for (const w of this.weights) for (const e of w) s += e * e;
    return scale * s;
  }

  /** @differentiable */
  static mean(v: number[]): number {
    return v.reduce((s, e) => s + e, 0) / v.length;
  }
}
