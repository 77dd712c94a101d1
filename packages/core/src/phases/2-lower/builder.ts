/** Builds an SSA function: allocates values and appends instructions to the current block. */
import {
  booleanType,
  isContainer,
  numberType,
  type Block,
  type Instr,
  type SourceOrigin,
  type SsaParam,
  type Type,
  type ValueId,
  type ValueInfo,
} from '../../ir/ssa.js';

export class SsaBuilder {
  readonly values: ValueInfo[] = [];
  readonly params: SsaParam[] = [];
  readonly root: Block = { instrs: [] };
  private current: Block = this.root;
  private readonly constants = new Map<ValueId, number | boolean>();

  newValue(hint: string, type: Type): ValueId {
    const id = this.values.length;
    this.values.push({ id, hint, type });
    return id;
  }

  typeOf(value: ValueId): Type {
    return this.values[value]!.type;
  }

  addParam(name: string, typeText: string, type: Type, differentiable: boolean): ValueId {
    const value = this.newValue(name, type);
    this.params.push({ name, typeText, value, differentiable });
    return value;
  }

  constant(value: number | boolean): ValueId {
    const result = this.newValue('', typeof value === 'boolean' ? booleanType : numberType);
    this.emit({ kind: 'const', result, value });
    this.constants.set(result, value);
    return result;
  }

  /** The value of a constant, or undefined for a value computed at run time. */
  constantValue(value: ValueId): number | boolean | undefined {
    return this.constants.get(value);
  }

  /** A module-level constant (a number, or an array or object of numbers) or a Math constant. */
  global(name: string, type: Type = numberType): ValueId {
    const result = this.newValue('', type);
    this.emit({ kind: 'global', result, name });
    if (isContainer(type)) this.constantParts.set(result, name);
    return result;
  }

  /**
   * Containers that are module constants, or rows and fields read from one, by the constant's
   * name: they are never written (module-constants.ts).
   */
  private readonly constantParts = new Map<ValueId, string>();

  /** The module constant a container is (part of), if it is one. */
  constantOf(container: ValueId): string | undefined {
    return this.constantParts.get(container);
  }

  prim(op: string, args: ValueId[], origin: SourceOrigin, type: Type = numberType): ValueId {
    const result = this.newValue('', type);
    this.emit({ kind: 'prim', result, op, args, origin });
    return result;
  }

  /** `container[index]`, or `container.field` for a string index. */
  load(container: ValueId, index: ValueId | string, origin: SourceOrigin): ValueId {
    const result = this.newValue('', elementType(this.typeOf(container), index, this.constantValue(index as ValueId)));
    this.emit({ kind: 'load', result, container, index, origin });
    const constant = this.constantParts.get(container);
    if (constant !== undefined && isContainer(this.typeOf(result))) this.constantParts.set(result, constant);
    return result;
  }

  /** A deep copy of a container (for the reverse sweep of a call). */
  copy(container: ValueId): ValueId {
    const result = this.newValue('', this.typeOf(container));
    this.emit({ kind: 'copy', result, container });
    return result;
  }

  length(container: ValueId): ValueId {
    const result = this.newValue('', numberType);
    this.emit({ kind: 'length', result, container });
    return result;
  }

  /** Appends an instruction to the block being built. */
  emit(instr: Instr): void {
    this.current.instrs.push(instr);
  }

  /** Builds a new block: instructions emitted inside `build` go into it. */
  block(build: () => void): Block {
    const block: Block = { instrs: [] };
    this.inBlock(block, build);
    return block;
  }

  /** Emits the instructions of `build` at the end of an existing block. */
  inBlock<T>(block: Block, build: () => T): T {
    const outer = this.current;
    this.current = block;
    try {
      return build();
    } finally {
      this.current = outer;
    }
  }

  /** Gives a value the name of the source variable it is assigned to (`y = a * b` names `a * b` y). */
  nameAfter(value: ValueId, variable: string): void {
    const info = this.values[value]!;
    if (info.hint === '') info.hint = variable;
  }
}

/** The type of `container[index]`: the element type, a tuple's element, or an object's field. */
export function elementType(container: Type, index: ValueId | string, constantIndex: number | boolean | undefined): Type {
  switch (container.kind) {
    case 'array':
      return container.element;
    case 'tuple':
      return typeof constantIndex === 'number' ? (container.elements[constantIndex] ?? numberType) : (container.elements[0] ?? numberType);
    case 'object':
      return container.fields.find((f) => f.name === index)?.type ?? numberType;
    default:
      return numberType;
  }
}
