/**
 * Control requests from a consumer: one NATS request, bounded by `timeoutMs`, whose reply is decoded
 * and turned into a result or a typed FleetControlError (the host's code, or NO_RESPONDERS when no
 * host serves that subject, PERMISSION_DENIED when NATS refused this user the subject).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { FleetControlError, FleetTimeoutError, type ControlErrorCode } from '../errors.js';
import { controlSubject, type ControlVerb } from '../subjects.js';
import { ControlReplyCodec } from '../wire/control.js';
import { reportErrors } from '../wire/reportErrors.js';

export type ControlRequest = (host: string, verb: ControlVerb, sessionId: string | undefined, body: object) => Promise<Record<string, unknown>>;

/** How long a remote send waits for its turn to start on the host (and its live read to be ready). */
export const DEFAULT_SEND_TIMEOUT_MS = 120_000;

export interface ControlTimeouts {
  /** Every verb but send. */
  readonly controlMs: number;
  /** A send is answered once the turn started on the host, after its wait in the host's turn queue. */
  readonly sendMs: number;
}

export function controlClient(nc: NatsConnection, timeouts: ControlTimeouts): ControlRequest {
  return async (host, verb, sessionId, body) => {
    const subject = controlSubject(host, verb, sessionId);
    const timeoutMs = verb === 'send' ? timeouts.sendMs : timeouts.controlMs;
    let text: string;
    try {
      text = (await nc.request(subject, JSON.stringify(body), { timeout: timeoutMs })).string();
    } catch (error) {
      throw translate(error, host, verb, subject, timeoutMs);
    }
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      throw new FleetControlError(host, verb, 'BAD_REPLY', 'the reply is not JSON');
    }
    const decoded = ControlReplyCodec.decode(reply);
    if (isLeft(decoded)) throw new FleetControlError(host, verb, 'BAD_REPLY', reportErrors(decoded.left).join('; '));
    if (decoded.right.ok) return decoded.right.result;
    throw new FleetControlError(host, verb, decoded.right.error.code as ControlErrorCode, decoded.right.error.message);
  };
}

function translate(error: unknown, host: string, verb: string, subject: string, timeoutMs: number): Error {
  if (error instanceof errors.NoRespondersError) return new FleetControlError(host, verb, 'NO_RESPONDERS', `no host serves ${subject} (is ${host} up?)`);
  if (error instanceof errors.PermissionViolationError) return new FleetControlError(host, verb, 'PERMISSION_DENIED', `NATS does not allow this user to publish to ${subject}`);
  if (error instanceof errors.TimeoutError) {
    const waitedFor = verb === 'send' ? `host ${host} to start the turn (sendTimeoutMs; its turn queue may hold it)` : `the reply of host ${host} to ${verb}`;
    return new FleetTimeoutError(waitedFor, timeoutMs);
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== error) return translate(cause, host, verb, subject, timeoutMs);
  return error instanceof Error ? error : new Error(String(error));
}
