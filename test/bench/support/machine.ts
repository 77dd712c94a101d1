/** A description of the machine and the code measured, for the report. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  nproc: number;
  memoryGiB: number;
  node: string;
  os: string;
  commit: string;
  date: string;
  /** The 1-minute load average when the run started and when it ended (other processes share the CPUs). */
  loadAverage: { start: number; end?: number };
}

export function describeMachine(repoRoot: string): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpu;
  } catch {}
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    if (dirty) commit += ' (packages/ modified)';
  } catch {}
  return {
    cpu,
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    commit,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAverage: { start: Math.round(os.loadavg()[0]! * 100) / 100 },
  };
}
