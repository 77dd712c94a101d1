/** Writes the benchmark circuits (circuit/generated/circuit<name>.ts) if missing or different. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { circuitSource, makeCircuit } from './generate.ts';
import { CIRCUIT_SIZES, circuitPath } from '../catalog.ts';

export function writeCircuits(names = Object.keys(CIRCUIT_SIZES)): string[] {
  const paths: string[] = [];
  for (const name of names) {
    const path = circuitPath(name);
    const text = circuitSource(makeCircuit(CIRCUIT_SIZES[name]!), `circuit${name}`);
    mkdirSync(dirname(path), { recursive: true });
    let old: string | undefined;
    try {
      old = readFileSync(path, 'utf8');
    } catch {}
    if (old !== text) writeFileSync(path, text);
    paths.push(path);
  }
  return paths;
}
