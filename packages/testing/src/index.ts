/**
 * @copilot-rx/testing: tools to test Copilot CLI apps. The scripted model endpoint lets the real CLI
 * stream offline from 127.0.0.1; the CLI sandbox runs it isolated from the host and from other runs.
 */
export {
  startScriptedModelEndpoint,
  type ScriptedModelEndpoint,
  type ScriptedModelEndpointOptions,
  type ByokProvider,
} from './modelEndpoint/startScriptedModelEndpoint.js';
export type { Pause } from './modelEndpoint/sseWriter.js';
export {
  assertScenario,
  ScenarioError,
  type Scenario,
  type DemoScenario,
  type TextScenario,
  type ToolCallScenario,
  type ScriptedToolCall,
  type HttpErrorScenario,
  type MalformedStreamScenario,
  type CutStreamScenario,
  type HangingStreamScenario,
} from './modelEndpoint/scenario.js';
export { parseScenarioMarkers, findScenarioMarkers, type ScenarioMarker } from './modelEndpoint/parseScenarioMarkers.js';
export { demoAnswer, chooseDemoTopic, demoChunks, DEMO_PACE_MS, type DemoAnswer } from './modelEndpoint/demoAnswer.js';
export { DEMO_TOPICS, FALLBACK_TOPIC, type DemoTopic } from './modelEndpoint/demoCorpus.js';
export { derivedAnswerChunks, derivedReasoningChunks, estimateTokens, promptWords, DEFAULT_ANSWER_CHUNKS } from './modelEndpoint/answerText.js';
export { REASONING_FIELD } from './modelEndpoint/responsePlan.js';
export type { RecordedRequest, EndpointRoute } from './modelEndpoint/recordedRequest.js';
export { SCRIPTED_MODEL_ID } from './modelEndpoint/capiRoutes.js';
export { createCliSandbox, type CliSandbox, type CliSandboxOptions } from './sandbox/createCliSandbox.js';
export { defaultStateDir } from './sandbox/stateDir.js';
// A TCP proxy a test controls (cut, refuse, stall), to test reconnect handling.
export * from './linkProxy/index.js';

// Marble helpers and a protocol-faithful fake of the CLI's JSON-RPC server.
export * from './marbles/index.js';
export * from './fakeAgent/index.js';
// Record a live connection as JSONL; replay a recorded CLI side to a client.
export * from './transcripts/index.js';
