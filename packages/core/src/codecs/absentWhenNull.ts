import * as t from 'io-ts';

/**
 * An optional field that the CLI may also send as `null`: `null` decodes as absent (`undefined`), so
 * the TypeScript type stays the schema's `X | undefined`. The schema marks such fields optional, but
 * the wire carries `null` for several of them (`session.model_change.previousModel: null`).
 */
export function absentWhenNull<C extends t.Mixed>(codec: C): AbsentWhenNullC<C> {
  return new t.Type<t.TypeOf<C> | undefined, t.OutputOf<C> | undefined, unknown>(
    codec.name,
    (input): input is t.TypeOf<C> | undefined => input === undefined || codec.is(input),
    (input, context) => (input === null ? t.success(undefined) : codec.validate(input, context)),
    (value) => (value === undefined ? undefined : codec.encode(value)),
  );
}

/** The codec `absentWhenNull(codec)` returns (named, so generated declarations can say it briefly). */
export type AbsentWhenNullC<C extends t.Mixed> = t.Type<t.TypeOf<C> | undefined, t.OutputOf<C> | undefined, unknown>;
