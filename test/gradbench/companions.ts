/**
 * The GradBench tool imports the companions of gradbench/evals, which `pnpm gradbench` generates
 * (they are not committed). The tests generate them the same way, with the built CLI, once.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function generateCompanions(): void {
  execFileSync(process.execPath, [`${root}packages/cli/dist/bin.js`, 'gradbench/evals'], { cwd: root, stdio: 'pipe' });
}
