/**
 * Which workload instances exist: the data files and circuit sizes. Kept apart from the workload
 * modules, which import the generated companions, so that run.ts can list the workloads before
 * anything is generated.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adbenchFile } from './support/data.ts';

/** The ADBench GMM files with 1000 points up to d = 64, K = 50 (the K = 100 and 200 files are left out). */
export function gmmFiles(): string[] {
  const dir = adbenchFile('gmm/1k');
  if (!dir) return [];
  const size = (name: string) => name.match(/d(\d+)_K(\d+)/)!.slice(1).map(Number) as [number, number];
  return readdirSync(dir)
    .filter((name) => /^gmm_d\d+_K\d+\.txt$/.test(name))
    .filter((name) => size(name)[0] <= 64 && size(name)[1] <= 50)
    .sort((a, b) => size(a)[0] - size(b)[0] || size(a)[1] - size(b)[1])
    .map((name) => name.replace(/\.txt$/, ''));
}

export const LSTM_FILES = ['lstm_l2_c1024', 'lstm_l4_c1024', 'lstm_l2_c4096', 'lstm_l4_c4096'];

export const CIRCUIT_SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000 };

/** circuit/generated/circuit<name>.ts, or its companion with ext '.grad.ts'. */
export function circuitPath(name: string, ext = '.ts'): string {
  return fileURLToPath(new URL(`./circuit/generated/circuit${name}${ext}`, import.meta.url));
}
