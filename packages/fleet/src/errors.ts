/**
 * The fleet's errors: like core's, each has a stable `code`, and messages quote the bad input
 * (bounded: see quote.ts).
 */
import { CopilotRxError } from '@copilot-rx/core';
import { clip, quote } from './quote.js';

/** A host name or session id that cannot be one NATS subject token. */
export class InvalidSubjectTokenError extends CopilotRxError {
  readonly code = 'INVALID_SUBJECT_TOKEN';
  constructor(
    readonly field: 'host' | 'sessionId',
    readonly value: unknown,
  ) {
    super(`${field} must be 1 to 128 characters of A-Z, a-z, 0-9, '_' or '-' (one NATS subject token${field === 'sessionId' ? ", not '_'" : ''}). Got ${quote(value)}`);
  }
}

/** The codes a host's control service answers a refused request with. */
export type ControlErrorCode =
  | 'BAD_REQUEST'
  | 'UNKNOWN_VERB'
  | 'UNKNOWN_SESSION'
  | 'NO_PENDING_PROMPT'
  | 'CLI_ERROR'
  | 'HOST_STOPPING'
  /** A remote create asked for settings the host's `remoteConfig` does not let it choose. */
  | 'CONFIG_REFUSED'
  /** A remote send was dropped from the host's turn queue before it started (an abort or destroy of its session). */
  | 'ABORTED';

/** A control request the host refused, with the host's code and message. */
export class FleetControlError extends CopilotRxError {
  readonly code = 'FLEET_CONTROL_FAILED';
  constructor(
    readonly host: string,
    readonly verb: string,
    readonly reason: ControlErrorCode | 'NO_RESPONDERS' | 'PERMISSION_DENIED' | 'BAD_REPLY',
    detail: string,
  ) {
    super(`${verb} on host ${host} failed (${reason}): ${detail}`);
  }
}

/** A wait of the fleet ran out: what was waited for, and how long. */
export class FleetTimeoutError extends CopilotRxError {
  readonly code = 'FLEET_TIMEOUT';
  constructor(
    readonly waitedFor: string,
    readonly timeoutMs: number,
  ) {
    super(`Timed out after ${timeoutMs} ms waiting for ${waitedFor}`);
  }
}

/** A message on a fleet subject that did not fit its codec; reported, never thrown into a stream. */
export class FleetDecodeError extends CopilotRxError {
  readonly code = 'FLEET_DECODE_FAILED';
  constructor(
    readonly subject: string,
    readonly messages: readonly string[],
    readonly raw: unknown,
  ) {
    super(`A message on ${subject} did not decode: ${messages.slice(0, 3).join('; ')}. Got ${quote(raw)}`);
  }
}

/** A replay asked to start after an event id the stream does not hold (never published, or aged out). */
export class FleetEventNotFoundError extends CopilotRxError {
  readonly code = 'FLEET_EVENT_NOT_FOUND';
  constructor(
    readonly eventId: string,
    readonly subject: string,
  ) {
    super(`Event ${quote(eventId)} is not in the fleet stream on ${subject} (never published there, or past the stream's retention)`);
  }
}

/**
 * The host of a remote turn was seen down while the turn ran (its health record expired: killed,
 * power lost, cut off from the broker; or deleted: it stopped), so no end of the turn will come. What
 * the host's CLI did with the turn is unknown; the consumer sent it an abort in case it comes back.
 */
export class FleetHostDownError extends CopilotRxError {
  readonly code = 'FLEET_HOST_DOWN';
  constructor(
    readonly host: string,
    readonly sessionId: string,
    readonly downReason: 'stopped' | 'expired',
    /** Broker time (ms since the epoch) of the host's last heartbeat. */
    readonly lastSeen: number,
  ) {
    super(
      `Host ${host} went down during session ${sessionId}'s turn (${downReason === 'stopped' ? 'it stopped and deleted its health record' : `no heartbeat since ${new Date(lastSeen).toISOString()}, past its health TTL`}); the turn's end will not come`,
    );
  }
}

/**
 * The hosts watch a CopilotFleet's remote turns share failed (e.g. the user may control sessions but
 * not watch the hosts bucket). Reported once on `controlFailures$`; the turns go on without seeing
 * their host go down, so a turn of a host that dies ends only by its own bounds (`silenceTimeoutMs`).
 */
export class FleetHostsWatchError extends CopilotRxError {
  readonly code = 'FLEET_HOSTS_WATCH_FAILED';
  constructor(options: { cause: unknown }) {
    const cause = options.cause instanceof Error ? options.cause.message : quote(options.cause);
    super(`The hosts watch remote turns use to see their host go down failed (${clip(cause, 300)}); turns go on without host-down detection`, options);
  }
}

/**
 * A remote turn failed on its host after the CLI accepted the prompt, and the host said so (a
 * `turn.failed` record): its CLI died or was restarted under the turn, the client closed, the session
 * was destroyed. `reason` is the host's error code (core's, e.g. TURN_INTERRUPTED or CONNECTION_CLOSED;
 * UNKNOWN for an error without one), `detail` its message. The consumer makes one too, with reason
 * EVENTS_DROPPED, when the host's outbox dropped events of the session while the turn ran (the gap may
 * hold its idle). The agent's own error is core's SessionError, not this.
 */
export class FleetTurnFailedError extends CopilotRxError {
  readonly code = 'FLEET_TURN_FAILED';
  readonly detail: string;
  constructor(
    readonly host: string,
    readonly sessionId: string,
    readonly reason: string,
    detail: string,
  ) {
    // Bounded again here: the record's text is whatever the host sent.
    super(`Session ${sessionId}'s turn failed on host ${host} (${clip(reason, 64)}): ${clip(detail)}`);
    this.detail = clip(detail);
  }
}

/**
 * A record of a session that no message of the broker can carry: alone it is over the largest message
 * the host publishes (`maxMessageBytes`: the stream's max message size or the server's max_payload,
 * headers included, whichever is smaller), or the broker refused it as too large. It is not published
 * and the session's other records go on; an event is reported to consumers as an `events.dropped` gap.
 */
export class FleetMessageTooLargeError extends CopilotRxError {
  readonly code = 'FLEET_MESSAGE_TOO_LARGE';
  constructor(
    readonly sessionId: string,
    /** The event's id; undefined for a lifecycle record (then `recordType` names it). */
    readonly eventId: string | undefined,
    /** `'event'`, or the lifecycle record's type. */
    readonly recordType: string,
    /** Its size as a message: UTF-8 bytes of payload and headers. */
    readonly bytes: number,
    /** The largest message the host's outbox publishes. */
    readonly limitBytes: number,
    /** `'outbox'`: the host did not publish it; `'broker'`: the broker refused it (its own limit is lower). */
    readonly refusedBy: 'outbox' | 'broker',
    options?: { cause?: unknown },
  ) {
    const what = eventId === undefined ? `Lifecycle record ${recordType}` : `Event ${quote(eventId)}`;
    const why =
      refusedBy === 'outbox'
        ? `over the largest the broker takes (${limitBytes} bytes, headers included)`
        : `and the broker refused it as too large (${clip(String((options?.cause as Error | undefined)?.message ?? options?.cause), 200)}; the host's limit is ${limitBytes} bytes)`;
    super(`${what} of session ${sessionId} is ${bytes} bytes as a fleet message, ${why}: not published${eventId === undefined ? '' : ', consumers see an events.dropped gap'}`, options);
  }
}
