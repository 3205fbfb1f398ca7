import type { NoResult, PermissionDecision, PermissionHandler, PermissionRequest } from '@copilot-rx/core';

export type Decision = 'approve' | 'deny';

interface Pending {
  readonly sessionId: string;
  readonly request: PermissionRequest;
  readonly resolve: (answer: PermissionDecision | NoResult) => void;
}

/** What the model reads when the user denies a request in the page. */
export const DENIED_IN_DASHBOARD = 'The user denied this request in the copilot-rx dashboard.';

/**
 * Holds each permission prompt until the user decides in the page: the session's
 * `onPermissionRequest` handler returns a promise that only `decide()` settles with an approval.
 * Nothing is approved by default; a prompt that goes away otherwise (answered elsewhere, its turn
 * aborted, the app stopping) is released with no answer.
 */
export class PermissionBroker {
  readonly #pending = new Map<string, Pending>();

  /** The handler to install as a session's `onPermissionRequest`. */
  readonly handler: PermissionHandler = (request, { sessionId }) =>
    new Promise<PermissionDecision | NoResult>((resolve) => this.#pending.set(request.requestId, { sessionId, request, resolve }));

  /** Settles one prompt; false when no such prompt of that session is pending (already decided, gone). */
  decide(sessionId: string, requestId: string, decision: Decision): boolean {
    const pending = this.#pending.get(requestId);
    if (pending === undefined || pending.sessionId !== sessionId) return false;
    this.#pending.delete(requestId);
    pending.resolve(decision === 'approve' ? { kind: 'approve-once' } : { kind: 'reject', feedback: DENIED_IN_DASHBOARD });
    return true;
  }

  /** Releases a prompt the CLI no longer waits on, without answering it. */
  release(requestId: string): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined) return;
    this.#pending.delete(requestId);
    pending.resolve({ kind: 'no-result' });
  }

  /** Releases every prompt (the app is stopping). */
  releaseAll(): void {
    for (const requestId of [...this.#pending.keys()]) this.release(requestId);
  }
}
