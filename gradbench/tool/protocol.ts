/**
 * GradBench's protocol (CONTRIBUTING.md, "Protocol"), from the tool's side: the eval sends one
 * JSON message a line and the tool answers each with a line carrying the same id. Only `define`
 * and `evaluate` get a substantive answer; every other kind is acknowledged with the id alone.
 */

export interface Timing {
  name: string;
  nanoseconds: number;
}

/** The fields of an input that ask the tool to repeat a function (GradBench's `Runs`). */
export interface Runs {
  min_runs: number;
  min_seconds: number;
}

export type Message =
  | { id: number; kind: 'start'; eval?: string; config?: unknown }
  | { id: number; kind: 'define'; module: string }
  | { id: number; kind: 'evaluate'; module: string; function: string; input: unknown; description?: string }
  | { id: number; kind: 'analysis'; of: number; valid: boolean; error?: string }
  | { id: number; kind: 'end' };

export interface Response {
  id: number;
  tool?: string;
  success?: boolean;
  output?: unknown;
  timings?: Timing[];
  error?: string;
}

/** What one GradBench function of a module returns: its output, as JSON, and one timing per run. */
export interface Evaluation {
  output: unknown;
  timings: Timing[];
}

/** A module: the functions the eval may ask for, by name. */
export type Module = Record<string, (input: any) => Evaluation>;

/** Finds the module an eval names (undefined when the tool has none of that name). */
export type ModuleLoader = (name: string) => Promise<Module | undefined>;

export const TOOL_NAME = 'adjoint';

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The response to one message. Never throws: a failure is `success: false` with its error. */
export async function respond(message: Message, load: ModuleLoader): Promise<Response> {
  const response: Response = { id: message.id };
  switch (message.kind) {
    case 'start':
      response.tool = TOOL_NAME;
      break;
    case 'define': {
      try {
        const module = await load(message.module);
        response.success = module !== undefined;
        if (!module) response.error = `the ${TOOL_NAME} tool has no module '${message.module}'`;
      } catch (error) {
        response.success = false;
        response.error = errorText(error);
      }
      break;
    }
    case 'evaluate': {
      try {
        const module = await load(message.module);
        const fn = module && Object.hasOwn(module, message.function) ? module[message.function] : undefined;
        if (!fn) {
          response.success = false;
          response.error = `module '${message.module}' has no function '${message.function}'`;
        } else {
          const { output, timings } = fn(message.input);
          response.success = true;
          response.output = output;
          response.timings = timings;
        }
      } catch (error) {
        response.success = false;
        response.error = errorText(error);
      }
      break;
    }
  }
  return response;
}

/**
 * Runs `compute` at least `min_runs` times and until the runs add up to `min_seconds`, timing each
 * run alone: `prepare` (turning the JSON input into the arrays the function takes) and `toJson`
 * (turning the last result into the eval's JSON) are not timed, as in GradBench's C++ tools.
 */
export function repeat<P, R>(input: Runs, prepare: () => P, compute: (prepared: P) => R, toJson: (result: R) => unknown): Evaluation {
  const prepared = prepare();
  const minRuns = Math.max(1, input.min_runs ?? 1);
  const minSeconds = input.min_seconds ?? 0;
  const timings: Timing[] = [];
  let result!: R;
  let elapsedNs = 0;
  while (timings.length < minRuns || elapsedNs < minSeconds * 1e9) {
    const start = process.hrtime.bigint();
    result = compute(prepared);
    const ns = Number(process.hrtime.bigint() - start);
    timings.push({ name: 'evaluate', nanoseconds: ns });
    elapsedNs += ns;
  }
  return { output: toJson(result), timings };
}

/** The tool's main loop over a stream of lines: one response line per message line, in order. */
export async function serve(lines: AsyncIterable<string>, write: (line: string) => void, load: ModuleLoader): Promise<void> {
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch (error) {
      throw new Error(`the eval sent a line that is not JSON: ${line.slice(0, 200)} (${(error as Error).message})`);
    }
    write(JSON.stringify(await respond(message, load)));
  }
}
