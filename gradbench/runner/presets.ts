/**
 * The eval arguments of `pnpm gradbench --all`: every eval, at sizes chosen so that the whole run
 * (the Adjoint tool and the manual C++ tool, each eval validated) takes under 15 minutes on a
 * quiet 2-core machine, and under 4 minutes with --quick. GradBench's own defaults go further
 * (gmm to d = 64 with K = 100, lse to 1.28 million, ht to 100,000 points, …): run
 * `pnpm gradbench <eval>` without arguments for those.
 */
export const PRESETS: Record<'full' | 'quick', Record<string, string[]>> = {
  full: {
    hello: [],
    llsq: ['-n', '1024', '4096', '16392', '--min-seconds', '0.5'],
    lse: ['-n', '10000', '160000', '1280000', '--min-seconds', '0.5'],
    gmm: ['-d', '2', '10', '20', '-k', '5', '25', '--min-seconds', '0.5'],
    det: ['-l', '5', '7', '9', '10', '--min-seconds', '0.5'],
    ode: ['-n', '1000', '10000', '-s', '1', '10', '--min-seconds', '0.5'],
    particle: ['--min-seconds', '0.5'],
    saddle: ['--min-seconds', '0.5'],
    kmeans: ['-k', '10', '100', '-n', '1000', '10000', '-d', '8', '--min-seconds', '0.5'],
    lstm: ['-l', '2', '4', '-c', '1024', '4096', '--min-seconds', '0.5'],
    ba: ['--min', '1', '--max', '5', '--min-seconds', '0.5'],
    ht: ['--min', '1', '--max', '4', '--model', 'small', '--variant', 'complicated', '--min-seconds', '0.5'],
  },
  quick: {
    hello: [],
    llsq: ['-n', '1024', '4096', '--min-seconds', '0.2'],
    lse: ['-n', '10000', '160000', '--min-seconds', '0.2'],
    gmm: ['-d', '2', '10', '-k', '5', '25', '--min-seconds', '0.2'],
    det: ['-l', '5', '7', '9', '--min-seconds', '0.2'],
    ode: ['-n', '1000', '-s', '1', '10', '--min-seconds', '0.2'],
    particle: ['--min-seconds', '0.2'],
    saddle: ['--min-seconds', '0.2'],
    kmeans: ['-k', '10', '100', '-n', '1000', '-d', '8', '--min-seconds', '0.2'],
    lstm: ['-l', '2', '-c', '1024', '--min-seconds', '0.2'],
    ba: ['--min', '1', '--max', '2', '--min-seconds', '0.2'],
    ht: ['--min', '1', '--max', '2', '--model', 'small', '--variant', 'complicated', '--min-seconds', '0.2'],
  },
};
