/**
 * Plays a recorded CLI side back to a client, so a bug seen in the field becomes a test: record the
 * connection with `recordTranscript`, then replay it against the code under test.
 */
import type { Readable, Writable } from 'node:stream';
import type { TransportCloseInfo } from '@copilot-rx/core';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { inMemoryPipes, type InMemoryConnection } from '../fakeAgent/transports/inMemory.js';
import { listenTcp, type FakeAgentServer } from '../fakeAgent/transports/tcp.js';
import { loadTranscript, type TranscriptEntry } from './format.js';
import { ReplayConnection, type ReplayProgress } from './ReplayConnection.js';

export interface ReplayTranscriptConfig {
  /** `'asap'` (default): as fast as the client reads; `'recorded'`: the recorded gaps between messages. */
  readonly pace?: 'asap' | 'recorded';
  /** The clock of the recorded gaps. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** End the stream after the last entry, as a CLI that exited would. Default false (stay open). */
  readonly endWhenDone?: boolean;
}

/** A client's in-memory end of a replay, with the replay's progress. */
export type ReplayedConnection = InMemoryConnection & { readonly replay: ReplayProgress };

/** A transcript ready to be replayed; every connection replays it from the start. */
export class TranscriptReplay {
  readonly #entries: readonly TranscriptEntry[];
  readonly #config: Required<ReplayTranscriptConfig>;

  constructor(entries: readonly TranscriptEntry[], config: ReplayTranscriptConfig = {}) {
    this.#entries = entries;
    this.#config = { pace: config.pace ?? 'asap', scheduler: config.scheduler ?? asyncScheduler, endWhenDone: config.endWhenDone ?? false };
  }

  /** The recorded entries. */
  get entries(): readonly TranscriptEntry[] {
    return this.#entries;
  }

  /** A client connection over in-memory streams (e.g. for core's `streamTransport`). */
  connectInMemory(): ReplayedConnection {
    const { client, agent } = inMemoryPipes();
    const replay = this.serve(agent.readable, agent.writable);
    const closed = new Promise<TransportCloseInfo>((resolve) => {
      const ended = () => resolve({ reason: 'the replay ended', exitCode: null, signal: null });
      agent.writable.once('close', ended);
      agent.writable.once('finish', ended);
    });
    return { ...client, closed, replay };
  }

  /** Replays to a client over any pair of streams. */
  serve(readable: Readable, writable: Writable): ReplayProgress {
    return new ReplayConnection(this.#entries, readable, writable, this.#config);
  }

  /** Listens on 127.0.0.1; each accepted connection gets its own replay. */
  listen(options: { readonly port?: number } = {}): Promise<FakeAgentServer> {
    return listenTcp(options.port ?? 0, (socket) => void this.serve(socket, socket));
  }
}

/**
 * Loads a transcript (a JSONL file in the format `recordTranscript` writes, or entries) for replay.
 *
 * Matching: the n-th recorded request of a method is answered when the client sends its n-th request
 * of that method, with the client's request id; session ids are rewritten to the client's. A request
 * the rest of the transcript has no counterpart for is answered at once with an error, and listed in
 * `replay.unexpectedRequests`.
 */
export async function replayTranscript(source: string | readonly TranscriptEntry[], config: ReplayTranscriptConfig = {}): Promise<TranscriptReplay> {
  const entries = typeof source === 'string' ? await loadTranscript(source) : source;
  return new TranscriptReplay(entries, config);
}
