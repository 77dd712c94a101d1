/**
 * The gradient of a container parameter is shaped like the argument as it was passed in: its
 * shadow is built in that layout, and the adjoint of each number flows into the shadow of the
 * array or object that holds it, wherever f moves that array. When f changes the layout of a
 * parameter's storage, swapping rows to pivot (`M[0] = M[1]`), storing a new row or field
 * (`M[0] = [x, x]`, `p.w = [...]`) or pushing onto it, the forward sweep changes the shadow's
 * layout alike, so that adjoints follow the arrays; the reverse sweep changes it back, so that
 * when it ends the shadow is in the caller's layout again (issue 19, item 2: grad.M came back in
 * the final layout, rows permuted, and a discarded row had a gradient).
 *
 * This pass, the last of PASSES, records on each such write what the reverse sweep needs to
 * undo it on the shadow (the reverse sweep undoes them last write first):
 *   - a store of an array or object: what the slot held before (`previous`, a load just before);
 *   - a push: `restoresLength` (its index is the length before);
 *   - a store of a number into a plain array by a computed index, which grows the array when the
 *     index is at or past its end (`a[a.length] = x`): the length before (`lengthBefore`, a length
 *     read just before), which the reverse sweep gives back to the shadow unless the store is
 *     shown inside the array (ir/array-bounds.ts); then the length read is dropped as unused.
 * Writes into storage that no parameter can share (alias classes, analysis/aliases.ts) are left
 * alone: a local container's shadow is not handed back.
 */
import { addValue, isContainer, isTypedArray, type Block, type Instr, type SsaFunction, type StoreInstr } from '../../ir/ssa.js';
import { childBlocks, forEachInstr } from '../../ir/walk.js';
import { AliasClasses } from '../../analysis/aliases.js';

/** `fn` with the writes that change a parameter's layout annotated (a new function), or `fn` itself when there are none. */
export function recordParameterLayout(fn: SsaFunction): SsaFunction {
  // without summaries, every call is taken to make its container arguments share storage
  const classes = new AliasClasses(fn, () => undefined);
  const parameterClasses = new Set(fn.params.filter((p) => isContainer(fn.values[p.value]!.type)).map((p) => classes.find(p.value)));
  const ofParameter = (container: number) => parameterClasses.has(classes.find(container));
  const changesLayout = (instr: Instr): boolean =>
    (instr.kind === 'push' || (instr.kind === 'store' && (storesContainer(fn, instr) || mayGrow(fn, instr)))) &&
    ofParameter(instr.container);
  let any = false;
  forEachInstr(fn.body, (instr) => (any ||= changesLayout(instr)));
  if (!any) return fn;

  const recorded = structuredClone(fn);
  const visit = (block: Block): void => {
    const instrs: Instr[] = [];
    for (const instr of block.instrs) {
      childBlocks(instr).forEach(visit);
      if (changesLayout(instr) && instr.kind === 'push') instr.restoresLength = true;
      if (changesLayout(instr) && instr.kind === 'store' && !storesContainer(fn, instr)) {
        // the array's length before the store: the shadow's length to give back
        const lengthBefore = addValue(recorded, '', { kind: 'number' });
        instrs.push({ kind: 'length', result: lengthBefore, container: instr.container });
        instr.lengthBefore = lengthBefore;
      } else if (changesLayout(instr) && instr.kind === 'store') {
        // what the slot held: the array or object whose shadow the slot gets back
        const previous = addValue(recorded, '', recorded.values[instr.value]!.type);
        instrs.push({ kind: 'load', result: previous, container: instr.container, index: instr.index, origin: instr.origin });
        instr.previous = previous;
      }
      instrs.push(instr);
    }
    block.instrs = instrs;
  };
  visit(recorded.body);
  return recorded;
}

const storesContainer = (fn: SsaFunction, store: StoreInstr) => isContainer(fn.values[store.value]!.type);

/** A store of a number into a plain array by a computed index: at or past the end, it grows the array (a typed array drops it). */
function mayGrow(fn: SsaFunction, store: StoreInstr): boolean {
  const type = fn.values[store.container]!.type;
  return typeof store.index !== 'string' && type.kind === 'array' && !isTypedArray(type) && !storesContainer(fn, store);
}
