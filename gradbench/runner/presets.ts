/**
 * The eval arguments of `pnpm gradbench --all`: every eval, at sizes chosen so that the whole run
 * (the Adjoint tool and the manual C++ tool, each eval validated) takes about 15 minutes on a
 * quiet 2-core machine, and a few minutes with --quick. Each function runs at least `--min-runs`
 * times, so that the fastest run is past V8's warm-up. GradBench's own defaults go further (gmm
 * to d = 64 with K = 100, lse to 1.28 million, ht on the big model up to 100,000 points, …): run
 * `pnpm gradbench <eval>` without arguments for those.
 */
const runs = (minRuns: number, minSeconds: number) => ['--min-runs', String(minRuns), '--min-seconds', String(minSeconds)];

export const PRESETS: Record<'full' | 'quick', Record<string, string[]>> = {
  full: {
    hello: [],
    llsq: ['-n', '1024', '4096', '16392', ...runs(10, 1)],
    lse: ['-n', '10000', '160000', '1280000', ...runs(10, 1)],
    gmm: ['-d', '2', '10', '20', '-k', '5', '25', ...runs(10, 1)],
    det: ['-l', '5', '7', '9', ...runs(5, 1)],
    ode: ['-n', '1000', '10000', '-s', '1', '10', ...runs(10, 1)],
    particle: runs(5, 1),
    saddle: runs(5, 1),
    kmeans: ['-k', '10', '100', '-n', '1000', '10000', '-d', '8', ...runs(10, 1)],
    lstm: ['-l', '2', '4', '-c', '1024', '4096', ...runs(5, 1)],
    ba: ['--min', '1', '--max', '3', ...runs(5, 1)],
    ht: ['--min', '1', '--max', '4', '--model', 'small', '--variant', 'complicated', ...runs(5, 1)],
  },
  quick: {
    hello: [],
    llsq: ['-n', '1024', '4096', ...runs(5, 0.2)],
    lse: ['-n', '10000', '160000', ...runs(5, 0.2)],
    gmm: ['-d', '2', '10', '-k', '5', '25', ...runs(5, 0.2)],
    det: ['-l', '5', '7', ...runs(5, 0.2)],
    ode: ['-n', '1000', '-s', '1', '10', ...runs(5, 0.2)],
    particle: runs(3, 0.2),
    saddle: runs(3, 0.2),
    kmeans: ['-k', '10', '100', '-n', '1000', '-d', '8', ...runs(5, 0.2)],
    lstm: ['-l', '2', '-c', '1024', ...runs(3, 0.2)],
    ba: ['--min', '1', '--max', '1', ...runs(3, 0.2)],
    ht: ['--min', '1', '--max', '2', '--model', 'small', '--variant', 'complicated', ...runs(3, 0.2)],
  },
};
