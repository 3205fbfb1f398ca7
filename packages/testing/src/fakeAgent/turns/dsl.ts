/**
 * Small builders for turn scripts, so a test reads as what the model does:
 *
 * ```ts
 * turn([callTool('get_weather', { city: 'Paris' }), reply((tools) => `It is ${tools[0]?.content}`)])
 * turn(reply('Hello there', { chunks: 3, paceMs: 20 }), { compaction: true })
 * ```
 */
import type {
  CrashCall,
  ElicitCall,
  HangCall,
  ModelCall,
  QueryErrorCall,
  RateLimitCall,
  ReplyCall,
  ToolCallSpec,
  ToolCallsCall,
  TurnScript,
} from './TurnScript.js';

/** One message's script from one model call or several, plus the turn-level options. */
export function turn(calls: ModelCall | readonly ModelCall[], options: Omit<TurnScript, 'calls'> = {}): TurnScript {
  return { ...options, calls: isCallList(calls) ? calls : [calls] };
}

/** The model answers `text` (streamed in chunks). */
export function reply(text: ReplyCall['text'], options: Omit<ReplyCall, 'kind' | 'text'> = {}): ReplyCall {
  return { kind: 'reply', text, ...options };
}

/** Asks the user to fill in a form (see ElicitCall). */
export function elicit(message: string, options: Omit<ElicitCall, 'kind' | 'message'> = {}): ElicitCall {
  return { kind: 'elicit', message, ...options };
}

/** The model asks for one tool. */
export function callTool(
  name: string,
  args: Readonly<Record<string, unknown>> = {},
  options: Omit<ToolCallSpec, 'name' | 'arguments'> & Omit<ToolCallsCall, 'kind' | 'tools'> = {},
): ToolCallsCall {
  const { text, paceMs, ...spec } = options;
  return { kind: 'tools', tools: [{ name, arguments: args, ...spec }], ...(text === undefined ? {} : { text }), ...(paceMs === undefined ? {} : { paceMs }) };
}

/** The model asks for several tools in one response; they run one after the other. */
export function callTools(tools: readonly ToolCallSpec[], options: Omit<ToolCallsCall, 'kind' | 'tools'> = {}): ToolCallsCall {
  return { kind: 'tools', tools, ...options };
}

/** The model endpoint answers with an HTTP error: `session.error {errorType:'query', statusCode}`. */
export function queryError(statusCode: number, options: Omit<QueryErrorCall, 'kind' | 'statusCode'> = {}): QueryErrorCall {
  return { kind: 'error', statusCode, ...options };
}

/** A 429 with an offer to switch to auto mode; idle waits for the client's answer. */
export function rateLimit(options: Omit<RateLimitCall, 'kind'> = {}): RateLimitCall {
  return { kind: 'rateLimit', ...options };
}

/** The agent dies (optionally after streaming `partialText`). */
export function crash(options: Omit<CrashCall, 'kind'> = {}): CrashCall {
  return { kind: 'crash', ...options };
}

/** The model stops answering (after streaming `partialText`) until the message is aborted. */
export function hang(options: Omit<HangCall, 'kind'> = {}): HangCall {
  return { kind: 'hang', ...options };
}

function isCallList(calls: ModelCall | readonly ModelCall[]): calls is readonly ModelCall[] {
  return Array.isArray(calls);
}
