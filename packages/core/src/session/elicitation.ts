/**
 * Elicitation: the agent (or an MCP server) asks the user to fill in a form or to open a URL, with an
 * `elicitation.requested` event; copilot-rx answers with `session.ui.handlePendingElicitation`. The
 * CLI only asks a client that says it can (`requestElicitation`), which copilot-rx says exactly when
 * the session has `onElicitation`. A handler that fails, answers garbage or misses its deadline
 * (`handlerTimeouts.elicitation`, default 5 minutes) gets "cancel" sent in its place: nothing is
 * submitted on the user's behalf.
 */
import * as t from 'io-ts';
import type { SessionEventData, SessionEventOf } from '../codecs/sessionEvent.js';
import type { Answer, HandlerContext } from './answer.js';
import { askSessionHandler } from './askSessionHandler.js';
import { answer, type ResponderContext } from './responder.js';

export type ElicitationRequest = SessionEventData<'elicitation.requested'>;

/** The user's answer: "accept" with the form's `content`, "decline" or "cancel". */
export const ElicitationAnswer = t.intersection(
  [
    t.type({ action: t.keyof({ accept: null, decline: null, cancel: null }) }),
    t.partial({ content: t.record(t.string, t.unknown) }),
  ],
  'ElicitationAnswer',
);
export type ElicitationAnswer = t.TypeOf<typeof ElicitationAnswer>;

export type ElicitationHandler = (request: ElicitationRequest, context: HandlerContext) => Answer<ElicitationAnswer>;

export const ELICITATION_METHOD = 'session.ui.handlePendingElicitation';

/** The safe answer, sent in place of a handler that gave none: nothing is submitted on the user's behalf. */
export const ELICITATION_CANCELLED: ElicitationAnswer = { action: 'cancel' };

/** Answers one elicitation request, when the session has a handler (else another client may). */
export async function answerElicitation(context: ResponderContext, event: SessionEventOf<'elicitation.requested'>): Promise<void> {
  const handler = context.config.onElicitation;
  if (!handler) return;
  const request = event.data;
  const result = await askSessionHandler(context, (handlerContext) => handler(request, handlerContext), {
    kind: 'elicitation',
    method: ELICITATION_METHOD,
    requestId: request.requestId,
    subject: `elicitation request ${request.requestId}`,
    decoder: ElicitationAnswer,
    fallback: () => ELICITATION_CANCELLED,
  });
  answer(context, ELICITATION_METHOD, request.requestId, { result });
}
