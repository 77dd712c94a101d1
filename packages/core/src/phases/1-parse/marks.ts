/**
 * Reading the `@differentiable` mark and its options, in the style of Swift's attribute:
 *   @differentiable                 every parameter that holds numbers
 *   @differentiable(wrt: x, y)      only x and y
 *   @differentiable(forward)        jvp_f as well (forward mode); options combine
 *   @differentiable(hessian)        second order as well: hvp_f and hessian_f
 */
import { Node, type JSDoc } from 'ts-morph';

export interface MarkOptions {
  /** Names of the parameters to differentiate, or undefined for all of them. */
  wrt?: string[];
  /** Emit jvp_f (forward mode) as well. */
  forward?: boolean;
  /** Second order: the companion is written so that Adjoint can differentiate it again. */
  hessian?: boolean;
}

export type MarkReading =
  | { kind: 'marked'; options: MarkOptions }
  | { kind: 'invalid'; text: string; reason: string };

const MARK = /@differentiable\b(?:\s*\(([^)]*)\))?/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The JSDoc comment of a node that holds the mark, if any. */
export function markComment(node: Node): JSDoc | undefined {
  if (!Node.isJSDocable(node)) return undefined;
  return node.getJsDocs().find((doc) => MARK.test(doc.getText()));
}

/** Reads the options of a comment found by markComment. */
export function readMark(comment: JSDoc): MarkReading {
  const match = MARK.exec(comment.getText())!;
  const optionText = match[1];
  if (optionText === undefined) return { kind: 'marked', options: {} };
  const options: MarkOptions = {};
  let collectingWrt = false;
  for (const rawItem of optionText.split(',')) {
    const item = rawItem.trim();
    const wrt = /^wrt\s*:\s*(.*)$/.exec(item);
    const name = wrt ? wrt[1]!.trim() : item;
    if (wrt) {
      collectingWrt = true;
      options.wrt = [];
    } else if (item === 'forward' || item === 'hessian' || item === 'reverse') {
      collectingWrt = false;
      if (item === 'hessian') options.hessian = true;
      if (item === 'forward') options.forward = true;
      continue;
    } else if (!collectingWrt) {
      return { kind: 'invalid', text: match[0], reason: `unknown option '${item}'` };
    }
    if (!IDENTIFIER.test(name)) return { kind: 'invalid', text: match[0], reason: `'${name}' is not a parameter name` };
    options.wrt!.push(name);
  }
  return { kind: 'marked', options };
}
