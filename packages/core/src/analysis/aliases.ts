/**
 * Alias classes of containers. Two container values are in one class when they may share
 * storage: a row read from a matrix, an array stored into another, the two sides of a φ, the
 * versions of a carried array. Facts about contents (is anything in it varied? does the result
 * read from it?) are kept per class, which is sound whatever the aliasing at run time.
 */
import { isContainer, type SsaFunction, type Type, type ValueId } from '../ir/ssa.js';
import { forEachInstr } from '../ir/walk.js';
import { assumeEverything, type CalleeSummaries } from './callee-summary.js';

export class AliasClasses {
  private readonly parent: ValueId[];

  constructor(fn: SsaFunction, summaries: CalleeSummaries) {
    this.parent = fn.values.map((v) => v.id);
    const container = (v: ValueId) => isContainer(fn.values[v]!.type);
    const join = (...values: ValueId[]) => {
      const containers = values.filter(container);
      for (const v of containers.slice(1)) this.union(containers[0]!, v);
    };
    forEachInstr(fn.body, (instr) => {
      switch (instr.kind) {
        case 'load':
          join(instr.container, instr.result);
          break;
        case 'store':
        case 'push':
          join(instr.container, instr.value);
          break;
        case 'alloc':
          join(instr.result, ...instr.elements, ...(instr.fill === undefined ? [] : [instr.fill]));
          break;
        case 'slice':
          // a shallow copy: nested rows are shared
          if (isContainer(elementOf(fn.values[instr.result]!.type))) join(instr.result, instr.container);
          break;
        case 'if':
          for (const phi of instr.phis) join(phi.result, phi.then, phi.else);
          break;
        case 'loop':
          for (const c of instr.carried) join(c.init, c.param, c.next, c.result);
          break;
        case 'call': {
          // a callee may make its arguments and its result share storage (storing one into
          // another, returning one): those its own alias classes put together
          const summary = summaries(instr.callee) ?? assumeEverything(instr.args.length);
          const endpoints = [...instr.args, instr.result];
          const groups = new Map<number, ValueId[]>();
          endpoints.forEach((v, j) => {
            const group = summary.sharedStorage[j === instr.args.length ? summary.sharedStorage.length - 1 : j];
            if (v !== undefined && group !== undefined) groups.set(group, [...(groups.get(group) ?? []), v]);
          });
          for (const values of groups.values()) join(...values);
          break;
        }
        default:
          break;
      }
    });
  }

  find(v: ValueId): ValueId {
    let root = v;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[v] !== root) {
      const next = this.parent[v]!;
      this.parent[v] = root;
      v = next;
    }
    return root;
  }

  private union(a: ValueId, b: ValueId): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function elementOf(type: Type): Type {
  if (type.kind === 'array') return type.element;
  if (type.kind === 'tuple') return type.elements.find(isContainer) ?? { kind: 'number' };
  if (type.kind === 'object') return type.fields.map((f) => f.type).find(isContainer) ?? { kind: 'number' };
  return type;
}
