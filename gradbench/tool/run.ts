/**
 * The Adjoint tool for GradBench: reads the eval's messages from stdin, answers on stdout.
 *
 *   node --import tsx gradbench/tool/run.ts      (the companions of gradbench/evals must exist:
 *                                                 `pnpm gradbench` generates them first)
 */
import { createInterface } from 'node:readline';
import { stdin, stdout } from 'node:process';
import { loadModule } from './modules.ts';
import { serve } from './protocol.ts';

await serve(createInterface({ input: stdin, crlfDelay: Infinity }), (line) => stdout.write(`${line}\n`), loadModule);
