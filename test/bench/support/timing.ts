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
  /** Untimed calls of each tool first (just one for a tool whose call already seen took over a second). */
  warmupCalls: number;
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
  for (const tool of tools) {
    const slow = (tool.seenMs ?? 0) > 1000;
    let t = Infinity;
    for (let i = 0; i < (slow ? 1 : options.warmupCalls); i++) t = Math.min(t, timeCalls(tool.run, 1));
    perCall.set(tool.name, t);
  }
  const calls = new Map<string, number>();
  let roundMs = 0;
  for (const tool of tools) {
    const t = perCall.get(tool.name)!;
    const n = Math.max(1, Math.min(10_000, Math.round(options.sampleMs / Math.max(t, 1e-4))));
    calls.set(tool.name, n);
    roundMs += n * t;
  }
  // At least minRounds, but only two when a round is very long (the median of two is their mean).
  const minRounds = roundMs > options.budgetMs / 2 ? Math.min(2, options.minRounds) : options.minRounds;
  const rounds = Math.max(minRounds, Math.min(options.maxRounds, Math.floor(options.budgetMs / Math.max(roundMs, 1e-3))));
  log(`    timing ${rounds} rounds of about ${roundMs.toFixed(0)} ms`);
  const samples = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < tools.length; k++) {
      const tool = tools[(k + r) % tools.length]!;
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
