/**
 * Answers for the server→client JSON-RPC requests of protocol.md §3.2. The ones an app can decide
 * are routed to the session's handlers; the rest get a safe default at once. Every other method
 * (sessionFs.*, canvas.*, factory.*, llmInference.*, ...) is answered by the RPC layer with a
 * "method not found" error naming it, so the CLI is never left waiting.
 */
import {
  AutoModeSwitchRequestParams,
  ExitPlanModeRequestParams,
  HooksInvokeParams,
  SystemMessageTransformParams,
  UserInputRequestParams,
  UserInputResponse,
  AutoModeSwitchResponse,
} from '../codecs/methods/index.js';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import type { RpcConnection } from '../rpc/connection.js';
import { errorMessage } from '../session/answer.js';
import { askHandler } from '../session/askHandler.js';
import { handlerTimeout } from '../session/config.js';
import { reportFailure, whileRunning, type ResponderContext } from '../session/responder.js';
import { decideExitPlanMode, type ExitPlanModeRequest } from '../session/exitPlanMode.js';
import { HOOKS_METHOD, invokeHook } from '../session/hookInvocation.js';

export function registerServerRequestHandlers(
  rpc: RpcConnection,
  sessionOf: (sessionId: string) => ResponderContext | undefined,
): void {
  const attached = (sessionId: string, method: string): ResponderContext => {
    const session = sessionOf(sessionId);
    if (!session) throw new Error(`${method} names session ${sessionId}, which this client has not attached`);
    return session;
  };

  // Declining is an error answer: the `ask_user` tool then fails with a message the model reads,
  // instead of taking an empty string for the user's answer.
  rpc.handleRequest('userInput.request', async (raw) => {
    const params = decodeOrThrow(UserInputRequestParams, 'userInput.request', raw);
    const session = attached(params.sessionId, 'userInput.request');
    const handler = session.config.onUserInput;
    if (!handler) throw new Error('user input was requested, but the session has no onUserInput handler');
    const outcome = await whileRunning(session, (controller) =>
      askHandler(() => handler(params, { sessionId: params.sessionId, signal: controller.signal }), UserInputResponse, {
        handler: 'userInput',
        subject: 'a user input request',
        timeoutMs: handlerTimeout(session.config, 'userInput'),
        controller,
      }),
    );
    if (outcome._tag === 'Answered') return outcome.value;
    reportFailure(session, 'userInput.request', '', outcome);
    throw new Error(`the user did not answer (copilot-rx declined: ${errorMessage(outcome.error)})`);
  });

  // The CLI normally offers the switch as an `auto_mode_switch.requested` event (answered by the
  // session's responder); this is the direct form older servers use. Default "no".
  rpc.handleRequest('autoModeSwitch.request', async (raw) => {
    const params = decodeOrThrow(AutoModeSwitchRequestParams, 'autoModeSwitch.request', raw);
    const session = attached(params.sessionId, 'autoModeSwitch.request');
    const handler = session.config.onAutoModeSwitch;
    if (!handler) return { response: 'no' };
    const request = { requestId: '', ...params };
    const outcome = await whileRunning(session, (controller) =>
      askHandler(() => handler(request, { sessionId: params.sessionId, signal: controller.signal }), AutoModeSwitchResponse, {
        handler: 'autoModeSwitch',
        subject: 'an auto-mode switch request',
        timeoutMs: handlerTimeout(session.config, 'autoModeSwitch'),
        controller,
      }),
    );
    if (outcome._tag === 'Answered') return { response: outcome.value };
    reportFailure(session, 'autoModeSwitch.request', '', outcome);
    return { response: 'no' };
  });

  // Leaving plan mode starts acting on the plan: only with the app's say (`onExitPlanMode`); without
  // it, or without a usable answer, the answer is "not approved".
  rpc.handleRequest('exitPlanMode.request', async (raw) => {
    const { sessionId, ...plan } = decodeOrThrow(ExitPlanModeRequestParams, 'exitPlanMode.request', raw);
    const session = attached(sessionId, 'exitPlanMode.request');
    const request = { summary: '', planContent: '', actions: [], recommendedAction: '', ...plan, requestId: '' };
    return decideExitPlanMode(session, request as ExitPlanModeRequest, 'exitPlanMode.request');
  });

  // Hooks run only for a session that installed some (`hooks: true` tells the CLI to call); for any
  // other, an empty output lets the agent go on unchanged.
  rpc.handleRequest(HOOKS_METHOD, async (raw) => {
    const request = decodeOrThrow(HooksInvokeParams, HOOKS_METHOD, raw);
    const session = sessionOf(request.sessionId);
    return session ? invokeHook(session, request) : {};
  });

  // No transform callbacks exist on this client: hand every section back as it came.
  rpc.handleRequest('systemMessage.transform', (raw) => {
    const params = decodeOrThrow(SystemMessageTransformParams, 'systemMessage.transform', raw);
    return { sections: params.sections };
  });
}
