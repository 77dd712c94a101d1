/** Every workload, by id: `gmm/<file>`, `lstm/<file>`, `ba/<file>`, `mlp`, `mlp2`, `gradbench/<eval>`, `circuit/1k`, `circuit/10k`, `loop`. */
import type { PreparedWorkload } from './types.ts';

export interface WorkloadOptions {
  quick: boolean;
}

export async function prepareWorkload(id: string, options: WorkloadOptions): Promise<PreparedWorkload> {
  const [group, name] = id.split('/') as [string, string | undefined];
  switch (group) {
    case 'gmm':
      return (await import('../gmm/workload.ts')).prepareGmm(name!);
    case 'lstm':
      return (await import('../lstm/workload.ts')).prepareLstm(name!);
    case 'ba':
      return (await import('../ba/workload.ts')).prepareBa(name!);
    case 'mlp':
      return (await import('../mlp/workload.ts')).prepareMlp();
    case 'mlp2':
      return (await import('../mlp2/workload.ts')).prepareMlp2();
    case 'gradbench':
      return (await import('../gradbench/workload.ts')).prepareGradbench(name!);
    case 'circuit':
      return (await import('../circuit/workload.ts')).prepareCircuit(name!, options);
    case 'loop':
      return (await import('../loop/workload.ts')).prepareLoop(name!);
    default:
      throw new Error(`unknown workload ${id}`);
  }
}
