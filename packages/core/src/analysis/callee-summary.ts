/**
 * What a caller knows of a callee without looking inside it (computed by summaries.ts), and what
 * it must assume of a callee it knows nothing of.
 */
export interface CalleeSummary {
  writesParam: boolean[];
  /** Parameters the callee may push onto: arrays whose length it may change. */
  growsParam: boolean[];
  /** Parameters the callee may store an array or object into (a row pushed onto a matrix). */
  storesIntoParam: boolean[];
  resultCanVary: boolean;
  storesContainers: boolean;
  /**
   * Calling it changes nothing a caller can see: it writes, grows and stores into none of its
   * parameters, and calls only functions that are effect-free too (never one without a body). A
   * call of it whose result nothing reads can be dropped (dead-code.ts).
   */
  effectFree: boolean;
  /** whenVaried[i]: when argument i varies, whether the result may, and which container parameters' contents may. */
  whenVaried: Array<{ result: boolean; params: boolean[] }>;
  /**
   * Which of its container parameters, and its result (last), may share storage once it returns:
   * equal numbers for those that may (its alias classes, aliases.ts), undefined for numbers.
   */
  sharedStorage: Array<number | undefined>;
}

/** Summaries by callee key. A callee not (yet) summarised is assumed to do all of these. */
export type CalleeSummaries = (key: string) => CalleeSummary | undefined;

export function assumeEverything(arity: number): CalleeSummary {
  const all = new Array<boolean>(arity).fill(true);
  return {
    writesParam: all,
    growsParam: all,
    storesIntoParam: all,
    resultCanVary: true,
    storesContainers: true,
    effectFree: false,
    whenVaried: all.map(() => ({ result: true, params: all })),
    sharedStorage: new Array<number>(arity + 1).fill(0),
  };
}
