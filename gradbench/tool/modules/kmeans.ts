/**
 * kmeans: `cost` is the sum of squared distances to the closest centroid; `dir` is J·H⁻¹ with J the
 * gradient and H the (diagonal) Hessian with respect to the centroids, whose diagonal is H·1: both
 * from one pass of forward mode over reverse mode (valueGradAndHvp_objective).
 */
import { objective } from '../../evals/kmeans.ts';
import { valueGradAndHvp_objective } from '../../evals/kmeans.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  points: number[][];
  centroids: number[][];
}

function prepare(input: Input) {
  return () => {
    const centroids = Float64Array.from(input.centroids.flat());
    return {
      n: input.points.length,
      k: input.centroids.length,
      d: input.points[0]!.length,
      points: Float64Array.from(input.points.flat()),
      centroids,
      ones: new Float64Array(centroids.length).fill(1),
    };
  };
}

type Prepared = ReturnType<ReturnType<typeof prepare>>;

function dir(p: Prepared): Float64Array {
  const { grad, hvp } = valueGradAndHvp_objective(p.n, p.k, p.d, p.points, p.centroids, p.ones);
  const J = grad.centroids;
  const Hdiag = hvp.centroids;
  const out = new Float64Array(J.length);
  for (let i = 0; i < J.length; i++) out[i] = J[i]! / Hdiag[i]!;
  return out;
}

export const module: Module = {
  cost: (input: Input) => repeat(input, prepare(input), (p) => objective(p.n, p.k, p.d, p.points, p.centroids), (y) => y),
  dir: (input: Input) =>
    repeat(input, prepare(input), dir, (out) => {
      const d = input.points[0]!.length;
      const rows: number[][] = [];
      for (let at = 0; at < out.length; at += d) rows.push(Array.from(out.subarray(at, at + d)));
      return rows;
    }),
};
