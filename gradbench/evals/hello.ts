/**
 * GradBench's `hello` eval (cpp/gradbench/evals/hello.hpp): `square` is x², `double` its
 * derivative, which the tool answers with grad_square.
 */

/** @differentiable */
export function square(x: number): number {
  return x * x;
}
