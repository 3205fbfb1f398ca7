/**
 * Permission prompts. The CLI asks with a `permission.requested` event; copilot-rx answers with
 * `session.permissions.handlePendingPermissionRequest`. Safe by default: without a handler every
 * request is rejected, with feedback the model reads so it can tell the user why.
 */
import type { PermissionDecision } from '../codecs/methods/pending.js';
import type { SessionEventData } from '../codecs/sessionEvent.js';
import type { Answer } from './answer.js';

export type PermissionRequest = SessionEventData<'permission.requested'>;

/** Leave the request unanswered, for another attached client to decide. */
export interface NoResult {
  readonly kind: 'no-result';
}

export type PermissionHandler = (
  request: PermissionRequest,
  context: { readonly sessionId: string },
) => Answer<PermissionDecision | NoResult>;

export const DEFAULT_DENIAL_FEEDBACK =
  'Permission denied by copilot-rx: this application has not approved tool permissions ' +
  '(it installs no onPermissionRequest handler).';

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
