// Functions assigned to const: an arrow with an expression body, an arrow with a block body,
// and a function expression, exported or not.
// check: square(1.5)
// check: logistic(0.3)
// check: softplus(-0.8)

/** @differentiable */
export const square = (x: number): number => x * x;

/** @differentiable */
const logistic = (z: number): number => {
  const e = Math.exp(-z);
  return 1 / (1 + e);
};

/** @differentiable */
export const softplus = function (z: number): number {
  return Math.log1p(Math.exp(z));
};

export { logistic };
