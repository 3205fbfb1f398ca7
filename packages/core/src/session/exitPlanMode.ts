/**
 * Leaving plan mode: the agent has a plan and asks to start acting on it. A client that says it
 * decides (`requestExitPlanMode: true`) is asked directly with `exitPlanMode.request`, answered in
 * place. CLI 1.0.102 also broadcasts the same request as an `exit_plan_mode.requested` event; that one
 * is left alone, as the official SDK does, so the app's handler runs once per plan. Acting on a plan changes
 * things, so it needs the app's say: without `onExitPlanMode` the CLI is not asked to route the
 * question here (`requestExitPlanMode: false`), and a handler that fails, answers garbage or misses its
 * deadline (`handlerTimeouts.exitPlanMode`, default 5 minutes) gets "not approved" in its place.
 */
import type * as t from 'io-ts';
import { UIExitPlanModeResponse } from '../codecs/generated/api/index.js';
import type { SessionEventData } from '../codecs/sessionEvent.js';
import { errorMessage, type Answer, type HandlerContext } from './answer.js';
import { askSessionHandler } from './askSessionHandler.js';
import type { ResponderContext } from './responder.js';

/** The plan: `summary`, `planContent`, the `actions` offered and the `recommendedAction`. */
export type ExitPlanModeRequest = Omit<SessionEventData<'exit_plan_mode.requested'>, 'requestId'> & {
  /** Empty: the direct `exitPlanMode.request` carries none. */
  readonly requestId: string;
};

/** Approved or not; the action chosen, auto-approval of edits, feedback the model reads. */
export type ExitPlanModeAnswer = t.TypeOf<typeof UIExitPlanModeResponse>;

export type ExitPlanModeHandler = (request: ExitPlanModeRequest, context: HandlerContext) => Answer<ExitPlanModeAnswer>;

/** Without a handler: stay in plan mode, and tell the model why. */
export const NOT_APPROVED: ExitPlanModeAnswer = {
  approved: false,
  feedback: 'copilot-rx: this application does not approve leaving plan mode (it has no onExitPlanMode handler)',
};

/** The app's decision on one request; "not approved" when there is no handler or it gave no usable answer. */
export async function decideExitPlanMode(
  context: ResponderContext,
  request: ExitPlanModeRequest,
  method: string,
): Promise<ExitPlanModeAnswer> {
  const handler = context.config.onExitPlanMode;
  if (!handler) return NOT_APPROVED;
  return askSessionHandler(context, (handlerContext) => handler(request, handlerContext), {
    kind: 'exitPlanMode',
    method,
    requestId: request.requestId,
    subject: `exit-plan-mode request ${request.requestId || '(direct)'}`,
    decoder: UIExitPlanModeResponse,
    fallback: (failure) => ({
      approved: false,
      feedback: `copilot-rx: leaving plan mode was not approved (the application's handler gave no answer: ${errorMessage(failure.error)})`,
    }),
  });
}
