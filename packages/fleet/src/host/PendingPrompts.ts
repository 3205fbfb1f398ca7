/**
 * Prompts of the agent (permission, user input) waiting for an answer from a remote operator. The
 * host's session handlers park here; a control request settles them. Nothing is approved by default:
 * core answers with a denial (permission) or a decline (user input) when its handler deadline passes
 * first, and the parked entry is then dropped by the handler's AbortSignal.
 */
import type { PermissionDecision, UserInputResponse } from '@copilot-rx/core';

type Settle<T> = (answer: T) => void;

export class PendingPrompts {
  readonly #permissions = new Map<string, Settle<PermissionDecision>>();
  readonly #userInputs = new Map<string, Settle<UserInputResponse>>();

  /** Waits for `answerPermission(key, ...)` until `signal` fires (then rejects with its reason). */
  waitPermission(key: string, signal: AbortSignal): Promise<PermissionDecision> {
    return park(this.#permissions, key, signal);
  }

  waitUserInput(key: string, signal: AbortSignal): Promise<UserInputResponse> {
    return park(this.#userInputs, key, signal);
  }

  /** False when no such prompt waits (answered already, timed out, or never asked). */
  answerPermission(key: string, decision: PermissionDecision): boolean {
    return settle(this.#permissions, key, decision);
  }

  answerUserInput(key: string, response: UserInputResponse): boolean {
    return settle(this.#userInputs, key, response);
  }
}

/** A prompt's key: request ids are only unique within a session. */
export function promptKey(sessionId: string, requestId: string): string {
  return `${sessionId}/${requestId}`;
}

function park<T>(map: Map<string, Settle<T>>, key: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      map.delete(key);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    map.set(key, (answer) => {
      signal.removeEventListener('abort', onAbort);
      resolve(answer);
    });
  });
}

function settle<T>(map: Map<string, Settle<T>>, key: string, answer: T): boolean {
  const resolve = map.get(key);
  if (!resolve) return false;
  map.delete(key);
  resolve(answer);
  return true;
}
