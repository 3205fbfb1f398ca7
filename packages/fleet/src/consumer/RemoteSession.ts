/**
 * One session on one host of the fleet, shaped like core's RxSession: `events$` (live), `send()` (a
 * cold turn that aborts on unsubscribe), `abort()`, `destroy()`; plus replays (`eventsFrom`) and the
 * answers to the agent's prompts, which a local session gives through its handlers.
 */
import { map, type Observable, type SchedulerLike } from 'rxjs';
import type { PermissionDecision, SendOptions, SessionEvent, UserInputResponse } from '@copilot-rx/core';
import { DEFAULT_SEND_TIMEOUT_MS, type ControlRequest } from './controlClient.js';
import type { FleetEvent, ReplayFrom } from './fleetEvents.js';
import type { HostStatus } from './hostsView.js';
import { remoteTurn } from './remoteTurn.js';
import type { SessionFeedItem } from './sessionFeed.js';

export interface RemoteSessionServices {
  readonly events: (from: ReplayFrom, onReady?: () => void) => Observable<FleetEvent>;
  readonly control: ControlRequest;
  /** The session's live events and lifecycle records in one read, for turns (a host's `turn.failed` ends one). */
  readonly feed: (onReady: () => void) => Observable<SessionFeedItem>;
  readonly reportAbortFailure: (error: unknown) => void;
  /** How long a turn's live read may take to be ready before its send goes out. Default: DEFAULT_SEND_TIMEOUT_MS (2 minutes). */
  readonly sendTimeoutMs?: number;
  /** Drives a turn's silence clock. Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** The fleet's one shared hosts watch: a turn whose host goes down fails instead of waiting. */
  readonly hosts$: Observable<readonly HostStatus[]>;
}

export class RemoteSession {
  constructor(
    readonly host: string,
    readonly id: string,
    private readonly services: RemoteSessionServices,
  ) {}

  /** This session's events from now on, in order, decoded and de-duplicated. Cold: one broker consumer a subscription. */
  get events$(): Observable<SessionEvent> {
    return this.eventsFrom('live');
  }

  /** The session's events from the start of what the stream holds, after a given event id, or live. */
  eventsFrom(from: ReplayFrom): Observable<SessionEvent> {
    return this.services.events(from).pipe(map(({ event }) => event));
  }

  /**
   * One turn, like a local `session.send()`: sends when subscribed, emits the turn's events up to and
   * including `session.idle`, completes; unsubscribing early aborts it on the host. Fails with
   * FleetHostDownError when the host is seen down before the turn ends, with FleetTurnFailedError
   * when the host reports the turn failed after it started (docs/fleet.md, "How a remote turn ends").
   * With `silenceTimeoutMs`, fails with core's TurnSilenceError (and aborts the turn on the host) when
   * no event arrives for that long after the host accepted the send, not counting the time a prompt a
   * person answers (a permission, user input, an elicitation, an MCP sign-in) waits, up to 10 minutes
   * a prompt.
   * @throws RangeError for a `silenceTimeoutMs` that is not a positive number.
   */
  send(options: Pick<SendOptions, 'prompt' | 'mode' | 'attachments' | 'silenceTimeoutMs'> | string): Observable<SessionEvent> {
    const { silenceTimeoutMs, ...body } = typeof options === 'string' ? { prompt: options } : options;
    return remoteTurn({
      silenceTimeoutMs,
      scheduler: this.services.scheduler,
      host: this.host,
      sessionId: this.id,
      readyTimeoutMs: this.services.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      hosts$: this.services.hosts$,
      feed: this.services.feed,
      // The host names the turn in its turn.failed record, which the turn reads on its feed.
      send: (turnId) => this.services.control(this.host, 'send', this.id, { ...body, turnId }),
      abort: () => this.abort(),
      reportAbortFailure: this.services.reportAbortFailure,
    });
  }

  async abort(): Promise<void> {
    await this.services.control(this.host, 'abort', this.id, {});
  }

  /** Answers a `permission.requested` event of this session (its `data.requestId`). */
  async answerPermission(requestId: string, decision: PermissionDecision): Promise<void> {
    await this.services.control(this.host, 'answerPermission', this.id, { requestId, decision });
  }

  /** Answers a user-input prompt (`SessionStatus.userInput.requestId`). */
  async answerUserInput(requestId: string, response: UserInputResponse): Promise<void> {
    await this.services.control(this.host, 'answerUserInput', this.id, { requestId, response });
  }

  async destroy(): Promise<void> {
    await this.services.control(this.host, 'destroy', this.id, {});
  }
}
