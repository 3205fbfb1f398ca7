/**
 * Codecs of the core session methods (protocol.md §2): the params copilot-rx sends and the results
 * it reads. `session.send` and `session.abort` are the schema's (generated); `session.create`,
 * `session.resume`, `session.destroy` and `session.getMessages` are not in the CLI's API schema, so
 * their codecs are written here. Results are read leniently: the CLI adds fields between releases.
 */
import * as t from 'io-ts';
import {
  Attachment as GeneratedAttachment,
  SendResult,
  SessionAbortParams as GeneratedSessionAbortParams,
  SessionSendParams as GeneratedSessionSendParams,
} from '../generated/api/index.js';

const optionalNullableString = t.union([t.string, t.null]);

/** A tool as declared to the CLI; its handler stays client-side. */
export const ToolDeclaration = t.intersection([
  t.type({ name: t.string }),
  t.partial({
    description: t.string,
    /** JSON Schema of the arguments. */
    parameters: t.UnknownRecord,
    skipPermission: t.boolean,
    overridesBuiltInTool: t.boolean,
  }),
]);
export type ToolDeclaration = t.TypeOf<typeof ToolDeclaration>;

/** BYOK model provider for the whole session. Its keys are per attachment, never persisted by the CLI. */
export const ProviderConfig = t.intersection([
  t.type({ baseUrl: t.string }),
  t.partial({
    type: t.union([t.literal('openai'), t.literal('azure'), t.literal('anthropic')]),
    wireApi: t.union([t.literal('completions'), t.literal('responses')]),
    apiKey: t.string,
    bearerToken: t.string,
    headers: t.record(t.string, t.string),
    modelId: t.string,
    wireModel: t.string,
    maxPromptTokens: t.number,
    maxOutputTokens: t.number,
    azure: t.partial({ apiVersion: t.string }),
  }),
]);
export type ProviderConfig = t.TypeOf<typeof ProviderConfig>;

export const SystemMessageConfig = t.union([
  t.type({ mode: t.literal('replace'), content: t.string }),
  t.partial({ mode: t.literal('append'), content: t.string }),
  t.intersection([
    t.type({ mode: t.literal('customize') }),
    t.partial({ content: t.string, sections: t.record(t.string, t.UnknownRecord) }),
  ]),
]);
export type SystemMessageConfig = t.TypeOf<typeof SystemMessageConfig>;

/** The attachment-independent part of `session.create` and `session.resume`. */
const SessionAttachmentOptions = t.partial({
  model: t.string,
  reasoningEffort: t.string,
  clientName: t.string,
  streaming: t.boolean,
  includeSubAgentStreamingEvents: t.boolean,
  tools: t.array(ToolDeclaration),
  availableTools: t.array(t.string),
  excludedTools: t.array(t.string),
  systemMessage: SystemMessageConfig,
  provider: ProviderConfig,
  requestPermission: t.boolean,
  requestUserInput: t.boolean,
  requestElicitation: t.boolean,
  requestExitPlanMode: t.boolean,
  requestAutoModeSwitch: t.boolean,
  hooks: t.boolean,
  workingDirectory: t.string,
  envValueMode: t.literal('direct'),
  infiniteSessions: t.partial({
    enabled: t.boolean,
    backgroundCompactionThreshold: t.number,
    bufferExhaustionThreshold: t.number,
  }),
  mcpServers: t.record(t.string, t.UnknownRecord),
  customAgents: t.array(t.UnknownRecord),
  configDir: t.string,
});

export const SessionCreateParams = t.intersection([t.type({ sessionId: t.string }), SessionAttachmentOptions]);
export type SessionCreateParams = t.TypeOf<typeof SessionCreateParams>;

export const SessionResumeParams = t.intersection([
  SessionCreateParams,
  t.partial({ disableResume: t.boolean, continuePendingWork: t.boolean }),
]);
export type SessionResumeParams = t.TypeOf<typeof SessionResumeParams>;

export const SessionCreateResult = t.intersection([
  t.type({ sessionId: t.string }),
  t.partial({
    nativeSessionId: t.string,
    workspacePath: optionalNullableString,
    startTime: t.string,
    isRemote: t.boolean,
    mode: t.string,
    capabilities: t.UnknownRecord,
    modelState: t.UnknownRecord,
  }),
]);
export type SessionCreateResult = t.TypeOf<typeof SessionCreateResult>;
export const SessionResumeResult = SessionCreateResult;
export type SessionResumeResult = SessionCreateResult;

/** A file, directory, selection, blob or GitHub reference sent with a prompt. */
export const Attachment = GeneratedAttachment;
export type Attachment = GeneratedAttachment;

export const SessionSendParams = GeneratedSessionSendParams;
export type SessionSendParams = GeneratedSessionSendParams;

/** `messageId` here is referenced by no later event (protocol.md §2.3): do not correlate on it. */
export const SessionSendResult = SendResult;
export type SessionSendResult = SendResult;

export const SessionIdParams = t.type({ sessionId: t.string });
export type SessionIdParams = t.TypeOf<typeof SessionIdParams>;

export const SessionAbortParams = GeneratedSessionAbortParams;
export type SessionAbortParams = GeneratedSessionAbortParams;

/** The `{ success, error? }` answer of abort, destroy, delete and the handlePending* methods. */
export const SuccessResult = t.intersection([t.type({ success: t.boolean }), t.partial({ error: t.string })]);
export type SuccessResult = t.TypeOf<typeof SuccessResult>;

/** Persisted events only, in order; each is decoded like a live event. */
export const GetMessagesResult = t.type({ events: t.array(t.unknown) });
export type GetMessagesResult = t.TypeOf<typeof GetMessagesResult>;
