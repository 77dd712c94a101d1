/** Reads an ADBench GMM file: "d k n", k alphas, k·d means, k·d(d+1)/2 icf, n·d points, "gamma m". */
import { readNumbers } from '../support/data.ts';

export interface GmmInput {
  d: number;
  k: number;
  n: number;
  alphas: Float64Array;
  means: Float64Array;
  icf: Float64Array;
  x: Float64Array;
  gamma: number;
  m: number;
}

export function readGmm(path: string): GmmInput {
  const v = readNumbers(path);
  let at = 0;
  const take = (count: number) => {
    const out = v.slice(at, at + count);
    at += count;
    return out;
  };
  const [d, k, n] = take(3) as unknown as [number, number, number];
  const icfSize = (d * (d + 1)) / 2;
  const alphas = take(k);
  const means = take(k * d);
  const icf = take(k * icfSize);
  const x = take(n * d);
  const [gamma, m] = take(2) as unknown as [number, number];
  if (at !== v.length) throw new Error(`${path}: ${v.length - at} numbers left over`);
  return { d, k, n, alphas, means, icf, x, gamma, m };
}
