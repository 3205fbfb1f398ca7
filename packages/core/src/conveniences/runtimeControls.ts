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
 * Observable (its last value); each model is checked against the schema's `Model` codec.
 */
export type ListModelsHandler = () => Answer<readonly Model[]>;

const ModelArray = t.readonlyArray(Model, 'Model[]');

export interface RuntimeControls {
  /** The CLI's version and protocol version (`status.get`). */
  readonly getStatus: Call<[], CliStatus>;
  /** Whether the CLI is signed in to GitHub, how and as whom (`auth.getStatus`). */
  readonly getAuthStatus: Call<[], AuthStatus>;
  /**
   * The models a session may use: from `onListModels` when the client has one, else `models.list`
   * (which needs a signed-in CLI: an RpcError "Not authenticated" otherwise). A supplier that throws,
   * or answers something that is not a list of models, fails the call with its error or an
   * InvalidHandlerAnswerError naming the bad fields.
   */
  readonly listModels: Call<[], readonly Model[]>;
}

export function runtimeControls(client: ClientSurface, supplier: () => ListModelsHandler | undefined): RuntimeControls {
  return {
    getStatus: call(() => client.request$('status.get', {}).pipe(map((raw) => decodeOrThrow(CliStatus, 'status.get', raw)))),
    getAuthStatus: call(() =>
      client.request$('auth.getStatus', {}).pipe(map((raw) => decodeOrThrow(AuthStatus, 'auth.getStatus', raw))),
    ),
    listModels: call(() => {
      const onListModels = supplier();
      return onListModels ? suppliedModels(onListModels) : client.rpc.models.list.$().pipe(map((list) => list.models));
    }),
  };
}

function suppliedModels(supplier: ListModelsHandler): Observable<readonly Model[]> {
  return from(
    askHandler(supplier, ModelArray, { handler: 'listModels', subject: 'listModels', timeoutMs: undefined, controller: new AbortController() }),
  ).pipe(
    map((outcome) => {
      if (outcome._tag === 'Failed') throw outcome.error;
      return outcome.value;
    }),
  );
}
