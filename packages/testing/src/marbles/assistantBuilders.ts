/** Builders for the assistant's events: turns, streamed and final text, reasoning, usage, idle. */
import type { SessionEventData, SessionEventOf } from '@copilot-rx/core';
import type { EnvelopeOption, FactoryCore } from './factoryCore.js';

type Options<K extends Parameters<FactoryCore['event']>[0]> = Partial<SessionEventData<K>> & EnvelopeOption;

/** The model the builders name when none is given (the one of the recorded transcripts). */
export const DEFAULT_MODEL = 'claude-sonnet-4.5';

export function assistantBuilders(core: FactoryCore) {
  return {
    /** `assistant.turn_start`: the next turnId ("0", "1", ...) of the current user message. */
    turnStart(options: Options<'assistant.turn_start'> = {}): SessionEventOf<'assistant.turn_start'> {
      const { envelope, ...data } = options;
      const turnId = data.turnId ?? core.nextTurnId();
      core.open.turnId = turnId;
      const interaction = core.open.interactionId === undefined ? {} : { interactionId: core.open.interactionId };
      return core.event('assistant.turn_start', { ...interaction, ...data, turnId }, envelope);
    },

    /** `assistant.turn_end` of the open turn. */
    turnEnd(options: Options<'assistant.turn_end'> = {}): SessionEventOf<'assistant.turn_end'> {
      const { envelope, ...data } = options;
      const turnId = data.turnId ?? core.open.turnId ?? '0';
      core.open.turnId = undefined;
      return core.event('assistant.turn_end', { ...data, turnId }, envelope);
    },

    /** `assistant.message_start`: opens a new message (a fresh messageId unless given). */
    messageStart(options: Options<'assistant.message_start'> = {}): SessionEventOf<'assistant.message_start'> {
      const { envelope, ...data } = options;
      const messageId = data.messageId ?? core.nextId('m');
      core.open.messageId = messageId;
      return core.event('assistant.message_start', { ...data, messageId }, envelope);
    },

    /** `assistant.message_delta` of the open message (opening one if none is). */
    messageDelta(deltaContent: string, options: Options<'assistant.message_delta'> = {}): SessionEventOf<'assistant.message_delta'> {
      const { envelope, ...data } = options;
      const messageId = data.messageId ?? core.open.messageId ?? (core.open.messageId = core.nextId('m'));
      return core.event('assistant.message_delta', { ...data, messageId, deltaContent }, envelope);
    },

    /** `assistant.message`: the authoritative content of the open message, which it closes. */
    message(content: string, options: Options<'assistant.message'> = {}): SessionEventOf<'assistant.message'> {
      const { envelope, ...data } = options;
      const messageId = data.messageId ?? core.open.messageId ?? core.nextId('m');
      core.open.messageId = undefined;
      const context = {
        toolRequests: [],
        ...(core.open.turnId === undefined ? {} : { turnId: core.open.turnId }),
        ...(core.open.interactionId === undefined ? {} : { interactionId: core.open.interactionId }),
      };
      return core.event('assistant.message', { ...context, ...data, messageId, content }, envelope);
    },

    /** `assistant.reasoning_delta` of the open reasoning block (opening one if none is). */
    reasoningDelta(deltaContent: string, options: Options<'assistant.reasoning_delta'> = {}): SessionEventOf<'assistant.reasoning_delta'> {
      const { envelope, ...data } = options;
      const reasoningId = data.reasoningId ?? core.open.reasoningId ?? (core.open.reasoningId = core.nextId('r'));
      return core.event('assistant.reasoning_delta', { ...data, reasoningId, deltaContent }, envelope);
    },

    /** `assistant.reasoning`: the full reasoning block, which it closes. */
    reasoning(content: string, options: Options<'assistant.reasoning'> = {}): SessionEventOf<'assistant.reasoning'> {
      const { envelope, ...data } = options;
      const reasoningId = data.reasoningId ?? core.open.reasoningId ?? core.nextId('r');
      core.open.reasoningId = undefined;
      return core.event('assistant.reasoning', { ...data, reasoningId, content }, envelope);
    },

    /** `assistant.usage` of one model call; `model` defaults to claude-sonnet-4.5. */
    usage(options: Options<'assistant.usage'> = {}): SessionEventOf<'assistant.usage'> {
      const { envelope, ...data } = options;
      return core.event('assistant.usage', { ...data, model: data.model ?? DEFAULT_MODEL }, envelope);
    },

    /** `assistant.idle`: the main loop stopped (the session may not be idle yet). */
    assistantIdle(options: Options<'assistant.idle'> = {}): SessionEventOf<'assistant.idle'> {
      const { envelope, ...data } = options;
      return core.event('assistant.idle', data, envelope);
    },
  };
}
