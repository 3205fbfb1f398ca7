import { CopilotRxError } from '../errors.js';

/**
 * A consumer read more slowly than the Observable produced, and the bounded buffer between them
 * filled up. An Observable cannot be paused, so the interop adapters hold what the consumer has not
 * taken yet, up to a limit, and then fail loudly instead of growing without bound or dropping values.
 */
export class BufferOverflowError extends CopilotRxError {
  readonly code = 'BUFFER_OVERFLOW';

  constructor(
    /** Which adapter overflowed, e.g. `toAsyncIterable`. */
    readonly adapter: string,
    /** The limit that was passed, in the unit of `unit`. */
    readonly limit: number,
    readonly unit: 'values' | 'bytes',
  ) {
    super(
      `${adapter}: the consumer fell more than ${limit} ${unit} behind the Observable. ` +
        'Read faster, coalesce upstream (bufferDeltas, throttleTime), or raise the limit.',
    );
  }
}
