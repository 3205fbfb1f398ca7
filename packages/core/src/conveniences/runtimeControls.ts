/**
 * Runtime controls, the official SDK's `getStatus`, `getAuthStatus` and `listModels` (with its
 * `onListModels`): each a Call (a Promise, or `.$` for a cold Observable).
 */
import * as t from 'io-ts';
import { from, map, type Observable } from 'rxjs';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import { Model } from '../codecs/generated/api/index.js';
import { askHandler } from '../session/askHandler.js';
import type { Answer } from '../session/answer.js';
import { call, type Call } from './call.js';
import type { ClientSurface } from './clientSurface.js';
import { AuthStatus, CliStatus } from './unlistedMethods.js';

/**
 * Supplies the model list in place of the CLI's `models.list` (the SDK's `onListModels`): for a BYOK
 * setup, where the CLI has no GitHub account to ask, or to narrow the list. A value, a Promise or an
 * Observable (its last value); each model is checked against the schema's `Model` codec. `signal`
 * fires when its deadline (`listModelsTimeoutMs`) passes.
 */
export type ListModelsHandler = (context: { readonly signal: AbortSignal }) => Answer<readonly Model[]>;

/**
 * The default deadline of `onListModels`: 30 s. The supplier is code (a provider's models endpoint),
 * not a person; one that never settles would hold `listModels()` for ever.
 */
export const DEFAULT_LIST_MODELS_TIMEOUT_MS = 30_000;

/** The client options `listModels` reads (see CopilotRxClientOptions). */
export interface ListModelsOptions {
  readonly onListModels?: ListModelsHandler;
  readonly listModelsTimeoutMs?: number;
}

/** @throws RangeError naming the option, for a deadline that is not a positive number of ms (or Infinity). */
export function validateListModelsTimeout(timeoutMs: unknown): void {
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
    throw new RangeError(`listModelsTimeoutMs must be a positive number of milliseconds (or Infinity). Got ${String(timeoutMs)}`);
  }
}

const ModelArray = t.readonlyArray(Model, 'Model[]');

export interface RuntimeControls {
  /** The CLI's version and protocol version (`status.get`). */
  readonly getStatus: Call<[], CliStatus>;
  /** Whether the CLI is signed in to GitHub, how and as whom (`auth.getStatus`). */
  readonly getAuthStatus: Call<[], AuthStatus>;
  /**
   * The models a session may use: from `onListModels` when the client has one, else `models.list`
   * (which needs a signed-in CLI: an RpcError "Not authenticated" otherwise). A supplier that throws,
   * answers something that is not a list of models, or misses its deadline fails the call with its
   * error, an InvalidHandlerAnswerError naming the bad fields, or a HandlerTimeoutError: nothing is
   * made up in its place.
   */
  readonly listModels: Call<[], readonly Model[]>;
}

export function runtimeControls(client: ClientSurface, options: () => ListModelsOptions): RuntimeControls {
  return {
    getStatus: call(() => client.request$('status.get', {}).pipe(map((raw) => decodeOrThrow(CliStatus, 'status.get', raw)))),
    getAuthStatus: call(() =>
      client.request$('auth.getStatus', {}).pipe(map((raw) => decodeOrThrow(AuthStatus, 'auth.getStatus', raw))),
    ),
    listModels: call(() => {
      const { onListModels, listModelsTimeoutMs = DEFAULT_LIST_MODELS_TIMEOUT_MS } = options();
      return onListModels
        ? suppliedModels(onListModels, listModelsTimeoutMs)
        : client.rpc.models.list.$().pipe(map((list) => list.models));
    }),
  };
}

function suppliedModels(supplier: ListModelsHandler, timeoutMs: number): Observable<readonly Model[]> {
  const controller = new AbortController();
  return from(
    askHandler(() => supplier({ signal: controller.signal }), ModelArray, { handler: 'listModels', subject: 'the model list', timeoutMs, controller }),
  ).pipe(
    map((outcome) => {
      if (outcome._tag === 'Failed') throw outcome.error;
      return outcome.value;
    }),
  );
}
