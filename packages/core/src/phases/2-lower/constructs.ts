/**
 * The syntax a differentiable function may not contain, each with its own diagnostic code (see
 * the catalogue for why each cannot be differentiated and what to write instead). Lowering asks
 * here for every node it does not lower, so nothing ends in a generic "unsupported".
 */
import { SyntaxKind, ts, type Node } from 'ts-morph';
import type { CodeTaking } from '../../diagnostics/catalogue.js';

/** A code whose message takes one argument: the construct's text. */
type ConstructCode = CodeTaking<{ readonly source: string }>;

const byKind: Partial<Record<SyntaxKind, ConstructCode>> = {
  [SyntaxKind.ThisKeyword]: 'AD1101',
  [SyntaxKind.SuperKeyword]: 'AD1147',
  [SyntaxKind.ClassDeclaration]: 'AD1101',
  [SyntaxKind.ClassExpression]: 'AD1101',
  [SyntaxKind.MetaProperty]: 'AD1101',
  [SyntaxKind.TryStatement]: 'AD1103',
  [SyntaxKind.ThrowStatement]: 'AD1103',
  [SyntaxKind.AwaitExpression]: 'AD1104',
  [SyntaxKind.YieldExpression]: 'AD1105',
  [SyntaxKind.WithStatement]: 'AD1106',
  [SyntaxKind.LabeledStatement]: 'AD1107',
  [SyntaxKind.SpreadElement]: 'AD1108',
  [SyntaxKind.SpreadAssignment]: 'AD1108',
  [SyntaxKind.DeleteExpression]: 'AD1110',
  [SyntaxKind.TypeOfExpression]: 'AD1111',
  [SyntaxKind.BigIntLiteral]: 'AD1112',
  [SyntaxKind.StringLiteral]: 'AD1113',
  [SyntaxKind.NoSubstitutionTemplateLiteral]: 'AD1113',
  [SyntaxKind.TemplateExpression]: 'AD1113',
  [SyntaxKind.TaggedTemplateExpression]: 'AD1113',
  [SyntaxKind.NullKeyword]: 'AD1114',
  [SyntaxKind.VoidExpression]: 'AD1114',
  [SyntaxKind.RegularExpressionLiteral]: 'AD1126',
  [SyntaxKind.ForInStatement]: 'AD1127',
  [SyntaxKind.EnumDeclaration]: 'AD1128',
  [SyntaxKind.ModuleDeclaration]: 'AD1128',
  [SyntaxKind.JsxElement]: 'AD1113',
  [SyntaxKind.JsxSelfClosingElement]: 'AD1113',
  [SyntaxKind.JsxFragment]: 'AD1113',
  [SyntaxKind.NewExpression]: 'AD1117',
  [SyntaxKind.ComputedPropertyName]: 'AD1118',
  [SyntaxKind.MethodDeclaration]: 'AD1119',
  [SyntaxKind.GetAccessor]: 'AD1119',
  [SyntaxKind.SetAccessor]: 'AD1119',
};

const byOperator: Partial<Record<SyntaxKind, ConstructCode>> = {
  [SyntaxKind.AmpersandToken]: 'AD1115',
  [SyntaxKind.BarToken]: 'AD1115',
  [SyntaxKind.CaretToken]: 'AD1115',
  [SyntaxKind.TildeToken]: 'AD1115',
  [SyntaxKind.LessThanLessThanToken]: 'AD1115',
  [SyntaxKind.GreaterThanGreaterThanToken]: 'AD1115',
  [SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: 'AD1115',
  [SyntaxKind.AmpersandEqualsToken]: 'AD1115',
  [SyntaxKind.BarEqualsToken]: 'AD1115',
  [SyntaxKind.CaretEqualsToken]: 'AD1115',
  [SyntaxKind.LessThanLessThanEqualsToken]: 'AD1115',
  [SyntaxKind.GreaterThanGreaterThanEqualsToken]: 'AD1115',
  [SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: 'AD1115',
  [SyntaxKind.InstanceOfKeyword]: 'AD1111',
  [SyntaxKind.InKeyword]: 'AD1111',
  [SyntaxKind.QuestionQuestionEqualsToken]: 'AD1125',
  [SyntaxKind.BarBarEqualsToken]: 'AD1125',
  [SyntaxKind.AmpersandAmpersandEqualsToken]: 'AD1125',
};

/** The code and the one argument (the construct's text) of the diagnostic for an unsupported node. */
export function unsupportedConstruct(node: Node): { code: ConstructCode; args: { source: string } } {
  return { code: byKind[node.getKind()] ?? 'AD1002', args: { source: snippet(node) } };
}

/** The same for an operator token. */
export function unsupportedOperator(operator: SyntaxKind): { code: ConstructCode; args: { source: string } } {
  return { code: byOperator[operator] ?? 'AD1002', args: { source: ts.tokenToString(operator) ?? SyntaxKind[operator] } };
}

/** The construct as the user wrote it, shortened to one line. */
export function snippet(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
