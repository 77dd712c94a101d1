/**
 * What a session shows: for each evaluate message, whether the eval found the output valid and the
 * fastest and the median of the tool's "evaluate" timings; per workload (an evaluate description),
 * the time of each derivative function divided by that of the primal function in the same session.
 *
 * The ratio is of the fastest runs: on a shared machine every other process, and in JavaScript the
 * JIT's warm-up in the first runs of each function, only ever add time, so the fastest run is the
 * best estimate of a function's cost (the medians are kept beside it).
 */
import type { LogLine } from './session.ts';

/** Each eval's primal function and the functions that compute derivatives (GradBench's names). */
export const FUNCTIONS: Record<string, { primal?: string; derivatives: string[] }> = {
  hello: { primal: 'square', derivatives: ['double'] },
  llsq: { primal: 'primal', derivatives: ['gradient'] },
  lse: { primal: 'primal', derivatives: ['gradient'] },
  det: { primal: 'primal', derivatives: ['gradient'] },
  ode: { primal: 'primal', derivatives: ['gradient'] },
  gmm: { primal: 'objective', derivatives: ['jacobian'] },
  lstm: { primal: 'objective', derivatives: ['jacobian'] },
  ba: { primal: 'objective', derivatives: ['jacobian'] },
  ht: { primal: 'objective', derivatives: ['jacobian'] },
  kmeans: { primal: 'cost', derivatives: ['dir'] },
  // Every function of these is a whole optimisation with nested derivatives; there is no primal.
  particle: { derivatives: ['rr', 'rf', 'fr', 'ff'] },
  saddle: { derivatives: ['rr', 'rf', 'fr', 'ff'] },
};

export interface Evaluation {
  id: number;
  function: string;
  workload: string;
  success: boolean;
  /** undefined: the eval sent no analysis (the tool failed, or it was cut short) */
  valid?: boolean;
  error?: string;
  medianNs?: number;
  minNs?: number;
  runs: number;
}

export interface WorkloadRatio {
  workload: string;
  function: string;
  /** fastest run of the derivative ÷ fastest run of the primal */
  ratio: number;
  /** the same with the medians */
  medianRatio: number;
  primalNs: number;
  derivativeNs: number;
  /** how many runs each median is of */
  primalRuns: number;
  derivativeRuns: number;
}

export interface SessionSummary {
  evalName: string;
  defined: boolean;
  evaluations: Evaluation[];
  ratios: WorkloadRatio[];
  validated: number;
  invalid: number;
  /** evaluations without a valid analysis: failed, invalid or unanalysed */
  problems: Evaluation[];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function describe(message: Record<string, any>): string {
  if (typeof message.description === 'string') return message.description;
  const input = message.input;
  return typeof input === 'number' ? String(input) : '';
}

export function summarise(evalName: string, log: LogLine[]): SessionSummary {
  const messages = new Map<number, Record<string, any>>();
  const responses = new Map<number, Record<string, any>>();
  for (const line of log) {
    if ('message' in line) messages.set(line.message.id, line.message);
    else responses.set(line.response.id, line.response);
  }
  const analyses = new Map<number, Record<string, any>>();
  for (const m of messages.values()) if (m.kind === 'analysis') analyses.set(m.of, m);
  const defined = [...messages.values()].some((m) => m.kind === 'define' && responses.get(m.id)?.success === true);

  const evaluations: Evaluation[] = [];
  for (const m of messages.values()) {
    if (m.kind !== 'evaluate') continue;
    const r = responses.get(m.id);
    const a = analyses.get(m.id);
    const times = ((r?.timings ?? []) as Array<{ name: string; nanoseconds: number }>).filter((t) => t.name === 'evaluate').map((t) => t.nanoseconds);
    evaluations.push({
      id: m.id,
      function: m.function,
      workload: describe(m),
      success: r?.success === true,
      valid: a?.valid,
      error: r?.success === false ? r.error : a?.valid === false ? a.error : undefined,
      medianNs: times.length ? median(times) : undefined,
      // a loop, not Math.min(...times): a fast function is timed 100,000 times and more, past the stack's limit for arguments
      minNs: times.length ? times.reduce((least, t) => Math.min(least, t)) : undefined,
      runs: times.length,
    });
  }

  const functions = FUNCTIONS[evalName];
  const ratios: WorkloadRatio[] = [];
  if (functions?.primal) {
    for (const e of evaluations) {
      if (!functions.derivatives.includes(e.function) || e.medianNs === undefined) continue;
      const primal = evaluations.find((p) => p.function === functions.primal && p.workload === e.workload && p.medianNs !== undefined);
      if (!primal) continue;
      ratios.push({
        workload: e.workload,
        function: e.function,
        ratio: e.minNs! / primal.minNs!,
        medianRatio: e.medianNs / primal.medianNs!,
        primalNs: primal.minNs!,
        derivativeNs: e.minNs!,
        primalRuns: primal.runs,
        derivativeRuns: e.runs,
      });
    }
  }
  const problems = evaluations.filter((e) => !e.success || e.valid !== true);
  return {
    evalName,
    defined,
    evaluations,
    ratios,
    validated: evaluations.filter((e) => e.valid === true).length,
    invalid: evaluations.filter((e) => e.valid === false).length,
    problems,
  };
}
