/** Builders for session-level events: start, the user's message, idle, errors, abort, compaction. */
import type { SessionEventData, SessionEventOf } from '@copilot-rx/core';
import { DEFAULT_MODEL } from './assistantBuilders.js';
import type { EnvelopeOption, FactoryCore } from './factoryCore.js';

type Options<K extends Parameters<FactoryCore['event']>[0]> = Partial<SessionEventData<K>> & EnvelopeOption;

export function sessionBuilders(core: FactoryCore) {
  return {
    /** `session.start`: the first event of a session (its parentId is null when it comes first). */
    sessionStart(options: Options<'session.start'> = {}): SessionEventOf<'session.start'> {
      const { envelope, ...data } = options;
      return core.event(
        'session.start',
        { version: 1, producer: 'copilot-agent', copilotVersion: '1.0.102', startTime: new Date(0).toISOString(), selectedModel: DEFAULT_MODEL, ...data, sessionId: data.sessionId ?? core.sessionId },
        envelope,
      );
    },

    /** `user.message`: starts a new interaction (a fresh interactionId; turnIds restart at "0"). */
    userMessage(content: string, options: Options<'user.message'> = {}): SessionEventOf<'user.message'> {
      const { envelope, ...data } = options;
      const interactionId = data.interactionId ?? core.nextId('i');
      core.open.interactionId = interactionId;
      core.restartTurns();
      return core.event('user.message', { delivery: 'idle', ...data, interactionId, content }, envelope);
    },

    /** `session.idle`: the completion signal of a request. */
    sessionIdle(options: Options<'session.idle'> = {}): SessionEventOf<'session.idle'> {
      const { envelope, ...data } = options;
      return core.event('session.idle', data, envelope);
    },

    /** `session.error`; `errorType` defaults to "query" (a failed model call). */
    sessionError(message: string, options: Options<'session.error'> = {}): SessionEventOf<'session.error'> {
      const { envelope, ...data } = options;
      return core.event('session.error', { ...data, errorType: data.errorType ?? 'query', message }, envelope);
    },

    /** `abort`; the reason defaults to "user_initiated", as for `session.abort`. */
    abort(reason: SessionEventData<'abort'>['reason'] = 'user_initiated', options: EnvelopeOption = {}): SessionEventOf<'abort'> {
      return core.event('abort', { reason }, options.envelope);
    },

    /** `session.compaction_start` (all data optional). */
    compactionStart(options: Options<'session.compaction_start'> = {}): SessionEventOf<'session.compaction_start'> {
      const { envelope, ...data } = options;
      return core.event('session.compaction_start', data, envelope);
    },

    /** `session.compaction_complete`; `success` defaults to true. */
    compactionComplete(options: Options<'session.compaction_complete'> = {}): SessionEventOf<'session.compaction_complete'> {
      const { envelope, ...data } = options;
      return core.event('session.compaction_complete', { ...data, success: data.success ?? true }, envelope);
    },
  };
}
