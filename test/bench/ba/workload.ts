/** ADBench bundle adjustment: the gradient of the total squared reprojection error over a BA file. */
import { adbenchFile, goldenValues } from '../support/data.ts';
import { concat, loadJax, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { readBa, type BaInput } from './data.ts';
import { baObjective } from './objective.ts';
import { valueAndGrad_baObjective } from './objective.grad.ts';
import { jaxBa, tfBa } from './peers.ts';

function args(p: BaInput) {
  return [p.p, p.cams, p.X, p.w, p.obs, p.feats] as const;
}

function adjointTool(p: BaInput): GradientTool {
  return {
    name: 'adjoint',
    precision: 'float64',
    run: () => valueAndGrad_baObjective(...args(p)),
    evaluate: () => {
      const r = valueAndGrad_baObjective(...args(p));
      return { value: r.value, gradient: concat([r.grad.cams, r.grad.X, r.grad.w]) };
    },
  };
}

export async function prepareBa(name: string): Promise<PreparedWorkload> {
  const path = adbenchFile(`ba/${name}.txt`);
  if (!path) throw new Error(`missing data file ba/${name}.txt`);
  const p = readBa(path);
  const tools = [adjointTool(p)];
  const skipped: Skipped[] = [];
  const tf = await loadTf();
  if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
  else {
    const run = tfBa(tf, p);
    tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run, note: 'gradient w.r.t. the gathered copies, summed in JS' });
  }
  const jax = await loadJax();
  if (typeof jax === 'string') skipped.push({ name: 'jax', reason: jax });
  else {
    const run = jaxBa(jax, p);
    tools.push({ name: 'jax', precision: 'float64', run, evaluate: run, note: 'jit(valueAndGrad) w.r.t. the gathered copies, summed in JS' });
  }
  const point = concat([p.cams, p.X, p.w]);
  const [nc, nx] = [11 * p.n, 3 * p.m];
  return {
    id: `ba/${name}`,
    group: 'ba',
    title: `BA n=${p.n} m=${p.m} p=${p.p}`,
    inputs: point.length,
    f: () => baObjective(...args(p)),
    fAt: (flat) => baObjective(p.p, flat.subarray(0, nc), flat.subarray(nc, nc + nx), flat.subarray(nc + nx), p.obs, p.feats),
    point,
    tools,
    skipped,
    extraChecks: goldenChecks,
    notes: [
      'TF.js and jax-js differentiate with respect to per-observation copies of the cameras and points and the adjoints are summed in JavaScript: TF.js\'s CPU gradient of gather costs O(observations × points) (over 3 minutes on ba1) and jax-js cannot jit the gradient of take',
    ],
  };
}

/**
 * On ADBench's test instance: the residuals against the golden reprojection errors, and the gradient
 * against 2·Jᵀr built from the golden Jacobian (rows 2i, 2i+1 of observation i hold 11 camera, 3
 * point and 1 weight derivatives).
 */
function goldenChecks(): Array<{ label: string; ok: boolean; detail: string }> {
  const golden = goldenValues()?.ba_test_txt;
  const path = adbenchFile('ba/test.txt');
  if (!golden || !path) return [{ label: 'ADBench golden values (ba/test.txt)', ok: true, detail: 'skipped: data missing' }];
  const t = readBa(path);
  const [even, odd] = [golden.reproj_err_even, golden.reproj_err_odd];
  const expectedValue = t.p * (even * even + odd * odd);
  const value = baObjective(...args(t));
  const valueError = Math.abs(value - expectedValue) / expectedValue;
  const expected = new Float64Array(11 * t.n + 3 * t.m + t.p);
  for (let i = 0; i < t.p; i++) {
    const columns = [
      ...Array.from({ length: 11 }, (_, j) => 11 * (i % t.n) + j),
      ...Array.from({ length: 3 }, (_, j) => 11 * t.n + 3 * (i % t.m) + j),
      11 * t.n + 3 * t.m + i,
    ];
    for (let r = 0; r < 2; r++) {
      const row = golden.J_vals.slice((2 * i + r) * 15, (2 * i + r + 1) * 15);
      columns.forEach((c, j) => (expected[c] += 2 * (r === 0 ? even : odd) * row[j]));
    }
  }
  const g = adjointTool(t).evaluate().gradient;
  let worst = 0;
  expected.forEach((e, i) => (worst = Math.max(worst, Math.abs(g[i]! - e) / Math.max(1, Math.abs(e)))));
  return [
    { label: 'f(ba/test.txt) vs p·‖golden reprojection error‖²', ok: valueError < 1e-8, detail: `relative error ${valueError.toExponential(1)}` },
    { label: 'adjoint on ba/test.txt vs 2·Jᵀr from the golden Jacobian (62 entries)', ok: worst < 1e-8, detail: `max error ${worst.toExponential(1)}` },
  ];
}
