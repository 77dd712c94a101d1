/**
 * Instruments a companion's pushes on its shared tape, for the tests and benchmarks that measure
 * the tape's peak: after Tape.push's store, and after each push of a function that keeps the tape
 * in locals (`tapeValues[tapeTop++] = v`, phases/4-differentiate/tape-in-locals.ts). `record(top,
 * values)` is the code run after each, given how the tape's top and buffer are named there.
 * Undefined when the companion has no Tape class of the expected shape.
 */
export function afterEachPush(text: string, record: (top: string, values: string) => string): string | undefined {
  const classPush = 'this.values[this.top++] = value;';
  if (!text.includes('class Tape') || !text.includes(classPush)) return undefined;
  return text
    .replace(classPush, `${classPush}\n${record('this.top', 'this.values')}`)
    .replace(/tapeValues\[tapeTop\+\+\] = [^;]+;/g, (pushed) => `${pushed}\n${record('tapeTop', 'tapeValues')}`);
}
