/**
 * @copilot-rx/testing: tools to test Copilot CLI apps. The scripted model endpoint lets the real CLI
 * stream offline from 127.0.0.1; the CLI sandbox runs it isolated from the host and from other runs.
 */
export {
  startScriptedModelEndpoint,
  type ScriptedModelEndpoint,
  type ScriptedModelEndpointOptions,
  type ByokProvider,
} from './modelEndpoint/startScriptedModelEndpoint';
export type { Pause } from './modelEndpoint/sseWriter';
export {
  assertScenario,
  ScenarioError,
  type Scenario,
  type TextScenario,
  type ToolCallScenario,
  type ScriptedToolCall,
  type HttpErrorScenario,
  type MalformedStreamScenario,
  type CutStreamScenario,
  type HangingStreamScenario,
} from './modelEndpoint/scenario';
export { parseScenarioMarkers, findScenarioMarkers, type ScenarioMarker } from './modelEndpoint/parseScenarioMarkers';
export { derivedAnswerChunks, derivedReasoningChunks, estimateTokens, promptWords, DEFAULT_ANSWER_CHUNKS } from './modelEndpoint/answerText';
export { REASONING_FIELD } from './modelEndpoint/responsePlan';
export type { RecordedRequest, EndpointRoute } from './modelEndpoint/recordedRequest';
export { SCRIPTED_MODEL_ID } from './modelEndpoint/capiRoutes';
export { createCliSandbox, type CliSandbox, type CliSandboxOptions } from './sandbox/createCliSandbox';
export { defaultStateDir } from './sandbox/stateDir';

// Marble helpers and a protocol-faithful fake of the CLI's JSON-RPC server.
export * from './marbles';
export * from './fakeAgent';
// Record a live connection as JSONL; replay a recorded CLI side to a client.
export * from './transcripts';
