/**
 * Builders for tool calls and the broadcast requests around them (permission prompts, client tool
 * calls). They default to the tool call opened by the latest `toolStart`, so a sequence written in
 * wire order correlates by itself.
 */
import type { SessionEventData, SessionEventOf } from '@copilot-rx/core';
import type { EnvelopeOption, FactoryCore } from './factoryCore.js';

type Options<K extends Parameters<FactoryCore['event']>[0]> = Partial<SessionEventData<K>> & EnvelopeOption;

/** A failed tool call for `toolComplete`. */
export interface ToolFailure {
  readonly error: string;
  /** Default "failure". */
  readonly code?: string;
}

type PermissionResultKind = SessionEventData<'permission.completed'>['result']['kind'];

export function toolBuilders(core: FactoryCore) {
  const toolCallId = (given: string | undefined) => given ?? core.open.toolCallId ?? core.nextId('call_');
  return {
    /** `tool.execution_start`: opens a tool call (a fresh `call_<n>` id unless given). */
    toolStart(toolName: string, options: Options<'tool.execution_start'> = {}): SessionEventOf<'tool.execution_start'> {
      const { envelope, ...data } = options;
      const id = data.toolCallId ?? core.nextId('call_');
      core.open.toolCallId = id;
      core.open.toolName = toolName;
      const turn = core.open.turnId === undefined ? {} : { turnId: core.open.turnId };
      return core.event('tool.execution_start', { ...turn, ...data, toolCallId: id, toolName }, envelope);
    },

    /** `tool.execution_partial_result` of the open tool call. */
    toolPartialResult(partialOutput: string, options: Options<'tool.execution_partial_result'> = {}): SessionEventOf<'tool.execution_partial_result'> {
      const { envelope, ...data } = options;
      return core.event('tool.execution_partial_result', { ...data, toolCallId: toolCallId(data.toolCallId), partialOutput }, envelope);
    },

    /** `tool.execution_progress` of the open tool call. */
    toolProgress(progressMessage: string, options: Options<'tool.execution_progress'> = {}): SessionEventOf<'tool.execution_progress'> {
      const { envelope, ...data } = options;
      return core.event('tool.execution_progress', { ...data, toolCallId: toolCallId(data.toolCallId), progressMessage }, envelope);
    },

    /**
     * `tool.execution_complete` of the open tool call, which it closes: a result text (success) or a
     * `{ error, code? }` (failure, as the CLI records it).
     */
    toolComplete(outcome: string | ToolFailure = '', options: Options<'tool.execution_complete'> = {}): SessionEventOf<'tool.execution_complete'> {
      const { envelope, ...data } = options;
      const id = toolCallId(data.toolCallId);
      core.open.toolCallId = undefined;
      const result =
        typeof outcome === 'string'
          ? { success: true, result: { content: outcome, detailedContent: outcome } }
          : { success: false, error: { message: outcome.error, code: outcome.code ?? 'failure' } };
      return core.event('tool.execution_complete', { ...result, ...data, toolCallId: id }, envelope);
    },

    /** `permission.requested` for the open tool call, as a custom-tool prompt. */
    permissionRequested(options: Options<'permission.requested'> = {}): SessionEventOf<'permission.requested'> {
      const { envelope, ...data } = options;
      const requestId = data.requestId ?? core.nextId('perm_');
      core.open.permissionRequestId = requestId;
      const permissionRequest = data.permissionRequest ?? {
        kind: 'custom-tool' as const,
        toolCallId: toolCallId(undefined),
        toolName: core.open.toolName ?? 'tool',
        toolDescription: '',
      };
      return core.event('permission.requested', { ...data, requestId, permissionRequest }, envelope);
    },

    /** `permission.completed` of the open prompt; the result kind defaults to "approved". */
    permissionCompleted(kind: PermissionResultKind = 'approved', options: Options<'permission.completed'> = {}): SessionEventOf<'permission.completed'> {
      const { envelope, ...data } = options;
      const requestId = data.requestId ?? core.open.permissionRequestId ?? core.nextId('perm_');
      core.open.permissionRequestId = undefined;
      const open = core.open.toolCallId === undefined ? {} : { toolCallId: core.open.toolCallId };
      const result = { kind } as SessionEventData<'permission.completed'>['result'];
      return core.event('permission.completed', { ...open, result, ...data, requestId }, envelope);
    },

    /** `external_tool.requested`: the open tool call, to be run by the client. */
    externalToolRequested(options: Options<'external_tool.requested'> = {}): SessionEventOf<'external_tool.requested'> {
      const { envelope, ...data } = options;
      const requestId = data.requestId ?? core.nextId('tool_');
      core.open.externalToolRequestId = requestId;
      return core.event(
        'external_tool.requested',
        { ...data, requestId, sessionId: data.sessionId ?? core.sessionId, toolCallId: toolCallId(data.toolCallId), toolName: data.toolName ?? core.open.toolName ?? 'tool' },
        envelope,
      );
    },

    /** `external_tool.completed` of the open client tool call. */
    externalToolCompleted(options: Options<'external_tool.completed'> = {}): SessionEventOf<'external_tool.completed'> {
      const { envelope, ...data } = options;
      const requestId = data.requestId ?? core.open.externalToolRequestId ?? core.nextId('tool_');
      core.open.externalToolRequestId = undefined;
      return core.event('external_tool.completed', { ...data, requestId }, envelope);
    },
  };
}
