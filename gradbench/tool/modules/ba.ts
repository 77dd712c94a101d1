/**
 * ba: `objective` is every reprojection and weight error, `jacobian` their sparse Jacobian in
 * ADBench's compressed-row layout (cpp/gradbench/evals/ba.hpp, SparseMat). The eval's input is one
 * camera, point, weight and feature, repeated n, m, p and p times (the tool must not exploit
 * that); its outputs keep only the first elements of each list, as the C++ tools' do.
 */
import { BA_NCAMPARAMS, objective } from '../../evals/ba.ts';
import { grad_computeZachWeightError, jacobian_computeReprojError } from '../../evals/ba.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  n: number;
  m: number;
  p: number;
  cam: number[];
  x: number[];
  w: number;
  feat: number[];
}

/** The eval's data, replicated as ADBench's reader does: observation i sees camera i mod n and point i mod m. */
function prepare(input: Input) {
  return () => {
    const { n, m, p } = input;
    const cams = new Float64Array(BA_NCAMPARAMS * n);
    for (let i = 0; i < n; i++) cams.set(input.cam, i * BA_NCAMPARAMS);
    const X = new Float64Array(3 * m);
    for (let i = 0; i < m; i++) X.set(input.x, i * 3);
    const w = new Float64Array(p).fill(input.w);
    const obs = new Int32Array(2 * p);
    const feats = new Float64Array(2 * p);
    for (let i = 0; i < p; i++) {
      obs[2 * i] = i % n;
      obs[2 * i + 1] = i % m;
      feats.set(input.feat, 2 * i);
    }
    return { n, m, p, cams, X, w, obs, feats };
  };
}

type Prepared = ReturnType<ReturnType<typeof prepare>>;

/** A sparse matrix by rows (ADBench's BASparseMat): rows[i]…rows[i + 1] − 1 index cols and vals. */
class SparseMat {
  readonly n: number;
  readonly m: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
  private nRows = 0;
  private nVals = 0;

  constructor(n: number, m: number, p: number) {
    this.n = n;
    this.m = m;
    const nonZeros = (BA_NCAMPARAMS + 3 + 1) * 2 * p + p;
    this.rows = new Int32Array(3 * p + 1);
    this.cols = new Int32Array(nonZeros);
    this.vals = new Float64Array(nonZeros);
    this.rows[0] = 0;
    this.nRows = 1;
  }

  private push(col: number, val: number): void {
    this.cols[this.nVals] = col;
    this.vals[this.nVals] = val;
    this.nVals++;
  }

  /** Observation i's two rows: its camera's 11 columns, its point's 3, its weight's 1 (J is 2 × 15). */
  insertReprojErrBlock(obsIdx: number, camIdx: number, ptIdx: number, J: number[][]): void {
    const width = BA_NCAMPARAMS + 3 + 1;
    this.rows[this.nRows] = this.rows[this.nRows - 1]! + width;
    this.rows[this.nRows + 1] = this.rows[this.nRows]! + width;
    this.nRows += 2;
    for (let row = 0; row < 2; row++) {
      const Jrow = J[row]!;
      for (let i = 0; i < BA_NCAMPARAMS; i++) this.push(BA_NCAMPARAMS * camIdx + i, Jrow[i]!);
      for (let i = 0; i < 3; i++) this.push(BA_NCAMPARAMS * this.n + 3 * ptIdx + i, Jrow[BA_NCAMPARAMS + i]!);
      this.push(BA_NCAMPARAMS * this.n + 3 * this.m + obsIdx, Jrow[BA_NCAMPARAMS + 3]!);
    }
  }

  insertWErrBlock(wIdx: number, wD: number): void {
    this.rows[this.nRows] = this.rows[this.nRows - 1]! + 1;
    this.nRows++;
    this.push(BA_NCAMPARAMS * this.n + 3 * this.m + wIdx, wD);
  }
}

function jacobian(d: Prepared): SparseMat {
  const J = new SparseMat(d.n, d.m, d.p);
  for (let i = 0; i < d.p; i++) {
    const camIdx = d.obs[2 * i]!;
    const ptIdx = d.obs[2 * i + 1]!;
    const block = jacobian_computeReprojError(
      d.cams.subarray(camIdx * BA_NCAMPARAMS, (camIdx + 1) * BA_NCAMPARAMS),
      d.X.subarray(ptIdx * 3, ptIdx * 3 + 3),
      d.w[i]!,
      d.feats.subarray(2 * i, 2 * i + 2),
    );
    J.insertReprojErrBlock(i, camIdx, ptIdx, block);
  }
  for (let i = 0; i < d.p; i++) J.insertWErrBlock(i, grad_computeZachWeightError(d.w[i]!).w);
  return J;
}

/** The first 30 entries of a list and its last, as the eval expects. */
function firstAndLast(values: ArrayLike<number>): number[] {
  const count = 2 * (BA_NCAMPARAMS + 4);
  return [...Array.from({ length: count }, (_, i) => values[i]!), values[values.length - 1]!];
}

export const module: Module = {
  objective: (input: Input) =>
    repeat(
      input,
      prepare(input),
      (d) => objective(d.p, d.cams, d.X, d.w, d.obs, d.feats),
      ({ reprojErr, wErr }) => ({
        reproj_error: { elements: [reprojErr[0], reprojErr[1]], repeated: reprojErr.length / 2 },
        w_err: { element: wErr[0], repeated: wErr.length },
      }),
    ),
  jacobian: (input: Input) =>
    repeat(input, prepare(input), jacobian, (J) => ({ rows: firstAndLast(J.rows), cols: firstAndLast(J.cols), vals: firstAndLast(J.vals) })),
};
