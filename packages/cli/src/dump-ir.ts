/**
 * `adjoint --dump-ir[=<pass>] <file|dir ...>`: prints the IR of each function the marked functions
 * need, as lowered and after each optimisation pass (or only after `<pass>`), and writes nothing.
 * For people working on Adjoint: to see what a pass did, or which one did it.
 */
import { IR_STAGES } from '@adjoint/core';
import { nodeHost } from '@adjoint/core/node';
import { discoverSources } from './discover.js';
import type { Environment } from './environment.js';
import { ExitCode } from './exit-code.js';
import type { RunOptions } from './generate.js';
import { displayPath } from './paths.js';
import { mentionsMark, readSources } from './read-sources.js';
import { printDiagnostics, printUsageError } from './report.js';

export async function dumpIr(options: RunOptions, env: Environment): Promise<ExitCode> {
  const only = options.dumpIr === true ? undefined : options.dumpIr;
  if (only !== undefined && !IR_STAGES.includes(only)) {
    printUsageError(env.stderr, `--dump-ir=${only}: there is no such pass. The passes are ${IR_STAGES.join(', ')}.`);
    return ExitCode.Usage;
  }
  const discovery = await discoverSources(options.inputs, env.cwd, env.fs);
  const read = await readSources(discovery.files, env.cwd, env.fs);
  const result = await env.compile(read.sources.filter(mentionsMark), {
    format: false,
    checkpointLoops: options.checkpointLoops === true,
    host: nodeHost,
    onPass: (pass, key, ir) => {
      if (only !== undefined && pass !== only) return;
      const [file, name] = [key.slice(0, key.lastIndexOf('#')), key.slice(key.lastIndexOf('#') + 1)];
      env.stdout.write(`// after ${pass}: ${name} (${displayPath(env.cwd, file)})\n${ir}\n\n`);
    },
  });
  const diagnostics = [...discovery.diagnostics, ...read.diagnostics, ...result.diagnostics];
  printDiagnostics(env.stderr, diagnostics, env.cwd, new Map(read.sources.map((s) => [s.path, s.text])));
  return diagnostics.some((d) => d.category === 'error') ? ExitCode.Failure : ExitCode.Success;
}
