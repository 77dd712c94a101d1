/**
 * Mutation fuzzing (issue 5, item 3b): valid sources — the golden cases, the examples' marked
 * modules, the derivative-rule case — are mutated at random (a token deleted, an operator swapped,
 * the file truncated, a line duplicated, a character inserted, a word replaced by another of the
 * file), and the compiler must take every mutant the way docs/design.md (the contract, 3) promises:
 * compile never throws, never reports an internal error (AD9001), and every diagnostic has a
 * catalogue code and a location inside the file. Where a mutant of a golden case still compiles,
 * its companion is run at the case's `// check:` points: it must not throw where f does not, and
 * must give f's value (test/support/fuzz.ts, behaviourViolations). Another set puts the seeds under
 * hostile file names (quotes, templates, line breaks) with one mark malformed (issue 19): each
 * malformed mark must be reported on its line, and no companion may run code when it is loaded. A
 * smaller set goes through the built `adjoint` command, which must exit 0, 1 or 2 without a stack
 * trace.
 *
 * fast-check draws the mutants from a fixed seed, so every run tries the same ones; they are
 * compiled many to a call (test/support/fuzz.ts). A failure is reported with the mutation that made
 * it and a minimized reproduction. Other seeds and counts: ADJOINT_FUZZ_SEED, ADJOINT_FUZZ_RUNS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { compile, type CompileResult } from '@adjoint/core';
import { afterAll, describe, expect, it } from 'vitest';
import { behaviourViolations, checkMutants, fuzzSeeds, injectionViolations, violationsIn, type Mutant, type Violation } from '../support/fuzz.js';
import { applyMutations, hostileNameArbitrary, malformMark, MALFORMED_MARKS, minimize, mutantArbitrary } from '../support/mutate.js';
import { makeTree, removeTempFolders } from '../cli/helpers.js';
import { diskHost } from '../support/disk-host.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(REPO, 'packages/cli/dist/bin.js');
const SEED = Number(process.env.ADJOINT_FUZZ_SEED ?? 20_261_128);
const RUNS = Number(process.env.ADJOINT_FUZZ_RUNS ?? 200);
/** Mutants per compile call. */
const BATCH = 125;
/** Mutants of an imported module (the rule case's stable.ts). */
const IMPORTED_MUTANTS = 24;
/** Mutants given to the built command (in one run over a folder). */
const CLI_MUTANTS = 30;
/** Sources with a malformed mark or none, each under a hostile file name. */
const MARK_MUTANTS = 60;
/** What a malformed mark may be reported as (test/support/mutate.ts, MALFORMED_MARKS). */
const MARK_CODES = ['AD2001', 'AD2002', 'AD2009', 'AD2011'];

/**
 * Core bugs this fuzzer has found and that are not fixed yet, each pinned by a failing test in
 * test/core/regressions.test.ts. Mutants hitting them are counted, not failed, so that the fuzzer
 * still catches new bugs meanwhile. Remove an entry when its bug is fixed.
 */
const KNOWN_CORE_BUGS: Array<{ name: string; matches: (problem: string) => boolean }> = [];


const seeds = fuzzSeeds(REPO);
const mutantsOf = (runs: number, seed: number): Mutant[] =>
  fc.sample(mutantArbitrary(seeds.length), { seed, numRuns: runs }).map((drawn, i) => {
    const from = seeds[drawn.source]!;
    return {
      // Beside its original, so that its relative imports still resolve.
      path: path.join(path.dirname(from.path), `__mutant${i}__${path.basename(from.path)}`),
      text: applyMutations(from.text, drawn.mutations),
      origin: `${path.relative(REPO, from.path)} with ${JSON.stringify(drawn.mutations)}`,
      seedText: from.text,
    };
  });

afterAll(removeTempFolders);

describe('mutation fuzzing', () => {
  const mutants = mutantsOf(RUNS, SEED);

  it(`the compiler takes ${RUNS} mutants without throwing, without internal errors, with located diagnostics, and their companions compute f`, async () => {
    const started = performance.now();
    const found: Violation[] = [];
    let compiles = 0;
    let companions = 0;
    let runs = 0;
    for (let i = 0; i < mutants.length; i += BATCH) {
      const checked = await checkMutants(mutants.slice(i, i + BATCH), true);
      found.push(...checked.violations);
      compiles += checked.compiles;
      companions += checked.companions;
      runs += checked.runs;
    }
    const seconds = (performance.now() - started) / 1000;
    const known = found.filter((v) => KNOWN_CORE_BUGS.some((bug) => bug.matches(v.problem)));
    const unknown = found.filter((v) => !known.includes(v));
    console.log(
      `mutation fuzzing: ${mutants.length} mutants (seed ${SEED}) in ${seconds.toFixed(1)} s, ` +
        `${(mutants.length / seconds).toFixed(1)} per second, ${compiles} compile calls, ${companions} companions generated, ` +
        `${runs} of them run against f; ` +
        `${known.length} hit known core bugs, ${unknown.length} new problems`,
    );
    const reports: string[] = [];
    for (const violation of unknown.slice(0, 3)) reports.push(await report(violation));
    expect(reports, reports.join('\n\n')).toEqual([]);
  }, Math.max(120_000, RUNS * 400));

  it(`the compiler takes ${IMPORTED_MUTANTS} mutants of a module that a source imports`, async () => {
    // The rule case: loss.ts as it is, beside a mutant of stable.ts (the callee logSumExp and its
    // derivative rule), each pair in a folder of its own, all compiled in one call.
    const loss = readFileSync(path.join(REPO, 'test/core/rules-case/loss.ts'), 'utf8');
    const stable = readFileSync(path.join(REPO, 'test/core/rules-case/stable.ts'), 'utf8');
    const root = await makeTree({});
    const pairs: Mutant[] = fc.sample(mutantArbitrary(1), { seed: SEED, numRuns: IMPORTED_MUTANTS }).map((drawn, i) => {
      const folder = path.join(root, `pair${i}`);
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'stable.ts'), applyMutations(stable, drawn.mutations));
      return { path: path.join(folder, 'loss.ts'), text: loss, origin: `test/core/rules-case/stable.ts with ${JSON.stringify(drawn.mutations)}` };
    });
    const { violations } = await checkMutants(pairs, true);
    const unknown = violations.filter((v) => !KNOWN_CORE_BUGS.some((bug) => bug.matches(v.problem)));
    expect(
      unknown.map((v) => `${v.problem}\n  ${v.mutant.origin}\n${readFileSync(path.join(path.dirname(v.mutant.path), 'stable.ts'), 'utf8')}`),
    ).toEqual([]);
  });

  it(`the compiler says each malformed mark, and no hostile file name runs code, in ${MARK_MUTANTS} sources`, async () => {
    // Each seed under a hostile name (quotes, `${`, `*/`, line breaks: test/support/mutate.ts),
    // two in three with one of its marks replaced by a malformed one, which must be reported on
    // its line: never taken as "all parameters", never ignored in silence.
    const fraction = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);
    const drawn = fc.sample(
      fc.record({ source: fc.nat(seeds.length - 1), at: fraction, form: fc.nat(MALFORMED_MARKS.length - 1), malform: fc.nat(2), name: hostileNameArbitrary }),
      { seed: SEED, numRuns: MARK_MUTANTS },
    );
    const markLines = new Map<Mutant, number>();
    const mutants = drawn.map((d, i): Mutant => {
      const from = seeds[d.source]!;
      const malformed = d.malform > 0 ? malformMark(from.text, d.at, MALFORMED_MARKS[d.form]!) : undefined;
      const mutant: Mutant = {
        path: path.join(path.dirname(from.path), `__marks${i}__${d.name}${path.basename(from.path)}`),
        text: malformed?.text ?? from.text,
        origin: `${path.relative(REPO, from.path)} named ${JSON.stringify(d.name)}${malformed ? ` with ${JSON.stringify(MALFORMED_MARKS[d.form])} on line ${malformed.line}` : ''}`,
        seedText: from.text,
      };
      if (malformed) markLines.set(mutant, malformed.line);
      return mutant;
    });
    const marksSaid = (result: CompileResult, batch: readonly Mutant[]): Violation[] => [
      ...batch.flatMap((mutant) => {
        const line = markLines.get(mutant);
        const said = result.diagnostics.some((d) => d.location?.file === mutant.path && MARK_CODES.includes(d.code) && d.location.line >= line! && d.location.line <= line! + 1);
        return line === undefined || said ? [] : [{ mutant, problem: `the malformed mark on line ${line} is not reported` }];
      }),
      ...result.outputs.flatMap((output) => injectionViolations(batch.find((m) => m.path === output.sourcePath)!, output)),
    ];
    const { violations, companions } = await checkMutants(mutants, true, marksSaid);
    console.log(`malformed marks and hostile names: ${mutants.length} sources, ${markLines.size} malformed marks, ${companions} companions loaded`);
    expect(violations.map((v) => `${v.problem}\n  ${v.mutant.origin}`)).toEqual([]);
    expect(companions).toBeGreaterThan(0);
  });

  it(`the adjoint command takes ${CLI_MUTANTS} mutants with exit code 0, 1 or 2 and no stack trace`, async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`);
    const files: Record<string, string> = {};
    mutants.slice(0, CLI_MUTANTS).forEach((mutant, i) => (files[`src/mutant${String(i).padStart(2, '0')}.ts`] = mutant.text));
    const root = await makeTree(files);
    const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, 'src'], { cwd: root, encoding: 'utf8' });
    expect([0, 1, 2]).toContain(status);
    expect(stdout).toMatch(new RegExp(`^Generated \\d+ companions? from ${CLI_MUTANTS} files; \\d+ errors?, \\d+ warnings?\\.\\n$`));
    expect(stderr).not.toMatch(/\n\s+at /);
    const internal = [...stderr.matchAll(/error AD9001: (.*)/g)].map((m) => m[1]!);
    const known = (message: string) =>
      KNOWN_CORE_BUGS.some((bug) => bug.matches(`compile threw: ${message.replace(/^.*?': /, '')}`) || bug.matches(message));
    expect(internal.filter((message) => !known(message))).toEqual([]);
  });
});

/** A violation with the mutation that made it and a minimized mutant that still shows it. */
async function report(violation: Violation): Promise<string> {
  const problemKind = violation.problem.slice(0, 20);
  const stillFails = async (text: string) => {
    const mutant = { ...violation.mutant, text };
    try {
      const result = await compile([{ path: mutant.path, text }], { host: diskHost });
      const problems = [...violationsIn(result, [mutant]), ...result.outputs.flatMap((output) => behaviourViolations(mutant, output).violations)];
      return problems.some((v) => v.problem.startsWith(problemKind));
    } catch {
      return problemKind.startsWith('compile threw');
    }
  };
  const minimal = await minimize(violation.mutant.text, stillFails, 80);
  return `${violation.problem}\n  mutant of ${violation.mutant.origin}\n  minimized:\n${minimal}`;
}
