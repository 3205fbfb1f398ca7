/**
 * Control requests and replies (request-reply on `copilot.<host>.<session>.control.<verb>`). The host
 * decodes every request before acting on it; a bad one gets a typed error reply naming what was wrong.
 */
import * as t from 'io-ts';
import { PermissionDecision, UserInputResponse } from '@copilot-rx/core';
import type { ControlVerb } from '../subjects.js';
import type { ControlErrorCode } from '../errors.js';

/**
 * The parts of a session's config that can cross the wire (handlers and tools cannot). Exact: any
 * other field is stripped, not passed on, so a remote create cannot slip in what this list leaves out
 * (`mcpServers` would start commands on the host, `workingDirectory` or `gitHubToken` change what the
 * CLI may touch).
 */
export const RemoteSessionConfig = t.exact(t.partial(
  {
    sessionId: t.string,
    model: t.string,
    streaming: t.boolean,
    reasoningEffort: t.keyof({ low: null, medium: null, high: null, xhigh: null, max: null }),
    provider: t.UnknownRecord,
    systemMessage: t.UnknownRecord,
    availableTools: t.array(t.string),
    excludedTools: t.array(t.string),
  }),
  'RemoteSessionConfig',
);
export type RemoteSessionConfig = t.TypeOf<typeof RemoteSessionConfig>;

export const CreateRequest = t.type({ config: RemoteSessionConfig }, 'CreateRequest');
/**
 * Exact like RemoteSessionConfig: only these fields reach `session.send`. `turnId` does not: the host
 * names the turn with it in a `turn.failed` record, so that only the consumer's own turn fails on it.
 */
export const SendRequest = t.intersection(
  [t.exact(t.type({ prompt: t.string })), t.exact(t.partial({ mode: t.string, attachments: t.array(t.unknown), turnId: t.string }))],
  'SendRequest',
);
export const EmptyRequest = t.type({}, 'EmptyRequest');
// Annotated as decoders: core's codecs carry internal helper types a declaration file cannot name.
export const AnswerPermissionRequest: t.Decoder<unknown, { requestId: string; decision: PermissionDecision }> = t.type(
  { requestId: t.string, decision: PermissionDecision },
  'AnswerPermissionRequest',
);
export const AnswerUserInputRequest = t.type({ requestId: t.string, response: UserInputResponse }, 'AnswerUserInputRequest');

export const ControlRequests: Readonly<Record<ControlVerb, t.Decoder<unknown, unknown>>> = {
  create: CreateRequest,
  send: SendRequest,
  abort: EmptyRequest,
  answerPermission: AnswerPermissionRequest,
  answerUserInput: AnswerUserInputRequest,
  destroy: EmptyRequest,
};

export type ControlReply =
  | { readonly ok: true; readonly result: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: { readonly code: ControlErrorCode; readonly message: string } };

export const ControlReplyCodec = t.union([
  t.type({ ok: t.literal(true), result: t.UnknownRecord }),
  t.type({ ok: t.literal(false), error: t.type({ code: t.string, message: t.string }) }),
]);
