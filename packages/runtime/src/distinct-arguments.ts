/**
 * The check at the entry of the exports of a function that writes into its arguments (grad_f,
 * jvp_f, vjp_f, hvp_f, …): its gradient gives each argument storage of its own, so an array or
 * object it may write into must not be shared with another argument, nor appear twice in one
 * (`f(w, w)`, `M = [r, r]`). Typed arrays over one buffer share storage where their bytes overlap.
 */

/**
 * Throws when an array or object that `fn` may write into is shared with another argument, or
 * appears twice in one: its gradient takes every argument as storage of its own. Each argument is
 * [name, value, depth], depth being how many levels of arrays and objects its type nests.
 */
export function distinctArguments(fn: string, written: Array<[string, unknown, number]>, others: Array<[string, unknown, number]>): void {
  const owners = new Map<object, string>();
  const views: Array<{ view: ArrayBufferView; at: string }> = [];
  const ownerOf = (value: object): string | undefined => {
    const owner = owners.get(value);
    if (owner !== undefined || !ArrayBuffer.isView(value)) return owner;
    // typed arrays over one buffer share storage where their bytes overlap
    const end = value.byteOffset + value.byteLength;
    return views.find(
      ({ view }) => view.buffer === value.buffer && view.byteOffset < end && value.byteOffset < view.byteOffset + view.byteLength,
    )?.at;
  };
  const visit = (value: unknown, at: string, depth: number, own: boolean): void => {
    if (typeof value !== 'object' || value === null) return;
    const owner = ownerOf(value);
    if (owner !== undefined) {
      throw new Error(
        `${fn} writes into its arguments, and ${owner} and ${at} are the same array or object: its gradient would be wrong. Pass separate copies.`,
      );
    }
    if (own) {
      owners.set(value, at);
      if (ArrayBuffer.isView(value)) views.push({ view: value, at });
    }
    if (depth <= 1 || ArrayBuffer.isView(value)) return;
    if (Array.isArray(value)) value.forEach((element: unknown, i: number) => visit(element, `${at}[${i}]`, depth - 1, own));
    else for (const [key, element] of Object.entries(value)) visit(element, `${at}.${key}`, depth - 1, own);
  };
  for (const [name, value, depth] of written) visit(value, name, depth, true);
  for (const [name, value, depth] of others) visit(value, name, depth, false);
}
