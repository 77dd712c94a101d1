/**
 * GradBench's `kmeans` eval (cpp/gradbench/evals/kmeans.hpp): the cost of n points (n × d,
 * row-major) against k centroids (k × d), the sum over points of the squared distance to the
 * closest centroid. `dir` is J·H⁻¹ with J the gradient and H the Hessian with respect to the
 * centroids; H is diagonal, so its diagonal is H·1, one Hessian-vector product.
 */

function euclidDist2(d: number, a: Float64Array, aOffset: number, b: Float64Array, bOffset: number): number {
  let dist = 0;
  for (let i = 0; i < d; i++) {
    dist += (a[aOffset + i]! - b[bOffset + i]!) * (a[aOffset + i]! - b[bOffset + i]!);
  }
  return dist;
}

/** @differentiable(hessian, wrt: centroids) */
export function objective(n: number, k: number, d: number, points: Float64Array, centroids: Float64Array): number {
  let cost = 0;
  for (let i = 0; i < n; i++) {
    let closest = Infinity;
    for (let j = 0; j < k; j++) {
      closest = Math.min(closest, euclidDist2(d, points, i * d, centroids, j * d));
    }
    cost += closest;
  }
  return cost;
}
