/**
 * Whether two companion texts hold the same code, whatever their layout: a companion that the
 * project's formatter rewrote (`prettier --write`, with other quotes, widths, trailing commas or
 * parentheses) is still up to date. Two texts are the same code when their syntax trees are the
 * same (node kinds, names, the values of literals; parentheses that change nothing are ignored:
 * the trees' shapes already say how operands group) and their comments say the same words in
 * the same order.
 */
import { ts } from 'ts-morph';

export function sameCode(a: string, b: string): boolean {
  if (a === b) return true;
  const left = ts.createSourceFile('a.ts', a, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const right = ts.createSourceFile('b.ts', b, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return sameTree(left, right, left, right) && sameWords(comments(a), comments(b));
}

function withoutParentheses(node: ts.Node): ts.Node {
  return ts.isParenthesizedExpression(node) ? withoutParentheses(node.expression) : node;
}

function sameTree(a: ts.Node, b: ts.Node, fileA: ts.SourceFile, fileB: ts.SourceFile): boolean {
  a = withoutParentheses(a);
  b = withoutParentheses(b);
  if (a.kind !== b.kind) return false;
  if (ts.isIdentifier(a) || ts.isPrivateIdentifier(a)) return a.text === (b as ts.Identifier).text;
  if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return a.text === (b as ts.StringLiteral).text;
  if (ts.isNumericLiteral(a)) return Number(a.text) === Number((b as ts.NumericLiteral).text);
  if (a.kind >= ts.SyntaxKind.FirstToken && a.kind <= ts.SyntaxKind.LastToken) return a.getText(fileA) === b.getText(fileB);
  const childrenA: ts.Node[] = [];
  const childrenB: ts.Node[] = [];
  ts.forEachChild(a, (child) => void childrenA.push(child));
  ts.forEachChild(b, (child) => void childrenB.push(child));
  return childrenA.length === childrenB.length && childrenA.every((child, i) => sameTree(child, childrenB[i]!, fileA, fileB));
}

/** Every comment's words, in order (a formatter may re-indent a comment's lines, never its words). */
function comments(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const words: string[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      words.push(
        ...scanner
          .getTokenText()
          .replace(/^\s*\*(?!\/)/gm, ' ')
          .split(/\s+/)
          .filter(Boolean),
      );
    }
  }
  return words;
}

function sameWords(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}
