import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ResponsePlan } from './responsePlan.js';

type StreamPlan = Extract<ResponsePlan, { type: 'stream' }>;

interface ToolCallAccumulator {
  id?: unknown;
  type?: unknown;
  function: { name?: unknown; arguments: string };
}

/**
 * Answers a request that did not ask to stream (`session.create {streaming:false}`) with one
 * `chat.completion` JSON: the plan's deltas folded into one message. The failure steps keep their
 * meaning: garbage sends a body that is not JSON, a cut destroys the socket mid-body, a hang never
 * answers until `signal` aborts. The pace does not apply.
 */
export async function writeCompletionJson(res: ServerResponse, plan: StreamPlan, responseId: string, signal: AbortSignal): Promise<void> {
  const message: Record<string, unknown> = { role: 'assistant', content: null };
  const calls: ToolCallAccumulator[] = [];
  let finishReason: string | null = null;
  let usage: Record<string, number> | undefined;
  for (const step of plan.steps) {
    switch (step.type) {
      case 'delta':
        foldDelta(message, calls, step.delta);
        break;
      case 'finish':
        finishReason = step.reason;
        break;
      case 'usage':
        usage = { prompt_tokens: step.promptTokens, completion_tokens: step.completionTokens, total_tokens: step.promptTokens + step.completionTokens };
        break;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{this is not json');
        return;
      case 'cut':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"id":${JSON.stringify(responseId)},"object":"chat.compl`);
        res.destroy();
        return;
      case 'hang':
        if (!signal.aborted) await once(signal, 'abort');
        return;
      case 'done':
        break;
    }
  }
  if (calls.length > 0) message['tool_calls'] = calls;
  const body = { id: responseId, object: 'chat.completion', created: 0, model: plan.model, choices: [{ index: 0, message, finish_reason: finishReason }], usage };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function foldDelta(message: Record<string, unknown>, calls: ToolCallAccumulator[], delta: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(delta)) {
    if (key === 'tool_calls' && Array.isArray(value)) {
      for (const part of value as { index: number; id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: string } }[]) {
        const call = (calls[part.index] ??= { function: { arguments: '' } });
        if (part.id !== undefined) call.id = part.id;
        if (part.type !== undefined) call.type = part.type;
        if (part.function?.name !== undefined) call.function.name = part.function.name;
        call.function.arguments += part.function?.arguments ?? '';
      }
    } else if (typeof value === 'string' && key !== 'role') {
      message[key] = (typeof message[key] === 'string' ? message[key] : '') + value;
    }
  }
}
