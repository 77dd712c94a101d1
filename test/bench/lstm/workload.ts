/** ADBench LSTM: one workload per data file present (lstm_l2_c1024, lstm_l4_c1024, …). */
import { adbenchFile, goldenValues } from '../support/data.ts';
import { concat, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Reference, Skipped } from '../support/types.ts';
import { readLstm, type LstmInput } from './data.ts';
import { lstmObjective } from './objective.ts';
import { valueAndGrad_lstmObjective } from './objective.grad.ts';
import { tfLstm } from './peers.ts';

function args(p: LstmInput) {
  return [p.l, p.c, p.b, p.mainParams, p.extraParams, p.state, p.sequence] as const;
}

export async function prepareLstm(name: string): Promise<PreparedWorkload> {
  const path = adbenchFile(`lstm/${name}.txt`);
  if (!path) throw new Error(`missing data file lstm/${name}.txt`);
  const p = readLstm(path);
  const tools: GradientTool[] = [
    {
      name: 'adjoint',
      precision: 'float64',
      run: () => valueAndGrad_lstmObjective(...args(p)),
      evaluate: () => {
        const r = valueAndGrad_lstmObjective(...args(p));
        return { value: r.value, gradient: concat([r.grad.mainParams, r.grad.extraParams]) };
      },
    },
  ];
  const skipped: Skipped[] = [
    {
      name: 'jax',
      reason:
        'jax-js 0.1.25 has no scan/fori_loop, so jit unrolls the recurrence: compiling it takes about 90 ms per time step (over 90 s here), and eager mode was slower still',
    },
  ];
  const tf = await loadTf();
  if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
  else {
    const run = tfLstm(tf, p);
    tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run });
  }
  const references: Reference[] = [];
  const golden = goldenValues()?.[name.replace(/\./g, '_')];
  if (golden?.gradient) {
    references.push({
      label: 'ADBench golden gradient',
      entries: golden.gradient.map((expected: number, index: number) => ({ index, expected })),
      tolerance: 1e-8,
    });
  }
  const point = concat([p.mainParams, p.extraParams]);
  const nMain = p.mainParams.length;
  return {
    id: `lstm/${name}`,
    group: 'lstm',
    title: `LSTM l=${p.l} c=${p.c} b=${p.b}`,
    inputs: point.length,
    f: () => lstmObjective(...args(p)),
    fAt: (flat) => lstmObjective(p.l, p.c, p.b, flat.subarray(0, nMain), flat.subarray(nMain), p.state, p.sequence),
    point,
    tools,
    skipped,
    references,
    extraChecks: () => {
      if (!golden) return [{ label: 'ADBench golden objective', ok: true, detail: `skipped: no golden values for ${name}` }];
      const error = Math.abs(lstmObjective(...args(p)) - golden.objective);
      // The golden objective is given to 8 significant digits.
      return [{ label: `f(${name}) vs ADBench golden objective (8 digits)`, ok: error < 1e-8, detail: `absolute error ${error.toExponential(1)}` }];
    },
  };
}
