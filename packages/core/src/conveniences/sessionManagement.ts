/**
 * Session management, the official SDK's `listSessions`, `deleteSession`, `getSessionMetadata`,
 * `getLastSessionId`, `get/setForegroundSessionId`: each a Call (a Promise, or `.$` for a cold
 * Observable) over the typed `client.rpc.sessions.*` where the schema has the method, and over the
 * SDK's own wire method, decoded by a hand-written codec, where it does not (the foreground session).
 *
 * The CLI only knows a session on disk once its first message is persisted: a brand-new session is
 * neither listed nor has metadata yet.
 */
import { map, tap } from 'rxjs';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import type { LocalSessionMetadataValue, SessionListEntry, SessionListFilter } from '../codecs/generated/api/index.js';
import { call, type Call } from './call.js';
import type { ClientSurface } from './clientSurface.js';
import { ForegroundChange, ForegroundSession, RequestRefusedError } from './unlistedMethods.js';

export interface SessionManagement {
  /** Saved sessions, most recently modified first, optionally narrowed by working directory, repository or branch. */
  readonly listSessions: Call<[filter?: SessionListFilter], readonly SessionListEntry[]>;
  /**
   * Deletes a session and its history from disk for good (to only detach, `session.destroy()`). A
   * session attached on this client is then released; its `events$` completes.
   */
  readonly deleteSession: Call<[sessionId: string], void>;
  /** A saved session's metadata; undefined when the CLI has none (unknown, or no message persisted yet). */
  readonly getSessionMetadata: Call<[sessionId: string], LocalSessionMetadataValue | undefined>;
  /** The most recently modified saved session's id; undefined when there is none. */
  readonly getLastSessionId: Call<[], string | undefined>;
  /** The session the CLI's terminal UI shows; undefined in headless mode (always, for a spawned CLI). */
  readonly getForegroundSessionId: Call<[], string | undefined>;
  /** Asks the CLI's terminal UI to show a session; RequestRefusedError when it cannot (headless mode). */
  readonly setForegroundSessionId: Call<[sessionId: string], void>;
}

export function sessionManagement(client: ClientSurface, release: (sessionId: string) => void): SessionManagement {
  return {
    listSessions: call((filter?: SessionListFilter) =>
      client.rpc.sessions.list.$(filter === undefined ? {} : { filter }).pipe(map((list) => list.sessions)),
    ),
    // Released after the CLI deleted it: a refused delete leaves the attachment as it was.
    deleteSession: call((sessionId: string) => client.rpc.sessions.delete.$({ sessionId }).pipe(tap(() => release(sessionId)))),
    getSessionMetadata: call((sessionId: string) =>
      client.rpc.sessions.getMetadata.$({ sessionId }).pipe(map((result) => result.session)),
    ),
    getLastSessionId: call(() => client.rpc.sessions.getLastForContext.$({}).pipe(map((result) => result.sessionId))),
    getForegroundSessionId: call(() =>
      client
        .request$('session.getForeground', {})
        .pipe(map((raw) => decodeOrThrow(ForegroundSession, 'session.getForeground', raw).sessionId)),
    ),
    setForegroundSessionId: call((sessionId: string) =>
      client.request$('session.setForeground', { sessionId }).pipe(
        map((raw) => {
          const answer = decodeOrThrow(ForegroundChange, 'session.setForeground', raw);
          if (!answer.success) throw new RequestRefusedError('session.setForeground', answer.error ?? 'no reason given');
        }),
      ),
    ),
  };
}
