export { fakeAgentBinPath } from './fakeAgentBinPath';
export { FakeCopilotAgent, type FakeCopilotAgentOptions, type FakeAgentExit } from './FakeCopilotAgent';
export type { InMemoryConnection } from './transports/inMemory';
export type { FakeAgentServer } from './transports/tcp';
export { turn, reply, callTool, callTools, queryError, rateLimit, crash, hang } from './turns/dsl';
export { scriptFromPrompt, PLAIN_ANSWER } from './turns/promptDirectives';
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
} from './turns/TurnScript';
export { encodeFrame, FrameDecoder, FramingError } from './rpc/framing';
export { PERMISSION_DENIED_MESSAGE, USER_REJECTED_MESSAGE, TOOL_FAILED_MESSAGE } from './turns/toolAnswers';
