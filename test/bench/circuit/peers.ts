/**
 * The circuits for the peers: TF.js and jax-js build the same graph of scalar operations (their
 * tapes record one node per operation, as Adjoint's companion computes one adjoint per value);
 * mathjs differentiates the circuit symbolically, as one expression.
 */
import { CIRCUIT_INPUTS, type Circuit, type OpKind } from './generate.ts';

type Tf = typeof import('@tensorflow/tfjs');

export function tfCircuit(tf: Tf, circuit: Circuit, x: Float64Array): () => { value: number; gradient: Float32Array } {
  const input = tf.tensor1d(Float32Array.from(x));
  const objective = (x: any) => {
    const v: any[] = [...tf.unstack(x)]; // a copy: the tape keeps the array unstack returns
    for (const op of circuit.ops) {
      const [a, b] = [v[op.a], v[op.b]];
      switch (op.kind) {
        case 'mul': v.push(tf.mul(a, b)); break;
        case 'sinAdd': v.push(tf.sin(tf.add(a, b))); break;
        case 'tanhSub': v.push(tf.tanh(tf.sub(a, b))); break;
        case 'mean': v.push(tf.mul(0.5, tf.add(a, b))); break;
        case 'cosMul': v.push(tf.mul(tf.cos(a), b)); break;
        case 'mulExp': v.push(tf.mul(a, tf.exp(tf.sub(b, 1)))); break;
      }
    }
    return tf.addN(circuit.outputs.map((o) => v[o])) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () =>
    tf.tidy(() => {
      const { value, grads } = valueAndGrads([input]);
      return { value: value.dataSync()[0]!, gradient: grads[0]!.dataSync() as Float32Array };
    });
}

type Jax = typeof import('@jax-js/jax');

export function jaxCircuit(jax: Jax, circuit: Circuit, x: Float64Array): () => { value: number; gradient: Float64Array } {
  const np = jax.numpy;
  const f64 = { dtype: np.float64 };
  const input = np.array(x, f64);
  // Reference counting: a value takes `.ref` at every use but its last.
  const uses = new Array<number>(CIRCUIT_INPUTS + circuit.ops.length).fill(0);
  for (const op of circuit.ops) {
    uses[op.a]!++;
    uses[op.b]!++;
  }
  for (const o of circuit.outputs) uses[o]!++;
  const objective = (x: any) => {
    const left = [...uses];
    const v: any[] = [];
    for (let i = 0; i < CIRCUIT_INPUTS; i++) v.push(x.ref.slice(i));
    x.dispose();
    const take = (i: number) => (--left[i]! > 0 ? v[i].ref : v[i]);
    const half = np.array(0.5, f64);
    const one = np.array(1, f64);
    for (const op of circuit.ops) {
      const a = take(op.a);
      const b = take(op.b);
      v.push(apply(np, op.kind, a, b, half, one));
    }
    half.dispose();
    one.dispose();
    let sum = take(circuit.outputs[0]!);
    for (const o of circuit.outputs.slice(1)) sum = sum.add(take(o));
    for (let i = 0; i < v.length; i++) if (left[i]! > 0) v[i].dispose();
    return sum;
  };
  const valueAndGrad = jax.jit(jax.valueAndGrad(objective));
  return () => {
    const [value, gradient] = valueAndGrad(input.ref) as any;
    return { value: value.item(), gradient: gradient.dataSync() as Float64Array };
  };
}

function apply(np: Jax['numpy'], kind: OpKind, a: any, b: any, half: any, one: any): any {
  switch (kind) {
    case 'mul': return a.mul(b);
    case 'sinAdd': return np.sin(a.add(b));
    case 'tanhSub': return np.tanh(a.sub(b));
    case 'mean': return a.add(b).mul(half.ref);
    case 'cosMul': return np.cos(a).mul(b);
    case 'mulExp': return a.mul(np.exp(b.sub(one.ref)));
  }
}

type MathJs = typeof import('mathjs');

/**
 * mathjs's symbolic derivative of the circuit's result with respect to x0. The expression is built
 * with shared subexpressions (a DAG in memory), but `derivative` walks it as a tree, as symbolic
 * differentiation does: its time and the size of the derivative grow with the expanded tree.
 */
export function mathjsDerivative(math: MathJs, circuit: Circuit): { treeSize: number; derivativeSize: number; ms: number; derivative: any } {
  const { OperatorNode, FunctionNode, SymbolNode, ConstantNode, ParenthesisNode } = math as any;
  const op = (symbol: string, fn: string, args: any[]) => new OperatorNode(symbol, fn, args);
  const call = (name: string, arg: any) => new FunctionNode(new SymbolNode(name), [arg]);
  const v: any[] = Array.from({ length: CIRCUIT_INPUTS }, (_, i) => new SymbolNode(`x${i}`));
  for (const o of circuit.ops) {
    const [a, b] = [v[o.a], v[o.b]];
    switch (o.kind) {
      case 'mul': v.push(op('*', 'multiply', [a, b])); break;
      case 'sinAdd': v.push(call('sin', op('+', 'add', [a, b]))); break;
      case 'tanhSub': v.push(call('tanh', op('-', 'subtract', [a, b]))); break;
      case 'mean': v.push(op('*', 'multiply', [new ConstantNode(0.5), new ParenthesisNode(op('+', 'add', [a, b]))])); break;
      case 'cosMul': v.push(op('*', 'multiply', [call('cos', a), b])); break;
      case 'mulExp': v.push(op('*', 'multiply', [a, call('exp', op('-', 'subtract', [b, new ConstantNode(1)]))])); break;
    }
  }
  let expression = v[circuit.outputs[0]!];
  for (const o of circuit.outputs.slice(1)) expression = op('+', 'add', [expression, v[o]]);
  const start = performance.now();
  const derivative = math.derivative(expression, 'x0', { simplify: false });
  const ms = performance.now() - start;
  return { treeSize: treeSize(expression), derivativeSize: treeSize(derivative), ms, derivative };
}

/** The number of nodes of the expression written out as a tree (shared subexpressions counted at every use). */
function treeSize(root: any): number {
  const memo = new Map<any, number>();
  const size = (node: any): number => {
    let s = memo.get(node);
    if (s === undefined) {
      s = 1;
      node.forEach((child: any) => (s! += size(child)));
      memo.set(node, s);
    }
    return s;
  };
  return size(root);
}
