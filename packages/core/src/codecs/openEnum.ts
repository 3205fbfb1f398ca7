import * as t from 'io-ts';

/**
 * The known values of an enum, as TypeScript literals, plus any other string: `'a' | 'b' | (string & {})`.
 * Editors still complete the known values, and a value the schema does not list yet still type-checks.
 */
export type OpenEnum<Known extends string> = Known | (string & {});

/** The codec `openEnum(known)` returns (named, so generated declarations can say it briefly). */
export type OpenEnumC<Known extends string> = t.Type<OpenEnum<Known>, string, unknown>;

/**
 * A codec for an enum whose values grow between CLI releases: it accepts any string. The CLI sends
 * values the schema lacks (`abort.reason: "subagent_cancelled"`), and failing a whole event over one
 * new enum value would quarantine it for no gain (protocol.md §8).
 */
export function openEnum<const Known extends readonly string[]>(known: Known): OpenEnumC<Known[number]> {
  return new t.Type<OpenEnum<Known[number]>, string, unknown>(
    `OpenEnum<${known.map((value) => JSON.stringify(value)).join(' | ')}>`,
    (input): input is OpenEnum<Known[number]> => typeof input === 'string',
    (input, context) => (typeof input === 'string' ? t.success(input) : t.failure(input, context)),
    t.identity,
  );
}
