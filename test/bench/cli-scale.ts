/**
 * The CLI at scale: a synthetic project of 500 sources holding 2,000 marked functions (varied:
 * polynomials, loops over arrays, branches, object parameters, helpers in the same file and
 * imported from a helpers module per folder), run through the built `adjoint` command:
 *
 *   1. the first run (everything compiled, in one batch),
 *   2. a re-run with nothing changed (everything from the cache),
 *   3. a re-run after one source is edited (only that one is compiled),
 *   4. a re-run after one folder's helpers module is edited (only its 50 importers are compiled).
 *
 * Run `pnpm build && npx tsx test/bench/cli-scale.ts [files] [functions per file]`. It prints
 * each time and the command's summary line, and fails if a re-run compiles more than it should.
 * Not a timed test: the numbers go in BENCHMARKS.md ("The CLI at scale").
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFile, writeSourceTree } from '../support/source-tree.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const FILES = Number(process.argv[2] ?? 500);
const PER_FILE = Number(process.argv[3] ?? 4);

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`);

const root = await mkdtemp(path.join(tmpdir(), 'adjoint-scale-'));
try {
  await writeFile(path.join(root, 'package.json'), '{ "private": true }\n');
  const tree = await writeSourceTree(root, { files: FILES, functionsPerFile: PER_FILE });
  console.log(`${tree.sources.length} sources (+ ${tree.helpers.length} helper modules), ${tree.functions} marked functions, in ${root}`);

  const first = adjoint('first run');
  expectSummary(first, new RegExp(`^Generated ${FILES} companions from ${FILES + tree.helpers.length} files; 0 errors, 0 warnings\\.$`));

  const unchanged = adjoint('re-run, nothing changed');
  expectSummary(unchanged, new RegExp(`\\(${FILES} unchanged, ${FILES} cached\\)`));

  const touched = tree.sources[Math.floor(FILES / 2)]!;
  const index = Number(/model(\d+)\.ts$/.exec(touched)![1]);
  await writeFile(path.join(root, touched), sourceFile(index, PER_FILE, 1));
  const one = adjoint(`re-run, ${touched} edited`);
  expectSummary(one, new RegExp(`\\(${FILES - 1} unchanged, ${FILES - 1} cached\\)`));

  const helpers = tree.helpers[0]!;
  const importers = tree.sources.filter((s) => path.dirname(s) === path.dirname(helpers)).length;
  await writeFile(path.join(root, helpers), (await readFile(path.join(root, helpers), 'utf8')).replace('1e-6', '1e-8'));
  const folder = adjoint(`re-run, ${helpers} edited (${importers} importers)`);
  expectSummary(folder, new RegExp(FILES > importers ? `\\(\\d+ unchanged, ${FILES - importers} cached\\)` : `^Generated ${FILES} companions \\(\\d+ unchanged\\) `));

  console.log(
    `\nfirst run ${seconds(first.ms)}; re-run with nothing changed ${seconds(unchanged.ms)}; ` +
      `after editing one file ${seconds(one.ms)} (${(first.ms / one.ms).toFixed(0)}× faster than the first run); ` +
      `after editing a helpers module imported by ${importers} files ${seconds(folder.ms)}`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}

function adjoint(label: string): { ms: number; stdout: string } {
  const started = performance.now();
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, 'src'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  console.log(`${label}: ${seconds(ms)}  ${stdout.trim()}`);
  if (status !== 0) throw new Error(`adjoint exited with ${status}:\n${stderr.slice(0, 4000)}`);
  return { ms, stdout: stdout.trim() };
}

function expectSummary(run: { stdout: string }, pattern: RegExp): void {
  if (!pattern.test(run.stdout)) throw new Error(`unexpected summary: ${run.stdout} (expected ${pattern})`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
