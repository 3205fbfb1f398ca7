/**
 * The host's control service: NATS request-reply on `copilot.<host>.*.control.*`. Each request is
 * decoded by its verb's codec before anything acts on it, and every outcome is a reply: a result or a
 * typed error (`{ ok: false, error: { code, message } }`). Who may send these is decided by NATS's
 * subject permissions (docs/fleet.md), not here.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ControlErrorCode } from '../errors.js';
import { CONTROL_VERBS, hostControlWildcard, parseSubject, type ControlVerb } from '../subjects.js';
import { ControlRequests, type ControlReply } from '../wire/control.js';
import { quote } from '../quote.js';
import { reportErrors } from '../wire/reportErrors.js';

/** A refusal the handler raises to choose the reply's code. */
export class ControlRefusal extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ControlHandler = (verb: ControlVerb, sessionId: string, request: unknown) => Promise<Record<string, unknown>>;

/** Largest request body decoded; a bigger one is refused unread. */
const MAX_REQUEST_BYTES = 256 * 1024;

export function serveControl(nc: NatsConnection, host: string, handle: ControlHandler, onFailure: (error: unknown) => void): Subscription {
  return nc.subscribe(hostControlWildcard(host), {
    // Runs on input from the network: nothing it throws may escape into the NATS client's read loop.
    callback: (error, msg) => {
      if (error) return onFailure(error);
      void answer(msg, handle).catch(onFailure);
    },
  });
}

async function answer(msg: Msg, handle: ControlHandler): Promise<void> {
  const reply = await outcome(msg, handle);
  if (msg.reply) msg.respond(JSON.stringify(reply));
}

async function outcome(msg: Msg, handle: ControlHandler): Promise<ControlReply> {
  const parsed = parseSubject(msg.subject);
  const verb = parsed?.verb as ControlVerb | undefined;
  if (!parsed || !verb || !CONTROL_VERBS.includes(verb)) return refuse('UNKNOWN_VERB', `No control verb at ${quote(msg.subject)}; verbs: ${CONTROL_VERBS.join(', ')}`);
  if (msg.data.length > MAX_REQUEST_BYTES) return refuse('BAD_REQUEST', `${verb}: the request is ${msg.data.length} bytes, over the ${MAX_REQUEST_BYTES} byte limit`);
  let body: unknown;
  try {
    body = msg.data.length === 0 ? {} : JSON.parse(msg.string());
  } catch {
    return refuse('BAD_REQUEST', `${verb}: the request is not JSON: ${quote(msg.string())}`);
  }
  const decoded = ControlRequests[verb].decode(body);
  if (isLeft(decoded)) return refuse('BAD_REQUEST', `${verb}: ${reportErrors(decoded.left).join('; ')}`);
  try {
    return { ok: true, result: await handle(verb, parsed.sessionId, decoded.right) };
  } catch (error) {
    if (error instanceof ControlRefusal) return refuse(error.code, error.message);
    return refuse('CLI_ERROR', `${verb}: ${error instanceof Error ? error.message : quote(error)}`);
  }
}

function refuse(code: ControlErrorCode, message: string): ControlReply {
  return { ok: false, error: { code, message } };
}
