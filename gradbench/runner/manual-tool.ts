/**
 * GradBench's C++ tools speak the protocol through python/gradbench/gradbench/cpp.py: `define`
 * rebuilds tools/<tool>/bin/<module> with `make -B`, `evaluate` writes the input to a file and runs
 * `bin/<module> <file> <function>`, whose first output line is the output and the others timings.
 * This is the same loop for the manual tool, without the forced rebuild (the runner builds the
 * programs once, with make, before the session): a rebuild of gmm.cpp at -O3 takes most of a
 * minute on a busy 2-core machine, for each eval.
 *
 *   node --import tsx gradbench/runner/manual-tool.ts      (run in the GradBench checkout)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline';

const scratch = mkdtempSync(join(os.tmpdir(), 'adjoint-manual-'));
const program = (module: string) => join(process.cwd(), 'tools/manual/bin', module);

function respond(message: Record<string, any>): Record<string, unknown> {
  const response: Record<string, unknown> = { id: message.id };
  if (message.kind === 'start') response.tool = 'manual';
  if (message.kind === 'define') {
    response.success = existsSync(program(message.module));
    if (!response.success) response.error = `tools/manual/bin/${message.module} does not exist (the manual tool has no such module, or it was not built)`;
  }
  if (message.kind === 'evaluate') {
    const file = join(scratch, 'input.json');
    writeFileSync(file, JSON.stringify(message.input));
    const run = spawnSync(program(message.module), [file, message.function], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (run.status === 0) {
      const [output, ...timings] = run.stdout.split('\n').filter((l) => l.trim() !== '');
      Object.assign(response, { success: true, output: JSON.parse(output!), timings: timings.map((t) => JSON.parse(t)) });
    } else {
      Object.assign(response, { success: false, error: `tools/manual/bin/${message.module} ${message.function} ended with ${run.error?.message ?? run.signal ?? `code ${run.status}`}:\n${run.stderr}` });
    }
  }
  return response;
}

try {
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) {
    if (line.trim() !== '') stdout.write(`${JSON.stringify(respond(JSON.parse(line)))}\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
