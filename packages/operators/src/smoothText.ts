import { asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { createOperatorSubscriber, operate } from './internal/operate.js';

/**
 * How `smoothText` cuts its buffer: `'word'` (a word and the whitespace after it), `'line'` (up to and
 * including a run of newlines), a RegExp (the text up to and including its first match), or a
 * function that returns the prefix of the buffer to emit next, or `null`/`undefined` to wait for more.
 */
export type SmoothTextChunking = 'word' | 'line' | RegExp | ((buffer: string) => string | null | undefined);

export interface SmoothTextConfig {
  /** How to cut the text into the pieces that are paced. Default `'word'`. */
  readonly chunking?: SmoothTextChunking;
  /** The pause after each emitted piece, in ms. Default `10`; `0` emits every complete piece at once. */
  readonly delayMs?: number;
  /** Schedules the pauses. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const chunkPatterns = { word: /\S+\s+/, line: /\n+/ };

function detector(chunking: SmoothTextChunking): (buffer: string) => string | null | undefined {
  if (typeof chunking === 'function') return chunking;
  // hasOwn, not a lookup alone: 'toString' would find Object.prototype.toString.
  const pattern = typeof chunking === 'string' ? (Object.hasOwn(chunkPatterns, chunking) ? chunkPatterns[chunking] : undefined) : chunking;
  if (!(pattern instanceof RegExp)) throw new RangeError(`smoothText chunking must be word, line, a RegExp or a function. Got ${String(chunking)}`);
  // A global or sticky RegExp keeps `lastIndex` between calls; a copy without those flags does not.
  const regexp = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return (buffer) => {
    const match = regexp.exec(buffer);
    return match === null ? null : buffer.slice(0, match.index + match[0].length);
  };
}

/** Characters of the buffer, or of what a chunking function returned, that an error quotes. */
const QUOTE_CHARS = 80;

/**
 * `value` for an error message, bounded: the buffer is streamed text and can be megabytes, and a
 * chunking function may return anything. (Core's quoteValue does this for core; operators loads nothing of core.)
 */
function quote(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : `a value of type ${typeof value}`;
  return value.length <= QUOTE_CHARS ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, QUOTE_CHARS))}…`;
}

/**
 * Re-paces streamed text for a typing effect, like the AI SDK's `smoothStream`.
 *
 * Buffers the incoming strings, cuts the buffer into pieces (words by default) and emits one piece,
 * then pauses `delayMs` before the next; text that does not make a whole piece yet waits for more.
 *
 * ```
 * source:  -a--------|            a = 'one two three'
 * smoothText({ delayMs: 3 })
 *          -|--|--!               the pause after each piece
 * result:  -x--y-----(z|)         x = 'one ', y = 'two ', z = 'three' (waits: it may go on)
 * ```
 *
 * Never loses text: when the source completes, the pieces still buffered keep their pace and the
 * rest (an unfinished word) is emitted last, then the result completes. When the source errors,
 * everything buffered is emitted at once, then the error. Unsubscribing drops the buffer and cancels
 * the pause. A chunking function that throws, or that returns something other than a non-empty
 * prefix of the buffer (an empty match would loop forever), errors the result.
 *
 * ## Example
 * ```ts
 * session.events$
 *   .pipe(
 *     ofType('assistant.message_delta'),
 *     map((event) => event.data.deltaContent),
 *     smoothText({ chunking: 'word', delayMs: 15 }),
 *   )
 *   .subscribe((piece) => process.stdout.write(piece));
 * ```
 *
 * @see bufferDeltas
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/smooth-stream
 * @param config Chunking, pause and scheduler; defaults: words, 10 ms, `asyncScheduler`.
 * @return A function that returns an Observable of the same text, re-cut and paced.
 */
export function smoothText(config: SmoothTextConfig = {}): OperatorFunction<string, string> {
  const { chunking = 'word', delayMs = 10, scheduler = asyncScheduler } = config;
  if (!(delayMs >= 0)) throw new RangeError(`smoothText delayMs must be a non-negative number. Got ${delayMs}`);
  const detect = detector(chunking);

  return operate<string, string>((source, subscriber) => {
    let buffer = '';
    let pause: Subscription | undefined;
    let sourceDone = false;

    const nextPiece = (): string | undefined => {
      if (buffer === '') return undefined;
      const piece = detect(buffer);
      if (piece === null || piece === undefined) return undefined;
      if (typeof piece !== 'string' || piece === '' || !buffer.startsWith(piece)) {
        throw new TypeError(`smoothText chunking must return a non-empty prefix of the buffer. Got ${quote(piece)} for ${quote(buffer)}`);
      }
      return piece;
    };

    // Emits pieces until a pause starts (or, with delayMs 0, until no whole piece is left). Emitting
    // may synchronously unsubscribe us, hence the `closed` checks, and the pause is scheduled before
    // the piece is emitted so that the teardown finds it to cancel it.
    const drain = (): void => {
      try {
        while (pause === undefined && !subscriber.closed) {
          const piece = nextPiece();
          if (piece === undefined) break;
          buffer = buffer.slice(piece.length);
          if (delayMs > 0) pause = scheduler.schedule(endPause, delayMs);
          subscriber.next(piece);
        }
      } catch (err) {
        subscriber.error(err);
        return;
      }
      if (sourceDone && (pause === undefined || buffer === '')) {
        if (buffer !== '') subscriber.next(buffer);
        buffer = '';
        subscriber.complete();
      }
    };
    const endPause = (): void => {
      pause = undefined;
      drain();
    };

    source.subscribe(
      createOperatorSubscriber(subscriber, {
        next: (text) => {
          buffer += text;
          drain();
        },
        error: (err) => {
          if (buffer !== '') subscriber.next(buffer);
          buffer = '';
          subscriber.error(err);
        },
        // Only the source has ended: the result stays open while buffered pieces keep their pace.
        complete: () => {
          sourceDone = true;
          drain();
        },
      }),
    );

    return () => {
      pause?.unsubscribe();
      buffer = '';
    };
  });
}
