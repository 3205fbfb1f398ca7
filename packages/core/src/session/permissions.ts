/**
 * Permission prompts. The CLI asks with a `permission.requested` event; copilot-rx answers with
 * `session.permissions.handlePendingPermissionRequest`. Safe by default: without a handler every
 * request is rejected, with feedback the model reads so it can tell the user why.
 */
import * as t from 'io-ts';
import { PermissionDecision } from '../codecs/methods/pending.js';
import type { SessionEventData } from '../codecs/sessionEvent.js';
import type { Answer, HandlerContext } from './answer.js';

export type PermissionRequest = SessionEventData<'permission.requested'>;

/** Leave the request unanswered, for another attached client to decide. */
export const NoResult = t.type({ kind: t.literal('no-result') }, 'NoResult');
export type NoResult = t.TypeOf<typeof NoResult>;

/** What a permission handler must settle with; anything else is answered with a denial. */
export const PermissionAnswer = t.union([PermissionDecision, NoResult], 'PermissionDecision | NoResult');

export type PermissionHandler = (
  request: PermissionRequest,
  context: HandlerContext,
) => Answer<PermissionDecision | NoResult>;

/**
 * The default answer deadline of a permission handler: 5 minutes. A permission prompt usually waits
 * on a person, who answers in seconds to a minute or two; a prompt still open after five (a closed
 * browser tab, a handler that lost its promise) holds the agent's turn, and its process, for nobody.
 * Denying then is safe: the model reads the feedback and tells the user. The same holds for user-input
 * prompts and the auto-mode-switch offer. Set `handlerTimeouts.permission: Infinity` to wait forever.
 */
export const DEFAULT_PROMPT_TIMEOUT_MS = 300_000;

export const DEFAULT_DENIAL_FEEDBACK =
  'Permission denied by copilot-rx: this application has not approved tool permissions ' +
  '(it installs no onPermissionRequest handler).';

/** The denial sent in place of a handler that failed, returned garbage or missed its deadline. */
export function fallbackDenial(why: string): PermissionDecision {
  return { kind: 'reject', feedback: `Permission denied by copilot-rx: ${why}.` };
}

/** The default: deny, and tell the model why. */
export const denyAll: PermissionHandler = () => ({ kind: 'reject', feedback: DEFAULT_DENIAL_FEEDBACK });

/**
 * Approves every request once, except those the organisation's policy reserves for a person
 * (`managedApprovalRequired`), which are left to another client, as the official SDK does.
 */
export const approveAll: PermissionHandler = (request) =>
  isManagedApprovalRequired(request) ? { kind: 'no-result' } : { kind: 'approve-once' };

function isManagedApprovalRequired(request: PermissionRequest): boolean {
  const inner = (request as { permissionRequest?: { managedApprovalRequired?: unknown } }).permissionRequest;
  return inner?.managedApprovalRequired === true;
}
