/**
 * The intermediary between an eval and a tool (GradBench's `gradbench run`): starts both, forwards
 * every line of the eval's stdout to the tool's stdin and back, and records the session in
 * GradBench's log format, one JSON line each: { elapsed: { nanoseconds }, message } for what the
 * eval sent and { elapsed: { nanoseconds }, response } for the tool's answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Command {
  argv: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export type LogLine =
  | { elapsed: { nanoseconds: number }; message: Record<string, any> }
  | { elapsed: { nanoseconds: number }; response: Record<string, any> };

export interface Session {
  log: LogLine[];
  /** Why the session ended early, if it did (a process failed, a line was not JSON, a timeout). */
  error?: string;
  /** The last lines either process wrote to stderr. */
  stderr: { eval: string; tool: string };
}

export interface SessionOptions {
  /** Called with each line as it is recorded (progress output). */
  onLine?: (line: LogLine) => void;
  /** Ends the session after this many seconds. */
  timeoutSeconds?: number;
}

function start(command: Command): ChildProcess {
  const [program, ...args] = command.argv;
  return spawn(program!, args, { cwd: command.cwd, env: command.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Keeps the last `limit` characters of a stream. */
function tail(stream: NodeJS.ReadableStream, limit = 4000): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text;
}

export async function runSession(evalCommand: Command, toolCommand: Command, options: SessionOptions = {}): Promise<Session> {
  const began = process.hrtime.bigint();
  const elapsed = () => ({ nanoseconds: Number(process.hrtime.bigint() - began) });
  const log: LogLine[] = [];
  const record = (line: LogLine) => {
    log.push(line);
    options.onLine?.(line);
  };
  const evalProcess = start(evalCommand);
  const toolProcess = start(toolCommand);
  for (const [child, name] of [
    [evalProcess, 'eval'],
    [toolProcess, 'tool'],
  ] as const) {
    child.on('error', (e) => fail(`the ${name} could not be started (${[...(name === 'eval' ? evalCommand : toolCommand).argv].join(' ')}): ${e.message}`));
  }
  const evalErr = tail(evalProcess.stderr!);
  const toolErr = tail(toolProcess.stderr!);
  let error: string | undefined;
  const fail = (why: string) => {
    error ??= why;
    evalProcess.kill();
    toolProcess.kill();
  };
  const timer = options.timeoutSeconds ? setTimeout(() => fail(`timed out after ${options.timeoutSeconds} s`), options.timeoutSeconds * 1000) : undefined;
  // Writing to a process that has exited is reported through 'error' events: the exit says why.
  evalProcess.stdin!.on('error', () => {});
  toolProcess.stdin!.on('error', () => {});

  const fromEval = (async () => {
    for await (const line of createInterface({ input: evalProcess.stdout! })) {
      if (line.trim() === '') continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        fail(`the eval wrote a line that is not JSON: ${line.slice(0, 200)}`);
        break;
      }
      record({ elapsed: elapsed(), message });
      toolProcess.stdin!.write(`${line}\n`);
    }
    toolProcess.stdin!.end();
  })();
  const fromTool = (async () => {
    for await (const line of createInterface({ input: toolProcess.stdout! })) {
      if (line.trim() === '') continue;
      let response;
      try {
        response = JSON.parse(line);
      } catch {
        fail(`the tool wrote a line that is not JSON: ${line.slice(0, 200)}`);
        break;
      }
      record({ elapsed: elapsed(), response });
      evalProcess.stdin!.write(`${line}\n`);
    }
    evalProcess.stdin!.end();
  })();
  const exited = (child: ChildProcess, name: string) =>
    new Promise<void>((resolve) =>
      child.on('close', (code, signal) => {
        if (code !== 0 && !error) fail(`the ${name} exited with ${signal ?? `code ${code}`}`);
        resolve();
      }),
    );
  await Promise.all([fromEval, fromTool, exited(evalProcess, 'eval'), exited(toolProcess, 'tool')]);
  clearTimeout(timer);
  return { log, error, stderr: { eval: evalErr(), tool: toolErr() } };
}
