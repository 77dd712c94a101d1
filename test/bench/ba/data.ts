/**
 * Reads an ADBench BA file: "n m p", one camera (11), one point (3), one weight, one feature (2),
 * replicated as ADBench's reader does: every camera, point, weight and feature is a copy, and
 * observation i sees camera i mod n and point i mod m.
 */
import { readNumbers } from '../support/data.ts';

export interface BaInput {
  n: number;
  m: number;
  p: number;
  cams: Float64Array;
  X: Float64Array;
  w: Float64Array;
  obs: Float64Array;
  feats: Float64Array;
}

export function readBa(path: string): BaInput {
  const v = readNumbers(path);
  const [n, m, p] = [v[0]!, v[1]!, v[2]!];
  if (v.length !== 3 + 11 + 3 + 1 + 2) throw new Error(`${path}: expected 20 numbers, found ${v.length}`);
  const cams = new Float64Array(11 * n);
  for (let i = 0; i < n; i++) cams.set(v.subarray(3, 14), 11 * i);
  const X = new Float64Array(3 * m);
  for (let i = 0; i < m; i++) X.set(v.subarray(14, 17), 3 * i);
  const w = new Float64Array(p).fill(v[17]!);
  const obs = new Float64Array(2 * p);
  const feats = new Float64Array(2 * p);
  for (let i = 0; i < p; i++) {
    obs[2 * i] = i % n;
    obs[2 * i + 1] = i % m;
    feats[2 * i] = v[18]!;
    feats[2 * i + 1] = v[19]!;
  }
  return { n, m, p, cams, X, w, obs, feats };
}
