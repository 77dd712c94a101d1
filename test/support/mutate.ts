/**
 * Mutation of valid sources, for fuzzing the compiler with almost-valid input: delete a token,
 * swap an operator, truncate the file, duplicate a line, insert a random character, replace a
 * word with another word of the file. Positions are
 * fractions in [0, 1), so a mutation applies to any text, and fast-check can shrink them.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'delete-token'; at: number }
  | { kind: 'swap-operator'; at: number; to: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'insert-char'; at: number; char: number }
  | { kind: 'replace-identifier'; at: number; to: number };

/** Tokens, roughly as TypeScript sees them: comments, strings, numbers, words, operators, anything else. */
const TOKEN =
  /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|\d[\w.]*|[A-Za-z_$][\w$]*|>>>=|\*\*=|\?\?=|&&=|\|\|=|===|!==|\*\*|>>>|<<=|>>=|\.\.\.|[-+*/%&|^<>=!]=|&&|\|\||\?\?|\?\.|\+\+|--|<<|>>|=>|[^\s]/g;

export const OPERATORS = [
  '+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '==', '===', '!=', '!==', '&&', '||', '??', '=',
  '+=', '-=', '*=', '/=', '%=', '**=', '++', '--', '!', '?', ':', '.', ',', ';', '=>', '&', '|', '^', '<<', '>>', '...',
];

/** Characters worth inserting: brackets, operators, quotes, the mark's @, separators, letters, digits, non-ASCII. */
export const INSERTED = [...'{}()[];,.:?!+-*/%=<>&|^~\'"`@#\\ \n\t0123456789xyzA_$é∂\u00a0\u2028'];

export function tokens(text: string): Array<{ start: number; end: number; text: string }> {
  return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
}

const pick = <T>(items: readonly T[], at: number): T | undefined => (items.length === 0 ? undefined : items[Math.min(items.length - 1, Math.floor(at * items.length))]);

export function applyMutation(text: string, mutation: Mutation): string {
  switch (mutation.kind) {
    case 'delete-token': {
      const token = pick(tokens(text), mutation.at);
      return token ? text.slice(0, token.start) + text.slice(token.end) : text;
    }
    case 'swap-operator': {
      const token = pick(
        tokens(text).filter((t) => OPERATORS.includes(t.text)),
        mutation.at,
      );
      const replacement = pick(OPERATORS.filter((o) => o !== token?.text), mutation.to)!;
      return token ? text.slice(0, token.start) + replacement + text.slice(token.end) : text;
    }
    case 'truncate':
      return text.slice(0, Math.floor(mutation.at * text.length));
    case 'duplicate-line': {
      const lines = text.split('\n');
      const index = Math.min(lines.length - 1, Math.floor(mutation.at * lines.length));
      lines.splice(index, 0, lines[index]!);
      return lines.join('\n');
    }
    case 'replace-identifier': {
      // A name or keyword replaced by another word of the same file: parses more often than the
      // other mutations, and reaches the later phases with misused names.
      const words = tokens(text).filter((t) => /^[A-Za-z_$]/.test(t.text));
      const token = pick(words, mutation.at);
      const replacement = pick([...new Set(words.map((w) => w.text))].filter((w) => w !== token?.text), mutation.to);
      return token && replacement ? text.slice(0, token.start) + replacement + text.slice(token.end) : text;
    }
    case 'insert-char': {
      const position = Math.floor(mutation.at * (text.length + 1));
      return text.slice(0, position) + pick(INSERTED, mutation.char)! + text.slice(position);
    }
  }
}

export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}

const fraction = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-token' as const), at: fraction }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('swap-operator' as const), at: fraction, to: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at: fraction }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert-char' as const), at: fraction, char: fraction }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace-identifier' as const), at: fraction, to: fraction }) },
);

/** One to three mutations of the source at `index` in a list of `count` sources. */
export function mutantArbitrary(count: number): fc.Arbitrary<{ source: number; mutations: Mutation[] }> {
  return fc.record({
    source: fc.integer({ min: 0, max: count - 1 }),
    mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
  });
}

/**
 * A smaller text on which `fails` still holds: whole lines removed first, then single tokens
 * (delta debugging, one piece at a time), so that a bug is reported with a short reproduction.
 */
export async function minimize(text: string, fails: (candidate: string) => Promise<boolean>, budget = 400): Promise<string> {
  let current = text;
  let tries = 0;
  const attempt = async (candidate: string) => {
    if (tries >= budget || candidate === current) return false;
    tries++;
    if (await fails(candidate)) {
      current = candidate;
      return true;
    }
    return false;
  };
  for (let changed = true; changed && tries < budget; ) {
    changed = false;
    const lines = current.split('\n');
    for (let i = lines.length - 1; i >= 0 && tries < budget; i--) {
      const now = current.split('\n');
      if (i >= now.length) continue;
      if (await attempt([...now.slice(0, i), ...now.slice(i + 1)].join('\n'))) changed = true;
    }
    const all = tokens(current);
    for (let i = all.length - 1; i >= 0 && tries < budget; i--) {
      const now = tokens(current);
      const token = now[i];
      if (!token) continue;
      if (await attempt(current.slice(0, token.start) + current.slice(token.end))) changed = true;
    }
  }
  return current;
}

/**
 * Marks that are not marks, each of which must be said (issue 19, items 6 and 15): unreadable
 * options (error AD2001), a second tag (AD2009), a name that is not a parameter (AD2002), and
 * comments that look like a mark but are not a JSDoc one (warning AD2011).
 */
export const MALFORMED_MARKS = [
  '/** @differentiable(wrt: x */',
  '/** @differentiable wrt: x */',
  '/** @differentiable(wrt: x); process.exit() */',
  '/** @differentiable(wrt: ) */',
  '/** @differentiable(frobnicate) */',
  '/** @differentiable(hessian, hessian) */',
  '/** @differentiable(,) */',
  '/** @differentiable(wrt: x y) */',
  '/** @differentiable(wrt: __not_a_parameter__) */',
  '/** @differentiable */ /** @differentiable(forward) */',
  '/** @differentiable\n * @differentiable(forward) */',
  '// @differentiable',
  '/* @differentiable */',
  '/** @Differentiable */',
  '/** @differentiabl */',
];

/** The JSDoc marks of a source, as written. */
const MARK = /\/\*\*\s*@differentiable\b[^*]*(?:\*(?!\/)[^*]*)*\*\//g;

/** `text` with its mark at `at` (a fraction, as for the mutations) replaced by `malformed`; undefined when it has none. */
export function malformMark(text: string, at: number, malformed: string): { text: string; line: number } | undefined {
  const marks = [...text.matchAll(MARK)];
  const mark = pick(marks, at);
  if (!mark) return undefined;
  return { text: text.slice(0, mark.index) + malformed + text.slice(mark.index! + mark[0].length), line: text.slice(0, mark.index).split('\n').length };
}

/**
 * File-name parts that would run code, or end a string or a line, if the companion wrote the name
 * as it is (quotes, a template, line breaks, U+2028), and others that are merely unusual. Never `/`
 * (a folder; so no name can hold `*\/` or `//`) or a backslash (a folder for Node and TypeScript).
 */
export const HOSTILE_NAME_PARTS = [
  "';globalThis.PWNED=1;'",
  '";globalThis.PWNED=1;"',
  '${globalThis.PWNED=1}',
  '`;globalThis.PWNED=1;`',
  '\nglobalThis.PWNED=1;',
  '\rglobalThis.PWNED=1;',
  '\u2028globalThis.PWNED=1;',
  '<script>',
  "it's",
  '*',
  ' ',
  'é∂π',
  '.',
  '#',
];

/** A file name made of two to four hostile parts. */
export const hostileNameArbitrary: fc.Arbitrary<string> = fc.array(fc.constantFrom(...HOSTILE_NAME_PARTS), { minLength: 2, maxLength: 4 }).map((parts) => parts.join(''));
