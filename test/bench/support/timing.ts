/**
 * Interleaved timing: every round times each tool once, in an order that rotates from round to
 * round, so that slow drifts of the machine (frequency, other processes, heap growth) fall on all
 * tools alike. A sample repeats a short call until it lasts about `sampleMs`; the summary is the
 * median over rounds.
 */
import type { TimingSummary } from './types.ts';

export interface Timed {
  name: string;
  run: () => unknown;
  /** The duration of one call already seen (the check's call), if any. */
  seenMs?: number;
}

export interface TimingOptions {
  /** Time the rounds may take in all (roughly). */
  budgetMs: number;
  minRounds: number;
  maxRounds: number;
  /** Target duration of one sample. */
  sampleMs: number;
  /**
   * The longest warm-up of one tool. A tool is called untimed, in batches of about `sampleMs`, until
   * its time per call stops falling (no batch more than 5% faster than the best one for `settleMs`
   * and for three batches in a row), or for this long: V8 optimises a function only after it has run
   * for a while, and the parts of a long generated function one by one (the 10k circuit's gradient
   * has about a hundred). A tool whose call already seen took over a second is called once.
   */
  warmupMaxMs: number;
  /**
   * How long a tool's time per call must have stopped falling before its warm-up ends. V8 optimises
   * the parts of the 10k circuit's gradient in bursts up to 1.5 s apart (measured here, calling it
   * without pause), over 5 to 8 s: three batches of 25 ms without a gain ended its warm-up after
   * 0.5 s, with a handful of its parts optimised and the gradient at 3 to 4 times its speed once
   * all are.
   */
  settleMs: number;
}

/** Warms a tool up (see `warmupMaxMs`) and returns its best time per call. */
function warmUp(tool: Timed, options: TimingOptions): number {
  if ((tool.seenMs ?? 0) > 1000) return timeCalls(tool.run, 1);
  const start = performance.now();
  let best = timeCalls(tool.run, 1);
  let lastGain = performance.now();
  for (let stale = 0; (stale < 3 || performance.now() - lastGain < options.settleMs) && performance.now() - start < options.warmupMaxMs; ) {
    const t = timeCalls(tool.run, Math.max(1, Math.min(10_000, Math.round(options.sampleMs / Math.max(best, 1e-4)))));
    if (t < 0.95 * best) {
      stale = 0;
      lastGain = performance.now();
    } else {
      stale++;
    }
    best = Math.min(best, t);
  }
  return best;
}

/** Something that holds on to results so that the engine cannot drop the calls. */
export let sink: unknown;

function timeCalls(run: () => unknown, calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) sink = run();
  return (performance.now() - start) / calls;
}

export function timeInterleaved(tools: Timed[], options: TimingOptions, log: (line: string) => void): Map<string, TimingSummary> {
  // Warm up, and learn each call's rough cost.
  const perCall = new Map<string, number>();
  for (const tool of tools) perCall.set(tool.name, warmUp(tool, options));
  const calls = new Map<string, number>();
  const sampleCost = new Map<string, number>();
  let roundMs = 0;
  for (const tool of tools) {
    const t = perCall.get(tool.name)!;
    const n = Math.max(1, Math.min(10_000, Math.round(options.sampleMs / Math.max(t, 1e-4))));
    calls.set(tool.name, n);
    sampleCost.set(tool.name, n * t);
    roundMs += n * t;
  }
  // Every tool gets an equal share of the budget. A tool whose samples are slow gets fewer of them
  // (at least minRounds, or two when even that would far exceed its share); the others go on being
  // sampled, still in rotating order, after the slow ones stop.
  const share = options.budgetMs / tools.length;
  const wanted = new Map<string, number>();
  for (const tool of tools) {
    const cost = Math.max(sampleCost.get(tool.name)!, 1e-3);
    const floor = cost * options.minRounds > 2 * share ? Math.min(2, options.minRounds) : options.minRounds;
    wanted.set(tool.name, Math.max(floor, Math.min(options.maxRounds, Math.floor(share / cost))));
  }
  const rounds = Math.max(...wanted.values());
  log(`    timing up to ${rounds} rounds (samples: ${tools.map((t) => `${t.name} ${wanted.get(t.name)}`).join(', ')})`);
  const samples = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < tools.length; k++) {
      const tool = tools[(k + r) % tools.length]!;
      if (samples.get(tool.name)!.length >= wanted.get(tool.name)!) continue;
      samples.get(tool.name)!.push(timeCalls(tool.run, calls.get(tool.name)!));
    }
  }
  const out = new Map<string, TimingSummary>();
  for (const tool of tools) {
    const s = [...samples.get(tool.name)!].sort((a, b) => a - b);
    out.set(tool.name, {
      medianMs: median(s),
      minMs: s[0]!,
      maxMs: s[s.length - 1]!,
      samples: s.length,
      callsPerSample: calls.get(tool.name)!,
    });
  }
  return out;
}

export function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}
