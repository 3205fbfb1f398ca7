import { filter, Subscription } from 'rxjs';
import type { RxSession } from '@copilot-rx/core';
import type { Backend } from '../backend/startBackend';
import { demoTools } from '../backend/demoTools';
import { describeError } from '../describeError';
import type { DashboardStore } from '../model/DashboardStore';
import { trackSession } from '../model/trackSession';
import { emptyRow } from '../model/view';
import { UnknownSessionError, type CreateSessionRequest, type DashboardSessions } from './DashboardSessions';
import type { Decision, PermissionBroker } from './PermissionBroker';

/**
 * The sessions of the dashboard: creates them with the backend's config and the broker as their
 * permission handler, feeds their patches into the store, and runs their turns. A turn is
 * `session.send()` subscribed here until it ends; how it went is in the events the page already shows
 * (a `session.error` fails the turn and is a notice in the transcript), so the subscription's own
 * error only adds a notice when no event said it (the connection closed, the send was refused).
 */
export class SessionManager implements DashboardSessions {
  readonly #sessions = new Map<string, RxSession>();
  readonly #subscriptions = new Subscription();
  #created = 0;

  constructor(
    private readonly backend: Backend,
    private readonly store: DashboardStore,
    private readonly broker: PermissionBroker,
  ) {}

  /** Creates a session and starts showing it; resolves with its id. A `host` is ignored: there is one CLI. */
  async create({ label }: CreateSessionRequest = {}): Promise<string> {
    const session = await this.backend.client.createSession(
      this.backend.sessionConfig({ tools: demoTools, onPermissionRequest: this.broker.handler, clientName: 'copilot-rx-dashboard' }),
    );
    this.#sessions.set(session.id, session);
    this.store.apply({
      kind: 'session-added',
      session: { id: session.id, label: label ?? `Session ${++this.#created}`, row: { ...emptyRow(this.backend.model), activity: 'idle' }, transcript: [], tools: [], permissions: [] },
    });
    this.#subscriptions.add(trackSession(session.id, this.backend.model, session.events$).subscribe({
      next: (patch) => this.store.apply(patch),
      error: (error: unknown) => this.#notice(session.id, `The session's stream ended: ${describeError(error)}`),
    }));
    // A prompt the CLI stopped waiting on (answered elsewhere, its turn aborted) leaves the broker.
    this.#subscriptions.add(
      session.events$.pipe(filter((event) => event.type === 'permission.completed')).subscribe({
        next: (event) => this.broker.release((event.data as { readonly requestId: string }).requestId),
        error: () => undefined,
      }),
    );
    return session.id;
  }

  /** Starts a turn; the CLI queues it when the session is busy. */
  send(sessionId: string, prompt: string): void {
    const session = this.#get(sessionId);
    const turn = session.send({ prompt }).subscribe({
      error: (error: unknown) => {
        // A session.error was already shown from the events; anything else was not.
        if ((error as { code?: unknown }).code !== 'SESSION_ERROR') this.#notice(sessionId, `The turn failed: ${describeError(error)}`);
      },
    });
    this.#subscriptions.add(turn);
  }

  /** Aborts the running turn (harmless when idle). */
  async abort(sessionId: string): Promise<void> {
    await this.#get(sessionId).abort();
  }

  /** Settles a permission prompt of a session; false when it is not pending any more. */
  decide(sessionId: string, requestId: string, decision: Decision): boolean {
    this.#get(sessionId);
    return this.broker.decide(sessionId, requestId, decision);
  }

  /** Stops showing and running everything (before the client stops). */
  dispose(): void {
    this.broker.releaseAll();
    this.#subscriptions.unsubscribe();
  }

  #get(sessionId: string): RxSession {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) throw new UnknownSessionError(sessionId);
    return session;
  }

  #notice(sessionId: string, text: string): void {
    this.store.apply({ kind: 'entry', sessionId, entry: { kind: 'notice', level: 'error', text } });
  }
}
