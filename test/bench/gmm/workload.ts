/** ADBench GMM: one workload per data file (1000 points), timed against the peers. */
import { adbenchFile, goldenValues } from '../support/data.ts';
import { concat, loadJax, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { readGmm, type GmmInput } from './data.ts';
import { gmmHandGradient } from './hand.ts';
import { valueAndGrad_gmmObjectiveInline } from './inline.grad.ts';
import { gmmObjective } from './objective.ts';
import { valueAndGrad_gmmObjective } from './objective.grad.ts';
import { jaxGmm, tfGmm } from './peers.ts';

function args(p: GmmInput) {
  return [p.d, p.k, p.n, p.alphas, p.means, p.icf, p.x, p.gamma, p.m] as const;
}

/** The objective at a flat vector [alphas, means, icf] (views, no copies). */
function fAt(p: GmmInput) {
  const icfSize = (p.d * (p.d + 1)) / 2;
  return (flat: Float64Array) =>
    gmmObjective(
      p.d,
      p.k,
      p.n,
      flat.subarray(0, p.k),
      flat.subarray(p.k, p.k + p.k * p.d),
      flat.subarray(p.k + p.k * p.d, p.k + p.k * p.d + p.k * icfSize),
      p.x,
      p.gamma,
      p.m,
    );
}

/** The gradients written in JavaScript: Adjoint's (helpers called, helpers inlined) and the hand-written one. */
function javascriptTools(p: GmmInput): GradientTool[] {
  const flat = (r: { value: number; grad: { alphas: Float64Array; means: Float64Array; icf: Float64Array } }) => ({
    value: r.value,
    gradient: concat([r.grad.alphas, r.grad.means, r.grad.icf]),
  });
  return [
    {
      name: 'adjoint',
      precision: 'float64',
      run: () => valueAndGrad_gmmObjective(...args(p)),
      evaluate: () => flat(valueAndGrad_gmmObjective(...args(p))),
    },
    {
      name: 'adjoint-inlined',
      precision: 'float64',
      run: () => valueAndGrad_gmmObjectiveInline(...args(p)),
      evaluate: () => flat(valueAndGrad_gmmObjectiveInline(...args(p))),
      note: 'valueAndGrad of gmm/inline.ts, the same objective written as one function without helper calls',
    },
    {
      name: 'hand',
      precision: 'float64',
      run: () => gmmHandGradient(...args(p)),
      evaluate: () => flat(gmmHandGradient(...args(p))),
      note: "gmm/hand.ts, after ADBench's manual gradient: each point's backward pass right after its forward pass",
    },
  ];
}

export async function prepareGmm(name: string): Promise<PreparedWorkload> {
  const path = adbenchFile(`gmm/1k/${name}.txt`);
  if (!path) throw new Error(`missing data file gmm/1k/${name}.txt`);
  const p = readGmm(path);
  const tools = javascriptTools(p);
  const skipped: Skipped[] = [];
  const tf = await loadTf();
  if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
  else {
    const run = tfGmm(tf, p);
    tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run });
  }
  const jax = await loadJax();
  if (typeof jax === 'string') skipped.push({ name: 'jax', reason: jax });
  else {
    const run = jaxGmm(jax, p);
    tools.push({ name: 'jax', precision: 'float64', run, evaluate: run, note: 'jit(valueAndGrad), wasm backend' });
  }
  const point = concat([p.alphas, p.means, p.icf]);
  return {
    id: `gmm/${name}`,
    group: 'gmm',
    title: `GMM d=${p.d} K=${p.k} n=${p.n}`,
    inputs: point.length,
    f: () => gmmObjective(...args(p)),
    fAt: fAt(p),
    point,
    tools,
    skipped,
    extraChecks: () => goldenChecks(),
  };
}

/** The objective, both Adjoint gradients and the hand-written one on ADBench's unit-test instance, against its golden values. */
function goldenChecks(): Array<{ label: string; ok: boolean; detail: string }> {
  const golden = goldenValues()?.gmm_test_txt;
  const path = adbenchFile('gmm/test.txt');
  if (!golden || !path) return [{ label: 'ADBench golden values (gmm/test.txt)', ok: true, detail: 'skipped: data missing' }];
  const t = readGmm(path);
  const out = [];
  const value = gmmObjective(...args(t));
  const valueError = Math.abs(value - golden.objective) / Math.abs(golden.objective);
  out.push({ label: 'f(gmm/test.txt) vs ADBench golden objective', ok: valueError < 1e-8, detail: `relative error ${valueError.toExponential(1)}` });
  for (const tool of javascriptTools(t)) {
    const g = tool.evaluate().gradient;
    let worst = 0;
    golden.gradient.forEach((e: number, i: number) => (worst = Math.max(worst, Math.abs(g[i]! - e) / Math.max(1, Math.abs(e)))));
    out.push({ label: `${tool.name} on gmm/test.txt vs ADBench golden gradient (18 entries)`, ok: worst < 1e-8, detail: `max error ${worst.toExponential(1)}` });
  }
  return out;
}
