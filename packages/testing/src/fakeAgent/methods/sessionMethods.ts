/**
 * The session methods, with the event order of CLI 1.0.102 around each answer
 * (transcripts/raw-capi-plain, protocol.md §2.1-§2.4).
 */
import { describe, RpcError, RpcErrorCode } from '../rpc/messages.js';
import type { Params } from '../rpc/params.js';
import { FakeSession, type AttachConfig } from '../session/FakeSession.js';
import type { DeclaredTool } from '../turns/TurnHost.js';
import { loadedSession, sessionFailure, type MethodContext, type MethodHandler } from './MethodContext.js';

/**
 * `session.create`: `session.lifecycle created` before the answer; after it `session.start`,
 * `session.managed_settings_resolved` and `session.created` once more (delivered twice, §4.2).
 */
export const sessionCreate: MethodHandler = (params, context) => {
  const { agent } = context;
  const sessionId = params.optionalString('sessionId') ?? agent.context.newId();
  if (agent.sessions.get(sessionId)?.loaded === true) throw sessionFailure(params.method, `Session already exists: ${sessionId}`);
  const session = new FakeSession(sessionId, agent.context);
  agent.sessions.set(sessionId, session);
  session.attach(context.sink, attachConfig(params));
  session.lifecycle('session.created');
  return {
    result: sessionResult(session),
    then: () => {
      session.emit('session.start', {
        sessionId,
        version: 1,
        producer: 'copilot-agent',
        copilotVersion: agent.context.version,
        startTime: session.startTime,
        selectedModel: session.model,
        contextTier: null,
        context: { cwd: session.cwd },
        remoteSteerable: false,
        alreadyInUse: false,
      });
      session.emit('session.managed_settings_resolved', managedSettings());
      session.lifecycle('session.created');
    },
  };
};

/**
 * `session.resume`: answers like create, then `session.resume` (its parent is the previous lifetime's
 * last persisted event) and `session.managed_settings_resolved`, then, with `continuePendingWork`,
 * the permission prompts still waiting. History is not replayed: it is read with
 * `session.eventLog.read` (§2.2).
 */
export const sessionResume: MethodHandler = (params, context) => {
  const sessionId = params.string('sessionId');
  const session = context.agent.sessions.get(sessionId);
  if (session === undefined) {
    throw sessionFailure(params.method, `Failed to load session events: Session not found: ${sessionId}`);
  }
  const wasActive = session.busy;
  const alreadyInUse = session.loaded;
  session.attach(context.sink, attachConfig(params));
  return {
    result: sessionResult(session),
    then: () => {
      if (params.optionalBoolean('disableResume') !== true) {
        session.emit('session.resume', {
          resumeTime: new Date(session.scheduler.now()).toISOString(),
          contextTier: null,
          sessionLimits: null,
          context: { cwd: session.cwd },
          remoteSteerable: false,
          eventCount: session.persisted.length,
          selectedModel: session.model,
          alreadyInUse,
          sessionWasActive: wasActive,
        });
      }
      session.emit('session.managed_settings_resolved', managedSettings());
      if (params.optionalBoolean('continuePendingWork') === true) session.reemitPendingPrompts();
    },
  };
};

/** `session.send`: `pending_messages.modified` before the answer `{messageId}`, the turn after it. */
export const sessionSend: MethodHandler = (params, context) => {
  const session = loadedSession(params, context);
  // The CLI does not validate the prompt's presence (protocol.md §2.3).
  const prompt = params.optionalString('prompt') ?? '';
  try {
    return session.send(prompt);
  } catch (error) {
    if (error instanceof RpcError) throw error;
    throw sessionFailure(params.method, `The fake agent's script chooser failed: ${error instanceof Error ? error.message : String(error)}`);
  }
};

export const sessionAbort: MethodHandler = (params, context) => loadedSession(params, context).abort();

/** `session.destroy` (and 1.0.102's `session.detach`): `session.shutdown`, then `{success:true}`. */
export const sessionDestroy: MethodHandler = (params, context) => {
  loadedSession(params, context).shutdown();
  return { result: { success: true } };
};

/** `session.delete`: forgets the session for good; `session.deleted` is delivered twice (§4.2). */
export const sessionDelete: MethodHandler = (params, context) => {
  const sessionId = params.string('sessionId');
  const session = context.agent.sessions.get(sessionId);
  if (session === undefined) return { result: { success: false, error: `Session file not found for ${sessionId}` } };
  if (session.loaded) session.halt();
  context.agent.sessions.delete(sessionId);
  session.lifecycle('session.deleted');
  session.lifecycle('session.deleted');
  return { result: { success: true } };
};

/** `session.getMessages`: the persisted events only, in order (§2.4). */
export const sessionGetMessages: MethodHandler = (params, context) => ({
  result: { events: [...loadedSession(params, context).persisted] },
});

function sessionResult(session: FakeSession): object {
  return {
    sessionId: session.sessionId,
    nativeSessionId: session.sessionId,
    startTime: session.startTime,
    isRemote: false,
    mode: 'interactive',
    workspacePath: session.workspacePath,
    capabilities: { ui: { elicitation: false, mcpApps: false, canvases: false }, extensions: false },
    modelState: { modelId: session.model },
  };
}

function managedSettings(): object {
  return {
    source: 'none',
    serverManaged: false,
    deviceManaged: false,
    clientManaged: false,
    policyHelperManaged: false,
    failClosed: false,
    sandboxEnabledByUndeterminedPolicy: false,
    bypassPermissionsDisabled: false,
    managedKeys: [],
    permissionsContext: { failClosed: false },
  };
}

function attachConfig(params: Params): AttachConfig {
  const model = params.optionalString('model');
  const workingDirectory = params.optionalString('workingDirectory');
  return {
    streaming: params.optionalBoolean('streaming') ?? false,
    requestPermission: params.optionalBoolean('requestPermission') ?? false,
    requestElicitation: params.optionalBoolean('requestElicitation') ?? false,
    hooks: params.optionalBoolean('hooks') ?? false,
    tools: (params.optionalArray('tools') ?? []).map((tool, index) => declaredTool(params, tool, index)),
    ...(model === undefined ? {} : { model }),
    ...(workingDirectory === undefined ? {} : { workingDirectory }),
  };
}

function declaredTool(params: Params, tool: unknown, index: number): DeclaredTool {
  const record = typeof tool === 'object' && tool !== null ? (tool as Record<string, unknown>) : undefined;
  const name = record?.['name'];
  if (typeof name !== 'string' || name === '') {
    throw new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${params.method}: tools[${index}].name must be a non-empty string. Got ${describe(tool)}`);
  }
  const description = record?.['description'];
  return {
    name,
    skipPermission: record?.['skipPermission'] === true,
    ...(typeof description === 'string' ? { description } : {}),
  };
}

/** The `handlePending*` answers (protocol.md §3.1): `{success:true}` when this call resolved the request. */
export const handlePendingPermission: MethodHandler = (params, context: MethodContext) =>
  loadedSession(params, context).answer('permission', params.string('requestId'), params);
export const handlePendingToolCall: MethodHandler = (params, context) => loadedSession(params, context).answer('tool', params.string('requestId'), params);
export const handlePendingAutoModeSwitch: MethodHandler = (params, context) =>
  loadedSession(params, context).answer('autoModeSwitch', params.string('requestId'), params);
export const handlePendingElicitation: MethodHandler = (params, context) =>
  loadedSession(params, context).answer('elicitation', params.string('requestId'), params);
