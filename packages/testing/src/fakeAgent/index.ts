export { fakeAgentBinPath } from './fakeAgentBinPath.js';
export { FakeCopilotAgent, type FakeCopilotAgentOptions, type FakeAgentExit } from './FakeCopilotAgent.js';
export type { InMemoryConnection } from './transports/inMemory.js';
export type { FakeAgentServer } from './transports/tcp.js';
export { turn, reply, callTool, callTools, queryError, rateLimit, crash, hang } from './turns/dsl.js';
export { scriptFromPrompt, PLAIN_ANSWER } from './turns/promptDirectives.js';
export type {
  TurnScript,
  ModelCall,
  ReplyCall,
  ToolCallsCall,
  ToolCallSpec,
  BuiltInToolScript,
  QueryErrorCall,
  RateLimitCall,
  CrashCall,
  HangCall,
  ToolOutcome,
  ScriptContext,
  ScriptChooser,
  Chunking,
} from './turns/TurnScript.js';
export { encodeFrame, FrameDecoder, FramingError } from './rpc/framing.js';
export { PERMISSION_DENIED_MESSAGE, USER_REJECTED_MESSAGE, TOOL_FAILED_MESSAGE } from './turns/toolAnswers.js';
