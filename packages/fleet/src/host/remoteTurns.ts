/**
 * Remote sends run as this process's own turns: `session.send()`, so they wait in the client's
 * `maxConcurrentTurns` queue (`turnQueue$` counts them), mark the session busy, and fail the way a
 * local send fails. The host holds each turn until it ends (its slot stays taken until then) and
 * answers the control request once the CLI accepted the prompt, or with the turn's error when it
 * failed before that (a refused send, the client closed while the turn waited).
 *
 * A remote abort drops the session's remote turns that still wait in the queue (they sent nothing;
 * their requests are answered ABORTED) and then aborts what runs, as an unsubscribed local turn
 * leaves the queue. A destroy drops them all; a stopping host drops the waiting ones.
 *
 * A turn that fails after its request was answered (the CLI died or was restarted under it, the
 * client closed, the agent's error, a destroy dropped it) goes to `onFailed` with the consumer's
 * `turnId`: the consumer is waiting for an end that its events may never bring, so the host tells it.
 */
import type { RxSession, SendOptions } from '@copilot-rx/core';
import { Subscription } from 'rxjs';
import type { ControlErrorCode } from '../errors.js';
import { ControlRefusal } from './controlService.js';

interface RemoteTurn {
  readonly turnId: string | undefined;
  readonly subscription: Subscription;
  /** The CLI accepted its prompt: it runs (or ran), and its request was answered. */
  sent: boolean;
  readonly drop: (refusal: ControlRefusal) => void;
}

export type RemoteSend = Pick<SendOptions, 'prompt' | 'mode' | 'attachments'> & { readonly turnId?: string };

/** A turn that failed after its request was answered: its session, the consumer's id for it, the error. */
export type TurnFailure = (sessionId: string, turnId: string | undefined, error: unknown) => void;

export class RemoteTurns {
  readonly #bySession = new Map<string, Set<RemoteTurn>>();
  /** Each session's remote turn that ended last: its idle may still reach the outbox after the turn ended here. */
  readonly #lastEnded = new Map<string, string | undefined>();

  /** @param onFailed A turn's failure after its request was answered (see the header). */
  constructor(private readonly onFailed: TurnFailure) {}

  /** Runs the send as a local turn; resolves with the CLI's answer once it accepted the prompt. */
  send(session: RxSession, request: RemoteSend): Promise<Record<string, unknown>> {
    const { turnId, ...options } = request;
    return new Promise((resolve, reject) => {
      const turns = this.#bySession.get(session.id) ?? new Set<RemoteTurn>();
      this.#bySession.set(session.id, turns);
      const entry: RemoteTurn = {
        turnId,
        subscription: new Subscription(),
        sent: false,
        drop: (refusal) => {
          forget();
          entry.subscription.unsubscribe();
          // A running turn ends here without an error of its own (unsubscribing aborts it on the CLI).
          if (entry.sent) this.onFailed(session.id, turnId, refusal);
          else reject(refusal);
        },
      };
      const forget = () => {
        if (turns.delete(entry)) this.#lastEnded.set(session.id, turnId);
        if (turns.size === 0 && this.#bySession.get(session.id) === turns) this.#bySession.delete(session.id);
      };
      turns.add(entry);
      const onSent = (answer: unknown) => {
        entry.sent = true;
        resolve({ messageId: (answer as { messageId?: unknown } | null)?.messageId ?? null });
      };
      // Added to the entry's subscription, so a turn that ends synchronously (a closed queue) is
      // still forgotten and a drop still reaches a turn that is running.
      entry.subscription.add(
        session.send({ ...options, onSent }).subscribe({
          error: (error: unknown) => {
            forget();
            if (!entry.sent) return reject(error);
            this.onFailed(session.id, turnId, error);
          },
          complete: () => {
            forget();
            // The turn ended before the CLI's answer came (a fast turn): it ran.
            if (!entry.sent) resolve({ messageId: null });
          },
        }),
      );
    });
  }

  /**
   * The consumers' ids of the session's remote turns that events dropped now may belong to: those held
   * (waiting or running) and the one that ended last. Undefined when one of them came without an id,
   * so nobody can say which turns a gap cut into.
   */
  turnIds(sessionId: string): readonly string[] | undefined {
    const ids: (string | undefined)[] = [...(this.#bySession.get(sessionId) ?? [])].map((turn) => turn.turnId);
    if (this.#lastEnded.has(sessionId)) ids.push(this.#lastEnded.get(sessionId));
    return ids.every((id) => id !== undefined) ? ids : undefined;
  }

  /** The session ended: nothing of it is kept. */
  forget(sessionId: string): void {
    this.#lastEnded.delete(sessionId);
  }

  /** Drops the session's turns that wait in the queue; their requests are answered with `code`. */
  dropWaiting(sessionId: string, code: ControlErrorCode, why: string): void {
    for (const turn of [...(this.#bySession.get(sessionId) ?? [])]) if (!turn.sent) turn.drop(new ControlRefusal(code, why));
  }

  /** Drops every turn of the session, running ones included (unsubscribing a running turn aborts it). */
  dropAll(sessionId: string, code: ControlErrorCode, why: string): void {
    for (const turn of [...(this.#bySession.get(sessionId) ?? [])]) turn.drop(new ControlRefusal(code, why));
  }

  /** Drops every waiting turn of every session (the host stops). */
  dropAllWaiting(code: ControlErrorCode, why: string): void {
    for (const sessionId of [...this.#bySession.keys()]) this.dropWaiting(sessionId, code, why);
  }
}
