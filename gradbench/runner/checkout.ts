/**
 * A GradBench checkout (GRADBENCH_DIR) and what running its evals here needs: Python with numpy,
 * pydantic and scipy (dataclasses_json is stood in for by ./python when missing), the C++ `manual`
 * tool built with Debian's nlohmann-json3-dev (its Makefile would download json.hpp), and the LSTM
 * eval's text when the checkout lacks it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './session.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
const NLOHMANN = ['/usr/include/nlohmann', '/usr/local/include/nlohmann'];
const LSTM_TEXT = 'evals/lstm/data/lstm_full.txt';

export class SetupError extends Error {}

/** ADBench's data (ADBENCH_DATA, else shared/bench-data/adbench beside the repository or beside its worktree folder). */
export function adbenchDir(): string {
  if (process.env.ADBENCH_DATA) return process.env.ADBENCH_DATA;
  const candidates = [join(repoRoot, '../shared/bench-data/adbench'), join(repoRoot, '../../shared/bench-data/adbench')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

export interface Checkout {
  dir: string;
  env: NodeJS.ProcessEnv;
  notes: string[];
}

export function openCheckout(): Checkout {
  const dir = process.env.GRADBENCH_DIR;
  if (!dir) throw new SetupError('GRADBENCH_DIR is not set: point it to a checkout of gradbench/gradbench (a clone of its repository).');
  const root = resolve(dir);
  if (!existsSync(join(root, 'python/gradbench/gradbench/eval.py'))) {
    throw new SetupError(`GRADBENCH_DIR=${dir} is not a GradBench checkout: python/gradbench/gradbench/eval.py is missing.`);
  }
  const notes: string[] = [];
  const python = [join(root, 'python/gradbench')];
  const probe = spawnSync('python3', ['-c', 'import numpy, pydantic, scipy'], { encoding: 'utf8' });
  if (probe.error) throw new SetupError(`python3 cannot be run: ${probe.error.message}`);
  if (probe.status !== 0) throw new SetupError(`GradBench's evals need numpy, pydantic and scipy: ${probe.stderr.trim().split('\n').at(-1)}`);
  if (spawnSync('python3', ['-c', 'import dataclasses_json']).status !== 0) {
    python.push(join(here, 'python'));
    notes.push('dataclasses_json is not installed: gradbench/runner/python stands in for the part the evals use.');
  }
  const include = NLOHMANN.find((d) => existsSync(join(d, 'json.hpp')));
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: [...python, process.env.PYTHONPATH].filter(Boolean).join(':') };
  if (!existsSync(join(root, 'cpp/json.hpp'))) {
    if (!include) throw new SetupError('The manual C++ tool needs json.hpp: apt-get install nlohmann-json3-dev (or put json.hpp in $GRADBENCH_DIR/cpp).');
    // common.mk's default flags, with Debian's json.hpp on the include path (tools/<name>/Makefile runs in tools/<name>).
    env.CXXFLAGS = `-std=c++17 -O3 -Wall -I../../cpp -I${include}`;
  }
  return { dir: root, env, notes };
}

/** Builds tools/manual/bin/<eval> (the evals validate against it) unless it is up to date. */
export function buildManual(checkout: Checkout, evalName: string): void {
  const makefile = readFileSync(join(checkout.dir, 'tools/manual/Makefile'), 'utf8');
  if (!new RegExp(`\\b${evalName}\\b`).test(makefile.split('\n')[0] ?? '')) return; // no manual program (particle, saddle)
  try {
    execFileSync('make', ['-C', 'tools/manual', `bin/${evalName}`], { cwd: checkout.dir, env: checkout.env, stdio: 'pipe' });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new SetupError(`building the manual tool's ${evalName} failed:\n${(e.stderr?.toString() || e.stdout?.toString() || e.message).trim()}`);
  }
}

/**
 * The folder the eval and the manual tool run in: the checkout itself, or, for the LSTM eval when
 * the checkout lacks its text (a large file that partial copies leave out), a folder that links to
 * the checkout's parts and holds a stand-in text. The stand-in is the start of the same text
 * (Shakespeare's sonnets) decoded from ADBench's lstm_l2_c4096.txt, repeated to the eval's length;
 * since the eval sends the same input to the tool and to the manual tool, validation is unaffected.
 */
export function workingDir(checkout: Checkout, evalName: string): { cwd: string; note?: string } {
  if (evalName !== 'lstm' || existsSync(join(checkout.dir, LSTM_TEXT))) return { cwd: checkout.dir };
  const source = join(adbenchDir(), 'lstm/lstm_l2_c4096.txt');
  if (!existsSync(source)) throw new SetupError(`${LSTM_TEXT} is missing from the checkout, and ${source} (to stand in for it) too.`);
  const cwd = mkdtempSync(join(os.tmpdir(), 'adjoint-gradbench-'));
  for (const entry of readdirSync(checkout.dir)) if (entry !== 'evals') symlinkSync(join(checkout.dir, entry), join(cwd, entry));
  mkdirSync(join(cwd, 'evals'));
  for (const entry of readdirSync(join(checkout.dir, 'evals'))) if (entry !== 'lstm') symlinkSync(join(checkout.dir, 'evals', entry), join(cwd, 'evals', entry));
  mkdirSync(join(cwd, 'evals/lstm/data'), { recursive: true });
  const text = decodeAdbenchLstmText(source);
  writeFileSync(join(cwd, LSTM_TEXT), text.repeat(Math.ceil(100_000 / text.length)));
  return { cwd, note: `${LSTM_TEXT} is missing: a stand-in decoded from ADBench's lstm_l2_c4096.txt (4096 characters of the same text, repeated) is used.` };
}

/** The characters of an ADBench LSTM file's sequence ("l c b", parameters, state, then c rows of b bits). */
function decodeAdbenchLstmText(path: string): string {
  const words = readFileSync(path, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  const [l, c, b] = words as [number, number, number];
  const start = 3 + 2 * l * 4 * b + 3 * b + 2 * l * b;
  let text = '';
  for (let i = 0; i < c; i++) {
    let code = 0;
    for (let j = 0; j < b; j++) code = code * 2 + words[start + i * b + j]!;
    text += String.fromCharCode(code);
  }
  return text;
}

export function evalCommand(checkout: Checkout, cwd: string, evalName: string, args: string[]): Command {
  return { argv: ['python3', `python/gradbench/gradbench/evals/${evalName}/run.py`, ...args], cwd, env: checkout.env };
}

export function toolCommand(checkout: Checkout, cwd: string, tool: 'adjoint' | 'manual'): Command {
  // tsx's loader by its resolved URL: the manual tool runs in the checkout, which has no tsx
  const tsx = import.meta.resolve('tsx');
  if (tool === 'manual') return { argv: [process.execPath, '--import', tsx, join(here, 'manual-tool.ts')], cwd, env: checkout.env };
  return { argv: [process.execPath, '--import', tsx, join(repoRoot, 'gradbench/tool/run.ts')], cwd: repoRoot };
}
