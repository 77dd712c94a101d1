/** Reads an ADBench LSTM file: "l c b", main params 2·l·4·b, extra params 3·b, state 2·l·b, sequence c·b. */
import { readNumbers } from '../support/data.ts';

export interface LstmInput {
  l: number;
  c: number;
  b: number;
  mainParams: Float64Array;
  extraParams: Float64Array;
  state: Float64Array;
  sequence: Float64Array;
}

export function readLstm(path: string): LstmInput {
  const v = readNumbers(path);
  let at = 0;
  const take = (count: number) => {
    const out = v.slice(at, at + count);
    at += count;
    return out;
  };
  const [l, c, b] = take(3) as unknown as [number, number, number];
  const mainParams = take(2 * l * 4 * b);
  const extraParams = take(3 * b);
  const state = take(2 * l * b);
  const sequence = take(c * b);
  if (at !== v.length) throw new Error(`${path}: ${v.length - at} numbers left over`);
  return { l, c, b, mainParams, extraParams, state, sequence };
}
