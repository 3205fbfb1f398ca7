/**
 * Runtime controls of one session, the official SDK's `session.setModel` and `session.log`: each a
 * Call (a Promise, or `.$` for a cold Observable) over the typed `session.rpc`.
 */
import { map } from 'rxjs';
import type { ModelSwitchToResult, SessionLogParams, SessionModelSwitchToParams } from '../codecs/generated/api/index.js';
import type { SessionRpc } from '../rpcApi/index.js';
import { call, type Call } from './call.js';

/** The switch's settings besides the model: reasoning effort (null clears an override), summary, context tier... */
export type ModelSwitchOptions = Omit<SessionModelSwitchToParams, 'sessionId' | 'modelId'>;

/** A log line's settings: `level` ("info" by default, "warning", "error"), `ephemeral` (not persisted), `url`, `tip`. */
export type LogOptions = Omit<SessionLogParams, 'sessionId' | 'message'>;

/**
 * Switches the session's model for its next turns; history is kept. Resolves with the CLI's answer
 * (`status` "applied", or deferred until the running turn ends, and the new `modelState`).
 */
export type SwitchModel = Call<[modelId: string, options?: ModelSwitchOptions], ModelSwitchToResult>;

/** Writes a line to the session's timeline (a `session.info`, `.warning` or `.error` event); resolves with its event id. */
export type LogToSession = Call<[message: string, options?: LogOptions], string>;

export function switchModel(rpc: SessionRpc): SwitchModel {
  return call((modelId: string, options: ModelSwitchOptions = {}) => rpc.model.switchTo.$({ ...options, modelId }));
}

export function logToSession(rpc: SessionRpc): LogToSession {
  return call((message: string, options: LogOptions = {}) => rpc.log.$({ ...options, message }).pipe(map((result) => result.eventId)));
}
