/**
 * Reading the `@differentiable` mark and its options, in the style of Swift's attribute:
 *   @differentiable                 every parameter that holds numbers
 *   @differentiable(wrt: x, y)      only x and y
 */
import { Node } from 'ts-morph';

export interface MarkOptions {
  /** Names of the parameters to differentiate, or undefined for all of them. */
  wrt?: string[];
}

export type MarkReading =
  | { kind: 'unmarked' }
  | { kind: 'marked'; options: MarkOptions }
  | { kind: 'invalid'; text: string; reason: string }
  | { kind: 'unsupported-option'; option: string };

const MARK = /@differentiable\b(?:\s*\(([^)]*)\))?/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The JSDoc text attached to a node, or '' when it has none. */
function jsDocText(node: Node): string {
  if (!Node.isJSDocable(node)) return '';
  return node.getJsDocs().map((doc) => doc.getText()).join('\n');
}

export function readMark(node: Node): MarkReading {
  const match = MARK.exec(jsDocText(node));
  if (!match) return { kind: 'unmarked' };
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
      if (item !== 'reverse') return { kind: 'unsupported-option', option: item };
      continue;
    } else if (!collectingWrt) {
      return { kind: 'invalid', text: match[0], reason: `unknown option '${item}'` };
    }
    if (!IDENTIFIER.test(name)) return { kind: 'invalid', text: match[0], reason: `'${name}' is not a parameter name` };
    options.wrt!.push(name);
  }
  return { kind: 'marked', options };
}
