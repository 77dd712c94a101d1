/** The `adjoint` command: parse the arguments, run, and turn anything unexpected into AD9001. */
import { readFileSync } from 'node:fs';
import { parseArgs } from './args.js';
import { nodeEnvironment, type Environment } from './environment.js';
import { ExitCode } from './exit-code.js';
import { printInternalError, printUsageError } from './report.js';
import { run } from './run.js';

/** Runs `adjoint` on `args` (without `node` and the script) and returns the exit code; never throws. */
export async function main(args: readonly string[], environment: Partial<Environment> = {}): Promise<ExitCode> {
  const env: Environment = { ...nodeEnvironment(), ...environment };
  let compiling = args.join(' ');
  try {
    const parsed = parseArgs(args, cliVersion());
    if (parsed.kind === 'done') return ExitCode.Success;
    if (parsed.kind === 'usage-error') {
      printUsageError(env.stderr, parsed.message);
      return ExitCode.Usage;
    }
    compiling = parsed.options.inputs.join(' ');
    return await run(parsed.options, env);
  } catch (error) {
    printInternalError(env.stderr, compiling, error, env.debug);
    return ExitCode.Failure;
  }
}

/** The version in this package's package.json (one folder up from both src/ and dist/). */
function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
