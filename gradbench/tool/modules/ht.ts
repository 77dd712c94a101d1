/**
 * ht: `objective` is the 3 × (number of points) error, `jacobian` its Jacobian (one row per error,
 * one column per input). Columns come from forward mode, one jvp per input direction: 26 for theta
 * and, in the complicated variant, 2 for the barycentric coordinates us. Each error depends only
 * on its own point's us, so one jvp along (1, 0, 1, 0, …) gives every ∂err/∂u₀ at once (and
 * (0, 1, 0, 1, …) every ∂err/∂u₁): those are the eval's first two columns, as in ADBench.
 */
import { objective, objectiveComplicated, type HandData } from '../../evals/ht.ts';
import { jvp_objective, jvp_objectiveComplicated } from '../../evals/ht.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  theta: number[];
  us: number[][];
  data: {
    model: {
      bone_count: number;
      parents: number[];
      base_relatives: number[][][];
      inverse_base_absolutes: number[][][];
      base_positions: number[][];
      weights: number[][];
      triangles: number[][];
      is_mirrored: boolean;
    };
    correspondences: number[];
    points: number[][];
  };
}

/** A 4 × 4 matrix given by rows, column-major. */
function columnMajor4(rows: number[][]): number[] {
  const out: number[] = [];
  for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) out.push(rows[i]![j]!);
  return out;
}

function prepare(input: Input) {
  return () => {
    const m = input.data.model;
    const data: HandData = {
      model: {
        nBones: m.parents.length,
        parents: m.parents,
        baseRelatives: Float64Array.from(m.base_relatives.flatMap(columnMajor4)),
        inverseBaseAbsolutes: Float64Array.from(m.inverse_base_absolutes.flatMap(columnMajor4)),
        // one column (4 numbers) per vertex: the eval's rows, one after the other
        basePositions: Float64Array.from(m.base_positions.flat()),
        // nBones × nVerts: again the eval's rows (one per vertex), one after the other
        weights: Float64Array.from(m.weights.flat()),
        nVerts: m.base_positions.length,
        triangles: m.triangles.flat(),
        isMirrored: m.is_mirrored,
      },
      correspondences: input.data.correspondences,
      points: Float64Array.from(input.data.points.flat()),
    };
    return { theta: Float64Array.from(input.theta), us: Float64Array.from(input.us.flat()), data };
  };
}

type Prepared = ReturnType<ReturnType<typeof prepare>>;

const complicated = (p: Prepared) => p.us.length > 0;

function errors(p: Prepared): Float64Array {
  return complicated(p) ? objectiveComplicated(p.theta, p.us, p.data) : objective(p.theta, p.data);
}

/** The Jacobian's columns: ∂err/∂u₀ and ∂err/∂u₁ (complicated only), then ∂err/∂θⱼ. */
function jacobianColumns(p: Prepared): Float64Array[] {
  const columns: Float64Array[] = [];
  const dTheta = new Float64Array(p.theta.length);
  if (complicated(p)) {
    const dUs = new Float64Array(p.us.length);
    for (let u = 0; u < 2; u++) {
      dUs.fill(0);
      for (let i = u; i < dUs.length; i += 2) dUs[i] = 1;
      columns.push(jvp_objectiveComplicated(p.theta, p.us, p.data, dTheta, dUs).tangent);
    }
    dUs.fill(0);
    for (let j = 0; j < p.theta.length; j++) {
      dTheta.fill(0);
      dTheta[j] = 1;
      columns.push(jvp_objectiveComplicated(p.theta, p.us, p.data, dTheta, dUs).tangent);
    }
  } else {
    for (let j = 0; j < p.theta.length; j++) {
      dTheta.fill(0);
      dTheta[j] = 1;
      columns.push(jvp_objective(p.theta, p.data, dTheta).tangent);
    }
  }
  return columns;
}

/** Columns to the eval's rows. */
function toRows(columns: Float64Array[]): number[][] {
  const nRows = columns[0]?.length ?? 0;
  return Array.from({ length: nRows }, (_, i) => columns.map((column) => column[i]!));
}

export const module: Module = {
  objective: (input: Input) => repeat(input, prepare(input), errors, (err) => Array.from(err)),
  jacobian: (input: Input) => repeat(input, prepare(input), jacobianColumns, toRows),
};
