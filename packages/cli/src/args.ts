/** The command line: options, help text, and the usage errors that make `adjoint` exit with 2. */
import { cac } from 'cac';
import type { RunOptions } from './run.js';

export type ParsedArgs =
  | { kind: 'run'; options: RunOptions }
  /** `--help` or `--version`: cac has printed it, there is nothing more to do. */
  | { kind: 'done' }
  | { kind: 'usage-error'; message: string };

const DESCRIPTION = `Writes a companion foo.grad.ts, holding the gradients of the functions marked
/** @differentiable */ in foo.ts, for every TypeScript file given and every one found in
the folders given (searched recursively, skipping node_modules, dist and dot-folders).`;

const EXIT_CODES = `  0  success (warnings allowed)
  1  errors in the sources, a missing input path, a file that could not be read or
     written, or (with --check) a missing or out-of-date companion
  2  usage error: unknown option, missing option value, no inputs`;

/** Parses `args` (without `node` and the script). Only `--help` and `--version` print anything. */
export function parseArgs(args: readonly string[], version: string): ParsedArgs {
  const cli = cac('adjoint');
  let parsed: ParsedArgs = { kind: 'done' };
  cli
    .command('[...inputs]')
    .usage('[options] <file|dir ...>')
    .option('--out-dir <dir>', "Write companions under <dir>, mirroring the inputs' folders (default: beside each source)")
    .option('--check', 'Write nothing; exit 1 if any companion is missing or out of date (never uses the cache)')
    .option('--watch', 'Regenerate companions whenever a source changes, until Ctrl-C')
    .option('--cache-dir <dir>', 'Keep the cache in <dir> (default: node_modules/.cache/adjoint of the nearest package)')
    .option('--no-cache', 'Compile every file, ignoring the cache of unchanged files')
    .option('--checkpoint-loops', 'Checkpoint every loop that is not inside another loop, as if marked // @checkpoint')
    .option('--import-runtime', 'Import the tape and the other helpers from @adjoint/runtime instead of copying them into each companion')
    .option('--dump-ir [pass]', 'Write nothing; print the IR of each function as lowered and after each pass (or after <pass>)')
    .example('  $ adjoint src')
    .example('  $ adjoint --check src')
    .example('  $ adjoint --out-dir generated src/physics.ts src/optics')
    .example('  $ adjoint --watch src')
    // cac has validated the options when it calls this; the values are re-read as written, see below.
    .action((_inputs: unknown, options: Record<string, unknown>) => {
      parsed = toRunOptions(options, argumentsAsWritten(args));
    });
  cli.help((sections) => [
    ...sections.filter(({ title }) => title === undefined || title === 'Usage'),
    { body: DESCRIPTION },
    ...sections
      .filter(({ title }) => title === 'Options' || title === 'Examples')
      // cac pads every option line to the same width, leaving trailing spaces, and gives
      // --no-cache a "(default: true)" that would confuse.
      .map(({ title, body }) => ({ title, body: body.replace(/ +$/gm, '').replace(/ \(default: true\)$/m, '') })),
    { title: 'Exit codes', body: EXIT_CODES },
  ]);
  cli.version(version);
  try {
    // cac runs the action above unless it printed the help or the version instead.
    cli.parse(['node', 'adjoint', ...args]);
  } catch (error) {
    if (error instanceof Error && error.name === 'CACError') return { kind: 'usage-error', message: error.message };
    throw error;
  }
  return parsed;
}

function toRunOptions(options: Record<string, unknown>, asWritten: ArgumentsAsWritten): ParsedArgs {
  if (asWritten.inputs.length === 0) {
    return { kind: 'usage-error', message: 'No inputs: name the files or folders to compile.' };
  }
  if (Array.isArray(options.outDir)) return { kind: 'usage-error', message: 'The option --out-dir can be given only once.' };
  if (Array.isArray(options.cacheDir)) return { kind: 'usage-error', message: 'The option --cache-dir can be given only once.' };
  const runOptions: RunOptions = { inputs: asWritten.inputs, check: options.check === true };
  if (asWritten.checkpointLoops) runOptions.checkpointLoops = true;
  if (asWritten.importRuntime) runOptions.importRuntime = true;
  if (asWritten.dumpIr !== undefined) {
    if (runOptions.check || options.watch === true)
      return { kind: 'usage-error', message: 'The option --dump-ir cannot be combined with --check or --watch.' };
    runOptions.dumpIr = asWritten.dumpIr;
  }
  if (options.outDir !== undefined) {
    if (!asWritten.outDir) return { kind: 'usage-error', message: 'The option --out-dir needs a folder.' };
    runOptions.outDir = asWritten.outDir;
  }
  if (options.watch === true) {
    if (runOptions.check) return { kind: 'usage-error', message: 'The options --watch and --check cannot be combined.' };
    runOptions.watch = true;
  }
  if (options.cache === false) {
    if (options.cacheDir !== undefined)
      return { kind: 'usage-error', message: 'The options --no-cache and --cache-dir cannot be combined.' };
    runOptions.cache = false;
  }
  if (options.cacheDir !== undefined) {
    if (!asWritten.cacheDir) return { kind: 'usage-error', message: 'The option --cache-dir needs a folder.' };
    runOptions.cacheDir = asWritten.cacheDir;
  }
  return { kind: 'run', options: runOptions };
}

interface ArgumentsAsWritten {
  inputs: string[];
  outDir: string | undefined;
  cacheDir: string | undefined;
  /** cac hands a kebab-case flag the word after it as a value (`--checkpoint-loops src`): read as written. */
  checkpointLoops: boolean;
  importRuntime: boolean;
  /** `--dump-ir` (true) or `--dump-ir=<pass>`; only the `=` form names a pass, so `--dump-ir src` dumps all of src. */
  dumpIr: string | true | undefined;
}

/** The options that take a path, by every spelling cac accepts. */
const PATH_OPTIONS = { '--out-dir': 'outDir', '--outDir': 'outDir', '--cache-dir': 'cacheDir', '--cacheDir': 'cacheDir' } as const;

/**
 * The inputs and the `--out-dir` and `--cache-dir` folders exactly as written. cac's parser turns words that look
 * like numbers into numbers (a folder `007` would become 7), so only its validation and its flags
 * are used, and path names are read here. Everything after `--` is an input.
 */
function argumentsAsWritten(args: readonly string[]): ArgumentsAsWritten {
  const result: ArgumentsAsWritten = {
    inputs: [],
    outDir: undefined,
    cacheDir: undefined,
    checkpointLoops: false,
    importRuntime: false,
    dumpIr: undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const inline = /^(--[\w-]+)=(.*)$/s.exec(arg);
    if (arg === '--') {
      result.inputs.push(...args.slice(i + 1));
      break;
    } else if (Object.hasOwn(PATH_OPTIONS, arg)) {
      result[PATH_OPTIONS[arg as keyof typeof PATH_OPTIONS]] = args[++i];
    } else if (inline && Object.hasOwn(PATH_OPTIONS, inline[1])) {
      result[PATH_OPTIONS[inline[1] as keyof typeof PATH_OPTIONS]] = inline[2];
    } else if (arg === '--checkpoint-loops' || arg === '--checkpointLoops') {
      result.checkpointLoops = true;
    } else if (arg === '--import-runtime' || arg === '--importRuntime') {
      result.importRuntime = true;
    } else if (arg === '--dump-ir' || arg === '--dumpIr') {
      result.dumpIr = true;
    } else if (inline && (inline[1] === '--dump-ir' || inline[1] === '--dumpIr')) {
      result.dumpIr = inline[2];
    } else if (!arg.startsWith('-')) {
      result.inputs.push(arg);
    }
  }
  return result;
}
