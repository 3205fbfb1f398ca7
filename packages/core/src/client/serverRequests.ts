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
} from '../codecs/methods/index.js';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import type { RpcConnection } from '../rpc/connection.js';
import { settle } from '../session/answer.js';
import type { SessionConfig } from '../session/config.js';

export function registerServerRequestHandlers(
  rpc: RpcConnection,
  configOf: (sessionId: string) => SessionConfig | undefined,
): void {
  const sessionConfig = (sessionId: string, method: string): SessionConfig => {
    const config = configOf(sessionId);
    if (!config) throw new Error(`${method} names session ${sessionId}, which this client has not attached`);
    return config;
  };

  rpc.handleRequest('userInput.request', async (raw) => {
    const params = decodeOrThrow(UserInputRequestParams, 'userInput.request', raw);
    const handler = sessionConfig(params.sessionId, 'userInput.request').onUserInput;
    if (!handler) throw new Error('user input was requested, but the session has no onUserInput handler');
    return settle(() => handler(params, { sessionId: params.sessionId }), { answer: '', wasFreeform: true });
  });

  // The CLI normally offers the switch as an `auto_mode_switch.requested` event (answered by the
  // session's responder); this is the direct form older servers use. Default "no".
  rpc.handleRequest('autoModeSwitch.request', async (raw) => {
    const params = decodeOrThrow(AutoModeSwitchRequestParams, 'autoModeSwitch.request', raw);
    const handler = sessionConfig(params.sessionId, 'autoModeSwitch.request').onAutoModeSwitch;
    if (!handler) return { response: 'no' };
    const request = { requestId: '', ...params };
    return { response: await settle(() => handler(request, { sessionId: params.sessionId }), 'no') };
  });

  // Leaving plan mode starts acting on the plan: not without the app's say, which copilot-rx does not
  // model yet, so the answer is no (and `requestExitPlanMode:false` keeps the CLI from asking).
  rpc.handleRequest('exitPlanMode.request', (raw) => {
    decodeOrThrow(ExitPlanModeRequestParams, 'exitPlanMode.request', raw);
    return { approved: false, feedback: 'copilot-rx: this application does not approve leaving plan mode' };
  });

  // Hooks are not enabled (`hooks:false`); an empty output lets the agent go on unchanged.
  rpc.handleRequest('hooks.invoke', (raw) => {
    decodeOrThrow(HooksInvokeParams, 'hooks.invoke', raw);
    return {};
  });

  // No transform callbacks exist on this client: hand every section back as it came.
  rpc.handleRequest('systemMessage.transform', (raw) => {
    const params = decodeOrThrow(SystemMessageTransformParams, 'systemMessage.transform', raw);
    return { sections: params.sections };
  });
}
