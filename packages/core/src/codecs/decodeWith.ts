import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { reportErrors } from './reportErrors.js';
import { ResponseDecodeError } from '../errors.js';

/**
 * Decodes a value that must have a codec's shape (an RPC result or server request params), or throws
 * a ResponseDecodeError naming the method and the io-ts paths that failed.
 */
export function decodeOrThrow<C extends t.Mixed>(codec: C, method: string, value: unknown): t.TypeOf<C> {
  const result = codec.decode(value);
  if (isLeft(result)) throw new ResponseDecodeError(method, reportErrors(result.left), value);
  return result.right;
}
