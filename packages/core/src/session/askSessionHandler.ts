/**
 * Asks one of a session's handlers for an answer under the session's rules: registered as a running
 * handler (a turn abort or the session's end reaches its `signal`), bounded by its `handlerTimeouts`
 * deadline, its answer checked by `decoder`; a failure is reported on `answerFailures$` and the safe
 * answer comes back in its place. The hooks, elicitation, exit-plan-mode and MCP OAuth answers go
 * through here, so they share the tool and permission handlers' machinery.
 */
import type * as t from 'io-ts';
import type { HandlerKind } from '../errors.js';
import type { Answer, HandlerContext } from './answer.js';
import { askHandler, type HandlerOutcome } from './askHandler.js';
import { handlerTimeout } from './config.js';
import { reportFailure, whileRunning, type ResponderContext } from './responder.js';

export interface SessionAsk<T> {
  readonly kind: HandlerKind;
  /** The wire method the answer goes out on (or comes back as), for the failure report. */
  readonly method: string;
  readonly requestId: string;
  /** What the answer is about, for messages ("elicitation request 7"). */
  readonly subject: string;
  readonly decoder: t.Decoder<unknown, T>;
  /** The safe answer, given why the handler produced none. */
  readonly fallback: (failure: Extract<HandlerOutcome<T>, { _tag: 'Failed' }>) => T;
}

export async function askSessionHandler<T>(
  context: ResponderContext,
  produce: (handlerContext: HandlerContext) => Answer<unknown>,
  ask: SessionAsk<T>,
): Promise<T> {
  const outcome = await whileRunning(context, (controller) =>
    askHandler(() => produce({ sessionId: context.id, signal: controller.signal }), ask.decoder, {
      handler: ask.kind,
      subject: ask.subject,
      timeoutMs: handlerTimeout(context.config, ask.kind),
      controller,
    }),
  );
  if (outcome._tag === 'Answered') return outcome.value;
  reportFailure(context, ask.method, ask.requestId, outcome);
  return ask.fallback(outcome);
}
