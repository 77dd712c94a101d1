/** Human names of syntax the lowering rejects, for diagnostics ("a 'for' loop is not supported"). */
import { SyntaxKind, ts, type Node } from 'ts-morph';

const names: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.IfStatement]: "An 'if' statement",
  [SyntaxKind.ForStatement]: "A 'for' loop",
  [SyntaxKind.ForOfStatement]: "A 'for...of' loop",
  [SyntaxKind.ForInStatement]: "A 'for...in' loop",
  [SyntaxKind.WhileStatement]: "A 'while' loop",
  [SyntaxKind.DoStatement]: "A 'do...while' loop",
  [SyntaxKind.SwitchStatement]: "A 'switch' statement",
  [SyntaxKind.TryStatement]: "A 'try' statement",
  [SyntaxKind.ThrowStatement]: "A 'throw' statement",
  [SyntaxKind.LabeledStatement]: 'A labelled statement',
  [SyntaxKind.BreakStatement]: "'break'",
  [SyntaxKind.ContinueStatement]: "'continue'",
  [SyntaxKind.FunctionDeclaration]: 'A nested function declaration',
  [SyntaxKind.ClassDeclaration]: 'A class declaration',
  [SyntaxKind.ConditionalExpression]: "The conditional operator '?:'",
  [SyntaxKind.StringLiteral]: 'A string',
  [SyntaxKind.NoSubstitutionTemplateLiteral]: 'A template string',
  [SyntaxKind.TemplateExpression]: 'A template string',
  [SyntaxKind.TrueKeyword]: 'A boolean',
  [SyntaxKind.FalseKeyword]: 'A boolean',
  [SyntaxKind.NullKeyword]: "'null'",
  [SyntaxKind.BigIntLiteral]: 'A bigint',
  [SyntaxKind.ArrayLiteralExpression]: 'An array literal',
  [SyntaxKind.ObjectLiteralExpression]: 'An object literal',
  [SyntaxKind.ElementAccessExpression]: 'Indexing with [ ]',
  [SyntaxKind.ArrowFunction]: 'A closure',
  [SyntaxKind.FunctionExpression]: 'A closure',
  [SyntaxKind.ThisKeyword]: "'this'",
  [SyntaxKind.NewExpression]: "'new'",
  [SyntaxKind.AwaitExpression]: "'await'",
  [SyntaxKind.YieldExpression]: "'yield'",
  [SyntaxKind.TypeOfExpression]: "'typeof'",
  [SyntaxKind.DeleteExpression]: "'delete'",
  [SyntaxKind.VoidExpression]: "'void'",
  [SyntaxKind.SpreadElement]: "Spread '...'",
  [SyntaxKind.TaggedTemplateExpression]: 'A tagged template',
};

const operatorNames: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.LessThanToken]: "The comparison '<'",
  [SyntaxKind.LessThanEqualsToken]: "The comparison '<='",
  [SyntaxKind.GreaterThanToken]: "The comparison '>'",
  [SyntaxKind.GreaterThanEqualsToken]: "The comparison '>='",
  [SyntaxKind.EqualsEqualsToken]: "The comparison '=='",
  [SyntaxKind.EqualsEqualsEqualsToken]: "The comparison '==='",
  [SyntaxKind.ExclamationEqualsToken]: "The comparison '!='",
  [SyntaxKind.ExclamationEqualsEqualsToken]: "The comparison '!=='",
  [SyntaxKind.AmpersandAmpersandToken]: "The logical operator '&&'",
  [SyntaxKind.BarBarToken]: "The logical operator '||'",
  [SyntaxKind.QuestionQuestionToken]: "The operator '??'",
};

export function describeConstruct(node: Node): string {
  return names[node.getKind()] ?? `The syntax '${node.getKindName()}'`;
}

export function describeOperator(operator: SyntaxKind): string {
  return operatorNames[operator] ?? `The operator '${ts.tokenToString(operator) ?? SyntaxKind[operator]}'`;
}
