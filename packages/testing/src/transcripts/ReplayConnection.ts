/**
 * One client connection replaying a transcript's CLI side. The transcript is walked in order: a
 * recorded client request waits until the client sends a request of the same method (the n-th
 * recorded `session.send` matches the client's n-th `session.send`); recorded CLI messages are sent
 * when reached, responses re-addressed to the client's own request ids, and the recorded session ids
 * replaced by the ones the client chose.
 */
import type { Readable, Writable } from 'node:stream';
import type { SchedulerLike } from 'rxjs';
import { encodeFrame, FrameDecoder, FramingError } from '../fakeAgent/rpc/framing.js';
import { classify, RpcErrorCode, type RequestId, type RpcRequest } from '../fakeAgent/rpc/messages.js';
import type { TranscriptEntry } from './format.js';
import { IdSubstitutions } from './idSubstitutions.js';

export interface ReplayPacing {
  /** 'asap': as fast as possible; 'recorded': the recorded gaps between messages, on `scheduler`. */
  readonly pace: 'asap' | 'recorded';
  readonly scheduler: SchedulerLike;
  /** End the stream after the last entry, as a CLI that exited would. */
  readonly endWhenDone: boolean;
}

/** How far a connection's replay got. */
export interface ReplayProgress {
  /** Resolves when every entry has been played. */
  readonly done: Promise<void>;
  /** Requests the client sent that the transcript has no (more) counterpart for; each got an error answer. */
  readonly unexpectedRequests: readonly string[];
  /** Entries played so far. */
  readonly played: number;
}

export class ReplayConnection implements ReplayProgress {
  readonly #entries: readonly TranscriptEntry[];
  readonly #writable: Writable;
  readonly #pacing: ReplayPacing;
  readonly #decoder = new FrameDecoder();
  readonly #queued: RpcRequest[] = [];
  readonly #ids = new Map<string, RequestId>();
  readonly #substitutions = new IdSubstitutions();
  readonly unexpectedRequests: string[] = [];
  #cursor = 0;
  #lastT: number | undefined;
  #sleeping = false;
  #open = true;
  #resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.#resolveDone = resolve));

  constructor(entries: readonly TranscriptEntry[], readable: Readable, writable: Writable, pacing: ReplayPacing) {
    this.#entries = entries;
    this.#writable = writable;
    this.#pacing = pacing;
    readable.on('data', (chunk: Buffer) => this.#onData(chunk));
    readable.on('close', () => (this.#open = false));
    readable.on('error', () => (this.#open = false));
    writable.on('error', () => (this.#open = false));
    this.#advance();
  }

  get played(): number {
    return this.#cursor;
  }

  #onData(chunk: Buffer): void {
    let messages: unknown[];
    try {
      messages = this.#decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FramingError)) throw error;
      this.#write({ jsonrpc: '2.0', id: null, error: { code: RpcErrorCode.ParseError, message: error.message } });
      return;
    }
    for (const message of messages) {
      const classified = classify(message);
      if (classified.kind !== 'request') continue; // client notifications and answers are not replayed against
      this.#onRequest(classified.message);
    }
  }

  #onRequest(request: RpcRequest): void {
    const queuedSame = this.#queued.filter((queued) => queued.method === request.method).length;
    if (queuedSame >= this.#recordedAhead(request.method)) {
      this.unexpectedRequests.push(request.method);
      this.#write({
        jsonrpc: '2.0',
        id: request.id,
        error: { code: RpcErrorCode.InternalError, message: `Replay: the transcript has no (more) ${request.method} request to answer this one with` },
      });
      return;
    }
    this.#queued.push(request);
    if (!this.#sleeping) this.#advance();
  }

  /** How many requests of `method` the rest of the transcript still expects. */
  #recordedAhead(method: string): number {
    let count = 0;
    for (let i = this.#cursor; i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (entry?.dir === 'client->cli' && isRequest(entry.msg) && entry.msg.method === method) count++;
    }
    return count;
  }

  #advance(): void {
    while (this.#open && this.#cursor < this.#entries.length) {
      const entry = this.#entries[this.#cursor] as TranscriptEntry;
      if (entry.dir === 'client->cli') {
        if (isRequest(entry.msg) && !this.#matchRecordedRequest(entry.msg)) return; // wait for the client
      } else {
        const delay = this.#pacing.pace === 'recorded' && this.#lastT !== undefined ? Math.max(0, entry.t - this.#lastT) : 0;
        if (delay > 0 && !this.#sleeping) {
          this.#sleeping = true;
          this.#pacing.scheduler.schedule(() => this.#wake(entry), delay);
          return;
        }
        this.#sleeping = false;
        this.#write(this.#readdressed(entry.msg));
      }
      this.#lastT = entry.t;
      this.#cursor++;
    }
    if (this.#cursor >= this.#entries.length) this.#finish();
  }

  #wake(entry: TranscriptEntry): void {
    // The gap is over: play the entry without waiting again, then go on.
    this.#lastT = entry.t;
    this.#advance();
  }

  /** Pairs a recorded request with the client's first queued one of the same method, if there is one. */
  #matchRecordedRequest(recorded: RpcRequest): boolean {
    const index = this.#queued.findIndex((queued) => queued.method === recorded.method);
    if (index < 0) return false;
    const [actual] = this.#queued.splice(index, 1) as [RpcRequest];
    this.#ids.set(JSON.stringify(recorded.id), actual.id);
    this.#substitutions.learn(recorded.params, actual.params);
    return true;
  }

  #readdressed(message: unknown): unknown {
    const substituted = this.#substitutions.apply(message);
    const record = substituted as { id?: unknown; method?: unknown };
    if (record.method === undefined && record.id !== undefined && record.id !== null) {
      const actual = this.#ids.get(JSON.stringify(record.id));
      if (actual !== undefined) return { ...record, id: actual };
    }
    return substituted;
  }

  #finish(): void {
    this.#resolveDone();
    if (this.#pacing.endWhenDone && this.#open) {
      this.#open = false;
      this.#writable.end();
    }
  }

  #write(message: unknown): void {
    if (!this.#open || this.#writable.writableEnded || this.#writable.destroyed) return;
    this.#writable.write(encodeFrame(message));
  }
}

function isRequest(message: unknown): message is RpcRequest {
  return classify(message).kind === 'request';
}
