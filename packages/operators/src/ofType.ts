import { filter, type OperatorFunction } from 'rxjs';

// The same operator as `@copilot-rx/core`'s `ofType`, kept here rather than re-exported: importing it
// from core would load core (and io-ts, fp-ts, vscode-jsonrpc) at run time in every app that only
// wants the operators, which otherwise need nothing of core but its types.

/**
 * The members of the event union `E` whose `type` is one of `K`. When `E` is not a union of literal
 * types (a plain `{ type: string }` shape), nothing can be extracted, so the result is `E` with its
 * `type` narrowed to `K` instead of `never`.
 */
export type OfType<E extends { readonly type: string }, K extends string> = [Extract<E, { readonly type: K }>] extends [never]
  ? E & { readonly type: K }
  : Extract<E, { readonly type: K }>;

/**
 * Narrows a stream of events to the given types, with the matching TypeScript type.
 *
 * Passes on the events whose `type` is one of `types` and drops every other event.
 *
 * ```
 * source:  --a--b--c--a--|     (letters are event types)
 * ofType('a', 'c')
 * result:  --a-----c--a--|
 * ```
 *
 * Completes when the source completes, errors when it errors, and unsubscribes from the source when
 * the result is unsubscribed. It keeps no state.
 *
 * ## Example
 * ```ts
 * session.events$
 *   .pipe(ofType('assistant.message_delta', 'assistant.message'))
 *   .subscribe((event) => {
 *     if (event.type === 'assistant.message_delta') process.stdout.write(event.data.deltaContent);
 *   });
 * ```
 *
 * @see filter
 * @param types One or more event types to keep.
 * @return A function that returns an Observable of the events of the given types.
 */
export function ofType<E extends { readonly type: string }, K extends E['type']>(
  ...types: [K, ...K[]]
): OperatorFunction<E, OfType<E, K>> {
  const wanted = new Set<string>(types);
  return filter((event: E): event is OfType<E, K> => wanted.has(event.type));
}
