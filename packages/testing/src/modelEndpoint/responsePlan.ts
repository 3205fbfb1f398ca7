import {
  DEFAULT_ANSWER_CHUNKS,
  derivedAnswerChunks,
  derivedReasoningChunks,
  estimateTokens,
  splitIntoChunks,
} from './answerText.js';
import { DEMO_PACE_MS, demoAnswer } from './demoAnswer.js';
import type { ChatRequest } from './chatRequest.js';
import type { HttpErrorScenario, Scenario, ScriptedToolCall } from './scenario.js';

/**
 * The field of a chunk's `delta` that carries reasoning. CLI 1.0.102 turns it into
 * `assistant.reasoning_delta` events, then `assistant.reasoning` and `assistant.message.reasoningText`,
 * on both routes. (It reads `reasoning_content` and `reasoning` the same way; `reasoning_text` is the
 * Copilot API's own name.)
 */
export const REASONING_FIELD = 'reasoning_text';
/** Characters of a tool call's JSON arguments per chunk: the CLI sees them arrive in fragments. */
export const TOOL_ARGUMENT_FRAGMENT_CHARS = 6;

/** One step of a streamed answer, played by the SSE writer (or folded into one JSON completion). */
export type StreamStep =
  | { readonly type: 'delta'; readonly delta: Readonly<Record<string, unknown>> }
  | { readonly type: 'finish'; readonly reason: 'stop' | 'tool_calls' }
  | { readonly type: 'usage'; readonly promptTokens: number; readonly completionTokens: number }
  | { readonly type: 'done' }
  | { readonly type: 'garbage'; readonly text: string }
  | { readonly type: 'cut' }
  | { readonly type: 'hang' };

/** What to send for one request: an HTTP error, or a stream of steps with a pause between chunks. */
export type ResponsePlan =
  | { readonly type: 'error'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: OpenAiErrorBody }
  | { readonly type: 'stream'; readonly model: string; readonly paceMs: number; readonly steps: readonly StreamStep[] };

/** The body of an OpenAI-style error response. */
export interface OpenAiErrorBody {
  readonly error: { readonly message: string; readonly type: string; readonly code: string | number };
}

/**
 * Turns a scenario into the response for one request. `nextToolCallId` numbers tool calls across the
 * endpoint's lifetime, so no two calls in a session share an id.
 */
export function planResponse(scenario: Scenario, request: ChatRequest, nextToolCallId: () => string): ResponsePlan {
  const stream = (paceMs: number | undefined, steps: StreamStep[]): ResponsePlan => ({
    type: 'stream',
    model: request.model,
    paceMs: paceMs ?? 0,
    steps: withRoleOnFirstDelta(steps),
  });
  const promptTokens = estimateTokens(request.promptChars);
  const answer = (count: number) => derivedAnswerChunks(request.prompt, count).map(contentDelta);
  switch (scenario.kind) {
    case 'http':
      return httpError(scenario);
    case 'badsse':
      return stream(scenario.paceMs, [...answer(1), { type: 'garbage', text: 'data: {this is not json\n\n' }]);
    case 'cut':
      return stream(scenario.paceMs, [...answer(2), { type: 'cut' }]);
    case 'hang':
      return stream(0, [...answer(1), { type: 'hang' }]);
    case 'tool': {
      const reasoning = derivedReasoningChunks(request.prompt, scenario.reasoningChunks ?? 0);
      const calls = scenario.calls.map((call, index) => toolCallSteps(call, index, nextToolCallId()));
      const completionChars = reasoning.join('').length + calls.reduce((sum, c) => sum + c.chars, 0);
      return stream(scenario.paceMs, [
        ...reasoning.map(reasoningDelta),
        ...calls.flatMap((c) => c.steps),
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', promptTokens, completionTokens: estimateTokens(completionChars) },
        { type: 'done' },
      ]);
    }
    case 'demo': {
      const { reasoningChunks, answerChunks } = demoAnswer(request.prompt);
      const completionChars = reasoningChunks.join('').length + answerChunks.join('').length;
      return stream(scenario.paceMs ?? DEMO_PACE_MS, [
        ...reasoningChunks.map(reasoningDelta),
        ...answerChunks.map(contentDelta),
        { type: 'finish', reason: 'stop' },
        { type: 'usage', promptTokens, completionTokens: estimateTokens(completionChars) },
        { type: 'done' },
      ]);
    }
    case 'text': {
      const reasoning = derivedReasoningChunks(request.prompt, scenario.reasoningChunks ?? 0);
      const chunks =
        scenario.text === undefined
          ? derivedAnswerChunks(request.prompt, scenario.chunks ?? DEFAULT_ANSWER_CHUNKS)
          : splitIntoChunks(scenario.text, scenario.chunks);
      const completionChars = reasoning.join('').length + chunks.join('').length;
      return stream(scenario.paceMs, [
        ...reasoning.map(reasoningDelta),
        ...chunks.map(contentDelta),
        { type: 'finish', reason: 'stop' },
        { type: 'usage', promptTokens, completionTokens: estimateTokens(completionChars) },
        { type: 'done' },
      ]);
    }
  }
}

/** The OpenAI-style error for a status; `retry-after: 0` unless the scenario says otherwise. */
export function httpError(scenario: HttpErrorScenario): ResponsePlan {
  const retryAfter = scenario.retryAfterSeconds === undefined ? 0 : scenario.retryAfterSeconds;
  return {
    type: 'error',
    status: scenario.status,
    headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) },
    body: {
      error: {
        message: scenario.message ?? `scripted upstream failure (${scenario.status})`,
        type: scenario.status >= 500 ? 'server_error' : 'invalid_request_error',
        code: scenario.status === 429 ? 'rate_limit_exceeded' : scenario.status,
      },
    },
  };
}

function contentDelta(content: string): StreamStep {
  return { type: 'delta', delta: { content } };
}

function reasoningDelta(text: string): StreamStep {
  return { type: 'delta', delta: { [REASONING_FIELD]: text } };
}

/** The first chunk names the call with empty arguments; the arguments follow in fragments. */
function toolCallSteps(call: ScriptedToolCall, index: number, id: string): { steps: StreamStep[]; chars: number } {
  const args = JSON.stringify(call.arguments ?? {});
  const fragments = splitIntoChunks(args, Math.ceil(args.length / TOOL_ARGUMENT_FRAGMENT_CHARS));
  const steps: StreamStep[] = [
    { type: 'delta', delta: { content: null, tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] } },
    ...fragments.map((arguments_): StreamStep => ({ type: 'delta', delta: { tool_calls: [{ index, function: { arguments: arguments_ } }] } })),
  ];
  return { steps, chars: call.name.length + args.length };
}

/** The message's first delta carries `role: "assistant"`, as OpenAI's stream does. */
function withRoleOnFirstDelta(steps: StreamStep[]): StreamStep[] {
  const first = steps.findIndex((s) => s.type === 'delta');
  return steps.map((step, i) => (i === first && step.type === 'delta' ? { type: 'delta', delta: { role: 'assistant', ...step.delta } } : step));
}
