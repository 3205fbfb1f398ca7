import type { Params } from '../rpc/params.js';

/** The broadcast requests a client answers with a `handlePending*` call (protocol.md §3.1). */
export type PendingKind = 'permission' | 'tool' | 'autoModeSwitch' | 'elicitation';

/**
 * What a method handler produces: the response's result, and what happens right after the response
 * is written. The split mirrors the CLI's order: `permission.completed` goes out before the response
 * to `handlePendingPermissionRequest`, `external_tool.requested` after it (transcripts/raw-capi-tool).
 */
export interface HandlerOutcome {
  readonly result: unknown;
  readonly then?: () => void;
}

/**
 * Answers a pending request: validates `params` (throwing an RpcError leaves the request pending),
 * emits the completion event, and returns what runs after the response.
 */
export type Answerer = (params: Params) => () => void;

/** The requests of one session that wait for a client's answer, by requestId. */
export class PendingRequests {
  readonly #entries = new Map<string, { readonly kind: PendingKind; readonly answer: Answerer }>();

  get size(): number {
    return this.#entries.size;
  }

  add(kind: PendingKind, requestId: string, answer: Answerer): void {
    this.#entries.set(requestId, { kind, answer });
  }

  /** The ids of the requests of `kind` still waiting, oldest first. */
  waiting(kind: PendingKind): string[] {
    return [...this.#entries].flatMap(([requestId, entry]) => (entry.kind === kind ? [requestId] : []));
  }

  /** Cancels a request; a later answer gets `{success:false}`, as after an abort. */
  remove(requestId: string): void {
    this.#entries.delete(requestId);
  }

  /**
   * Delivers an answer. `{success:false}` when the request is unknown, already answered, cancelled, or
   * of another kind (answering a tool call with the permission method does not resolve it).
   */
  answer(kind: PendingKind, requestId: string, params: Params): HandlerOutcome {
    const entry = this.#entries.get(requestId);
    if (entry?.kind !== kind) return { result: { success: false } };
    const then = entry.answer(params);
    this.#entries.delete(requestId);
    return { result: { success: true }, then };
  }
}
