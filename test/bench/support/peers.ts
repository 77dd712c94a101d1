/**
 * Loading the peers: TensorFlow.js on its pure-JavaScript 'cpu' backend (float32 only), and
 * jax-js on its WebAssembly backend (float64). Each loader returns the module or why it is not
 * available, so that a workload can skip a peer with a message instead of failing.
 */
type Tf = typeof import('@tensorflow/tfjs');
type Jax = typeof import('@jax-js/jax');

let tfPromise: Promise<Tf | string> | undefined;
let jaxPromise: Promise<Jax | string> | undefined;

export function loadTf(): Promise<Tf | string> {
  tfPromise ??= (async () => {
    try {
      // tfjs prints an advertisement for tfjs-node on the first backend use in Node; keep it out of the report.
      const warn = console.warn;
      const log = console.log;
      const tf = await import('@tensorflow/tfjs');
      console.warn = console.log = () => {};
      try {
        await tf.setBackend('cpu');
        await tf.ready();
        tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
      } finally {
        console.warn = warn;
        console.log = log;
      }
      tf.enableProdMode();
      return tf.getBackend() === 'cpu' ? tf : `TF.js backend is ${tf.getBackend()}, not cpu`;
    } catch (error) {
      return `@tensorflow/tfjs could not be loaded: ${(error as Error).message}`;
    }
  })();
  return tfPromise;
}

export function loadJax(): Promise<Jax | string> {
  jaxPromise ??= (async () => {
    try {
      // Node 20 has no Float16Array; jax-js only tests `instanceof Float16Array` unless float16 is used.
      (globalThis as Record<string, unknown>).Float16Array ??= class Float16ArrayUnavailable {};
      const jax = await import('@jax-js/jax');
      const devices = await jax.init('wasm');
      if (!devices.includes('wasm')) return 'jax-js has no wasm backend here';
      jax.defaultDevice('wasm');
      return jax;
    } catch (error) {
      return `@jax-js/jax could not be loaded: ${(error as Error).message}`;
    }
  })();
  return jaxPromise;
}

/** Copies any array-like of numbers into a Float64Array (for the checks). */
export function toFloat64(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>);
}

/** Concatenates flat pieces into one Float64Array, in order. */
export function concat(parts: ArrayLike<number>[]): Float64Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) out[at + i] = p[i]!;
    at += p.length;
  }
  return out;
}
