/**
 * Taps a live connection into a transcript: the bytes pass through unchanged, and every framed
 * message is recorded with its time and direction, in the format of the shared transcripts.
 */
import { Transform, type Readable, type Writable } from 'node:stream';
import type { Transport, TransportConnection } from '@copilot-rx/core';
import { FrameDecoder } from '../fakeAgent/rpc/framing.js';
import { saveTranscript, toJsonl, type TranscriptDirection, type TranscriptEntry } from './format.js';
import { redactSecrets } from './redactSecrets.js';

export interface RecordTranscriptConfig {
  /** Epoch milliseconds for `t`. Default `Date.now` (a scheduler's `now` fits too). */
  readonly clock?: () => number;
  /**
   * Write credentials into the transcript as sent (a provider's `apiKey`, `gitHubToken`, the
   * `connect` token...). Default false: their values are replaced by `[redacted]`, because
   * transcripts get shared. The bytes on the wire are never changed either way.
   */
  readonly keepSecrets?: boolean;
}

/** What a tap has recorded so far. */
export interface TranscriptRecorder {
  /** The entries, in wire order per direction and in arrival order across them. */
  readonly entries: readonly TranscriptEntry[];
  /** The entries as JSON Lines. */
  toJsonl(): string;
  /** Writes the entries to `file` as JSON Lines. */
  save(file: string): Promise<void>;
}

/** A client's stream pair: `readable` carries the CLI's bytes, `writable` takes the client's. */
export interface StreamPair {
  readonly readable: Readable;
  readonly writable: Writable;
}

/**
 * Records a connection.
 * - Given a stream pair, returns a tapped pair to hand to the client instead (plus the recorder).
 * - Given a core `Transport` (e.g. `stdioTransport(...)`), returns a transport whose connections are
 *   tapped, to pass as `new CopilotRxClient({ transport })`.
 *
 * Bytes that are not valid framing are passed on untouched; that direction stops being recorded and
 * one entry `{ msg: { transcriptError } }` says why.
 */
export function recordTranscript(pair: StreamPair, config?: RecordTranscriptConfig): StreamPair & { readonly recorder: TranscriptRecorder };
export function recordTranscript(transport: Transport, config?: RecordTranscriptConfig): Transport & { readonly recorder: TranscriptRecorder };
export function recordTranscript(
  target: StreamPair | Transport,
  config: RecordTranscriptConfig = {},
): (StreamPair | Transport) & { readonly recorder: TranscriptRecorder } {
  const recorder = new Recorder(config.clock ?? Date.now, config.keepSecrets ?? false);
  if (isTransport(target)) {
    return {
      kind: target.kind,
      recorder,
      open: async (): Promise<TransportConnection> => {
        const connection = await target.open();
        const tapped = tapPair(connection, recorder);
        // Delegating, not spreading: a connection may keep its fields behind getters or private state.
        return {
          readable: tapped.readable,
          writable: tapped.writable,
          get closed() {
            return connection.closed;
          },
          get connectionToken() {
            return connection.connectionToken;
          },
          get pid() {
            return connection.pid;
          },
          get port() {
            return connection.port;
          },
          get description() {
            return connection.description;
          },
          stderrTail: () => connection.stderrTail(),
          dispose: () => connection.dispose(),
          kill: () => connection.kill(),
        };
      },
    };
  }
  return { ...tapPair(target, recorder), recorder };
}

class Recorder implements TranscriptRecorder {
  readonly entries: TranscriptEntry[] = [];
  constructor(
    readonly clock: () => number,
    readonly keepSecrets: boolean,
  ) {}

  record(dir: TranscriptDirection, msg: unknown): void {
    // The decoder parsed `msg` for the recorder alone, so it is redacted in place.
    if (!this.keepSecrets) redactSecrets(msg);
    this.entries.push({ t: this.clock(), dir, msg });
  }

  toJsonl(): string {
    return toJsonl(this.entries);
  }

  save(file: string): Promise<void> {
    return saveTranscript(file, this.entries);
  }
}

function tapPair(pair: StreamPair, recorder: Recorder): StreamPair {
  const fromCli = tap('cli->client', recorder);
  pair.readable.pipe(fromCli);
  // pipe() forwards data and end, not failures or an abrupt close: pass those on too.
  pair.readable.on('error', (error: Error) => fromCli.destroy(error));
  pair.readable.on('close', () => {
    if (!fromCli.writableEnded) fromCli.end();
  });

  const toCli = tap('client->cli', recorder);
  toCli.pipe(pair.writable);
  pair.writable.on('error', (error: Error) => toCli.destroy(error));
  pair.writable.on('close', () => toCli.destroy());
  return { readable: fromCli, writable: toCli };
}

function tap(dir: TranscriptDirection, recorder: Recorder): Transform {
  const decoder = new FrameDecoder();
  let broken = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!broken) {
        try {
          for (const message of decoder.push(chunk)) recorder.record(dir, message);
        } catch (error) {
          // The recorder must never break the connection it watches.
          broken = true;
          recorder.record(dir, { transcriptError: error instanceof Error ? error.message : String(error) });
        }
      }
      done(null, chunk);
    },
  });
}

function isTransport(target: StreamPair | Transport): target is Transport {
  return typeof (target as Transport).open === 'function';
}
